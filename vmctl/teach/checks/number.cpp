// number: {key: KEY, equals: N | equals_command: SHELL, tolerance: 0.5 | 20%,
//          too_low: WHY, too_high: WHY}
// A measured value: right within the tolerance (absolute, or a percentage of
// the right value); a wrong one is told which way it is off, and why. A value
// the lab measures (equals_command) on a busy machine gets a band wider by
// the machine's slowness, both ways: the student measured it at another
// moment of a class's load (lab 02's slowdown, 4 students: 29.8 against 15).
#include "vmctl/teach/checks/answer_check.h"
#include "vmctl/teach/checks/check_kinds.h"

#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <cmath>

namespace vmctl::teach {
namespace {

class Number final : public AnswerCheck {
public:
    explicit Number(const CheckArgs& args)
        : AnswerCheck(args),
          m_command(args.text("equals_command")),
          m_tolerance(read_tolerance(args)),
          m_too_low(args.text("too_low")),
          m_too_high(args.text("too_high")) {
        if (args.has("equals") == args.has("equals_command"))
            args.fail("", "'number' needs exactly one of 'equals' or 'equals_command'",
                      "say what the right value is, e.g. 'equals: 42', or the command that measures it");
        if (args.has("equals")) {
            const auto value = number_in(args.text("equals"));
            if (!value)
                args.fail("equals", fmt::format("'{}' is not a number", args.text("equals")), "write e.g. 'equals: 42'");
            m_equals = *value;
        }
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto answer = given(env);
        if (!answer)
            return no_answer("NUMBER");
        const auto mine = number_in(*answer);
        if (!mine)
            return fmt::format("'{}' is not a number; answer with digits, e.g. 'vmctl lab answer {}=12.5'", *answer,
                               m_key);
        double right = m_equals;
        if (!m_command.empty()) {
            const host::ShellResult measured = env.run_script(m_command);
            const auto value = number_in(measured.output);
            if (measured.exit_code != 0 || !value)
                return fmt::format("the lab could not measure the right value ({}); tell your instructor",
                                   host::last_line(measured.output));
            right = *value;
        }
        if (m_tolerance.within(*mine, right, m_command.empty() ? 1.0 : env.slowness))
            return std::nullopt;
        const bool low = *mine < right;
        const std::string& why = low ? m_too_low : m_too_high;
        return fmt::format("{} is too {}{}", *answer, low ? "low" : "high",
                           why.empty() ? std::string("; look again, or ask 'vmctl lab hint'") : ": " + why);
    }

private:
    double m_equals = 0;
    std::string m_command;  // its output is the right value
    Tolerance m_tolerance;
    std::string m_too_low;
    std::string m_too_high;
};

}  // namespace

CheckKind number_check() {
    return {"number",
            {"key", "equals", "equals_command", "tolerance", "too_low", "too_high"},
            {"key"},
            "",
            read_as<Number>};
}

}  // namespace vmctl::teach
