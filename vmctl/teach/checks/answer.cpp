// answer: {key: KEY, equals: TEXT | pattern: REGEX | equals_command: SHELL}
// (what the student gave with `vmctl lab answer KEY=...`, case and spaces aside)
#include "vmctl/teach/checks/check_kinds.h"

#include "vmctl/core/pattern.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace vmctl::teach {
namespace {

std::string lower_trimmed(std::string_view text) {
    std::string out = host::trim(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return out;
}

class Answer final : public Check {
public:
    explicit Answer(const CheckArgs& args)
        : m_key(args.text("key")),
          m_equals(args.text("equals")),
          m_pattern(args.pattern("pattern")),
          m_command(args.text("equals_command")) {
        const int given = (args.has("equals") ? 1 : 0) + (args.has("pattern") ? 1 : 0) +
                          (args.has("equals_command") ? 1 : 0);
        if (given != 1)
            args.fail("", "'answer' needs exactly one of 'equals', 'pattern' or 'equals_command'",
                      "say what the right answer is, e.g. 'equals: tcg'");
    }

    std::string claim() const override { return fmt::format("answer '{}'", m_key); }
    std::string claim_passed(const CheckEnvironment&) const override { return claim() + " is right"; }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto& answers = env.progress != nullptr ? env.progress->answers : std::map<std::string, std::string>{};
        const auto answer = answers.find(m_key);
        if (answer == answers.end())
            return fmt::format("no answer yet: run 'vmctl lab answer {}=...'", m_key);
        const std::string given = lower_trimmed(answer->second);
        bool right = false;
        if (!m_pattern.empty())
            right = search_lines(given, std::regex(m_pattern, std::regex::icase));
        else if (!m_command.empty())
            right = given == lower_trimmed(env.run_script(m_command).output);
        else
            right = given == lower_trimmed(m_equals);
        if (right)
            return std::nullopt;
        return fmt::format("'{}' is not it; look again, or ask 'vmctl lab hint'", answer->second);
    }

private:
    std::string m_key;
    std::string m_equals;
    std::string m_pattern;
    std::string m_command;  // its output is the right answer
};

}  // namespace

CheckKind answer_check() {
    return {"answer", {"key", "equals", "pattern", "equals_command"}, {"key"}, "", read_as<Answer>};
}

}  // namespace vmctl::teach
