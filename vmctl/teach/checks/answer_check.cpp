#include "vmctl/teach/checks/answer_check.h"

#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vmctl::teach {

std::string folded(std::string_view text) {
    std::string out = host::trim(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
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

}  // namespace vmctl::teach
