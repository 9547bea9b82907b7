// choice: {key: KEY, options: {VALUE: WHY, ...}, right: VALUE | [VALUE, ...]}
// A question with a fixed set of answers, each with its own explanation: a
// wrong choice is told what it misses, a right one why it is right.
#include "vmctl/teach/checks/answer_check.h"
#include "vmctl/teach/checks/check_kinds.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace vmctl::teach {
namespace {

class Choice final : public AnswerCheck {
public:
    explicit Choice(const CheckArgs& args) : AnswerCheck(args), m_options(args.mapping("options")) {
        if (m_options.size() < 2)
            args.fail("options", "a choice needs at least two options", "list each answer with why it is or is not right");
        for (const std::string& right : args.texts("right")) {
            if (!option(right))
                args.fail("right", fmt::format("'{}' is not one of the options", right),
                          fmt::format("name one of: {}", fmt::join(names(), ", ")));
            m_right.push_back(folded(right));
        }
        if (m_right.empty())
            args.fail("right", "a choice needs a right answer", "e.g. 'right: qemu', or a list of them");
    }

    std::string claim_passed(const CheckEnvironment& env) const override {
        const auto why = option(given(env).value_or(""));
        return why ? fmt::format("answer '{}' is right: {}", m_key, why->second) : claim() + " is right";
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto answer = given(env);
        if (!answer)
            return fmt::format("{}, with one of: {}", no_answer(), fmt::join(names(), ", "));
        const auto chosen = option(*answer);
        if (!chosen)
            return fmt::format("'{}' is not one of the choices: {}", *answer, fmt::join(names(), ", "));
        if (std::find(m_right.begin(), m_right.end(), folded(chosen->first)) != m_right.end())
            return std::nullopt;
        return fmt::format("'{}' is not it: {}", chosen->first, chosen->second);
    }

private:
    std::optional<std::pair<std::string, std::string>> option(const std::string& answer) const {
        return find_option(m_options, answer);
    }
    std::vector<std::string> names() const { return option_names(m_options); }

    Options m_options;  // answer, why it is (not) right
    std::vector<std::string> m_right;                            // folded
};

}  // namespace

CheckKind choice_check() { return {"choice", {"key", "options", "right"}, {"key", "options", "right"}, "", read_as<Choice>}; }

}  // namespace vmctl::teach
