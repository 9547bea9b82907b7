#include "vmctl/teach/checks/answer_check.h"

#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace vmctl::teach {

std::string folded(std::string_view text) {
    std::string out = host::trim(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return out;
}

std::optional<double> number_in(std::string_view text) {
    std::string s = host::trim(text);
    for (char& c : s)
        if (c == ',')
            c = '.';
    if (s.empty())
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

bool Tolerance::within(double mine, double right, double slack) const {
    const double allowed = relative ? std::abs(right) * amount / 100 : amount;
    if (slack <= 1.0 || right <= 0)
        return std::abs(mine - right) <= allowed * std::max(slack, 1.0);
    return mine >= (right - allowed) / slack && mine <= (right + allowed) * slack;
}

std::string Tolerance::text() const { return fmt::format("{:g}{}", amount, relative ? "%" : ""); }

Tolerance read_tolerance(const CheckArgs& args) {
    Tolerance out;
    std::string tolerance = host::trim(args.text("tolerance"));
    if (tolerance.empty())
        return out;
    out.relative = tolerance.back() == '%';
    if (out.relative)
        tolerance.pop_back();
    const auto value = number_in(tolerance);
    if (!value || *value < 0)
        args.fail("tolerance", fmt::format("'{}' is not a tolerance", args.text("tolerance")),
                  "write an amount ('tolerance: 0.5') or a percentage of the right value ('tolerance: 20%')");
    out.amount = *value;
    return out;
}

std::optional<std::string> AnswerCheck::given(const CheckEnvironment& env) const {
    if (env.progress == nullptr)
        return std::nullopt;
    const auto it = env.progress->answers.find(m_key);
    if (it == env.progress->answers.end())
        return std::nullopt;
    return it->second;
}

std::string AnswerCheck::no_answer(const std::string& example) const {
    return fmt::format("no answer yet: run 'vmctl lab answer {}={}'", m_key, example);
}

std::optional<std::pair<std::string, std::string>> find_option(const Options& options, const std::string& answer) {
    for (const auto& o : options)
        if (folded(o.first) == folded(answer))
            return o;
    return std::nullopt;
}

std::vector<std::string> option_names(const Options& options) {
    std::vector<std::string> out;
    for (const auto& o : options)
        out.push_back(o.first);
    return out;
}

}  // namespace vmctl::teach
