// answer: {key: KEY, equals: TEXT | pattern: REGEX | equals_command: SHELL}
// (what the student gave with `vmctl lab answer KEY=...`, case and spaces aside)
#include "vmctl/teach/checks/answer_check.h"
#include "vmctl/teach/checks/check_kinds.h"

#include "vmctl/core/pattern.h"

#include <fmt/format.h>

#include <regex>

namespace vmctl::teach {
namespace {

class Answer final : public AnswerCheck {
public:
    explicit Answer(const CheckArgs& args)
        : AnswerCheck(args),
          m_equals(args.text("equals")),
          m_pattern(args.pattern("pattern")),
          m_command(args.text("equals_command")) {
        const int given = (args.has("equals") ? 1 : 0) + (args.has("pattern") ? 1 : 0) +
                          (args.has("equals_command") ? 1 : 0);
        if (given != 1)
            args.fail("", "'answer' needs exactly one of 'equals', 'pattern' or 'equals_command'",
                      "say what the right answer is, e.g. 'equals: tcg'");
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto answer = given(env);
        if (!answer)
            return no_answer();
        const std::string mine = folded(*answer);
        bool right = false;
        if (!m_pattern.empty())
            right = search_lines(mine, std::regex(m_pattern, std::regex::icase));
        else if (!m_command.empty())
            right = mine == folded(env.run_script(m_command).output);
        else
            right = mine == folded(m_equals);
        if (right)
            return std::nullopt;
        return fmt::format("'{}' is not it; look again, or ask 'vmctl lab hint'", *answer);
    }

private:
    std::string m_equals;
    std::string m_pattern;
    std::string m_command;  // its output is the right answer
};

}  // namespace

CheckKind answer_check() {
    return {"answer", {"key", "equals", "pattern", "equals_command"}, {"key"}, "", read_as<Answer>};
}

}  // namespace vmctl::teach
