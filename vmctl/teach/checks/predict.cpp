// predict: {key: KEY, options: {VALUE: WHY, ...} | tolerance: 0.5 | 20%}
//          asks: passes once the student recorded a prediction
// predict: {key: KEY, actual_command: SHELL, options: {VALUE: WHY, ...} |
//           tolerance: 0.5 | 20%, too_low: WHY, too_high: WHY}
//          compares, in a later step: passes whatever the prediction was
//
// A prediction is asked before a step shows a result: the student answers
// with `vmctl lab answer KEY=VALUE`, which records it without judging it.
// The check with `actual_command`, in the step where the result shows,
// measures what really happens and says "you predicted X; it was Y" with
// the why of the prediction (its option's, or whether the number was close).
// A prediction counts only when it was recorded on an earlier step than the
// one that measures (LabProgress::answered_in), and `vmctl lab answer`
// refuses one once the step that asks for it is past (lab_flow.cpp): nobody
// predicts what they have already seen.
#include "vmctl/teach/checks/predict.h"

#include "vmctl/teach/checks/answer_check.h"
#include "vmctl/teach/checks/check_kinds.h"

#include "vmctl/host/files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vmctl::teach {
namespace {

class Predict final : public AnswerCheck, public Prediction {
public:
    explicit Predict(const CheckArgs& args)
        : AnswerCheck(args),
          m_command(args.text("actual_command")),
          m_options(args.mapping("options")),
          m_numeric(args.has("tolerance")),
          m_tolerance(read_tolerance(args)),
          m_too_low(args.text("too_low")),
          m_too_high(args.text("too_high")) {
        if (args.has("options") && m_numeric)
            args.fail("tolerance", "a prediction is a choice ('options') or a number ('tolerance'), not both",
                      "keep one of them");
        if (args.has("options") && m_options.size() < 2)
            args.fail("options", "a prediction to choose needs at least two options",
                      "list each possible outcome with why someone would predict it");
        if (!m_command.empty() && !args.has("options") && !m_numeric)
            args.fail("actual_command", "a prediction that is compared needs 'options' (a choice) or 'tolerance' (a number)",
                      "add e.g. 'options: {same: WHY, different: WHY}' or 'tolerance: 20%'");
        if (!m_numeric && (args.has("too_low") || args.has("too_high")))
            args.fail(args.has("too_low") ? "too_low" : "too_high", "'too_low' and 'too_high' are for a number",
                      "add 'tolerance: ...' (0 for an exact number), or leave them out");
    }

    const std::string& prediction_key() const override { return m_key; }

    std::optional<std::string> refused(const std::string& value) const override {
        if (!m_options.empty() && !option(value))
            return fmt::format("'{}' is not one of the predictions: {}", value, fmt::join(names(), ", "));
        if (m_numeric && !number_in(value))
            return fmt::format("'{}' is not a number; predict with digits, e.g. 'vmctl lab answer {}=12.5'", value,
                               m_key);
        return std::nullopt;
    }

    std::string claim() const override { return "prediction '" + m_key + "'"; }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        m_seen.reset();
        const auto answer = given(env);
        if (!answer) {
            if (compares())
                return fmt::format("no prediction '{}' was recorded before this step, and it is too late now; "
                                   "'vmctl lab reset' starts the lab over",
                                   m_key);
            return fmt::format("no prediction yet: run 'vmctl lab answer {}={}' before you look", m_key, example());
        }
        if (auto why = refused(*answer))
            return *why;
        const std::size_t now = env.progress->step;
        const auto on = env.progress->answered_in.find(m_key);
        if (on == env.progress->answered_in.end())
            return fmt::format("the lab has no record of when '{}' was predicted; give it again with "
                               "'vmctl lab answer {}={}'",
                               m_key, m_key, example());
        if (on->second > now || (compares() && on->second >= now))
            return fmt::format("the prediction '{}' was given on step {}, where its result shows: it does not count; "
                               "a prediction is recorded on an earlier step",
                               m_key, on->second + 1);
        if (!compares())
            return std::nullopt;
        const host::ShellResult measured = env.run_script(m_command);
        const std::string seen = host::last_line(measured.output);
        if (measured.exit_code != 0 || seen.empty() || (m_numeric && !number_in(seen)))
            return fmt::format("the lab cannot measure what happens yet ({})", seen.empty() ? "no output" : seen);
        m_seen = seen;
        return std::nullopt;
    }

    std::string claim_passed(const CheckEnvironment& env) const override {
        const std::string mine = given(env).value_or("");
        if (!compares())
            return fmt::format("prediction '{}' recorded ({}): you will see in the next step", m_key, mine);
        if (!m_seen)
            return fmt::format("you predicted {}", mine);
        if (m_numeric)
            return compared_numbers(mine, *m_seen);
        const auto chosen = option(mine);
        const std::string why = chosen ? ": " + chosen->second : "";
        if (folded(mine) == folded(*m_seen))
            return fmt::format("you predicted '{}', and so it was{}", mine, why);
        return fmt::format("you predicted '{}'; it was '{}'{}", mine, *m_seen, why);
    }

private:
    bool compares() const { return !m_command.empty(); }

    std::string compared_numbers(const std::string& mine, const std::string& seen) const {
        const double predicted = *number_in(mine);
        const double actual = *number_in(seen);
        if (m_tolerance.within(predicted, actual))
            return fmt::format("you predicted {}; it was {}: close (within {})", mine, seen, m_tolerance.text());
        const bool low = predicted < actual;
        const std::string& why = low ? m_too_low : m_too_high;
        return fmt::format("you predicted {}; it was {}: too {}{}", mine, seen, low ? "low" : "high",
                           why.empty() ? "" : ": " + why);
    }

    std::string example() const {
        if (m_numeric)
            return "NUMBER";
        return m_options.empty() ? "..." : fmt::format("{}", fmt::join(names(), "|"));
    }

    std::optional<std::pair<std::string, std::string>> option(const std::string& answer) const {
        return find_option(m_options, answer);
    }
    std::vector<std::string> names() const { return option_names(m_options); }

    std::string m_command;  // prints what really happens: an option's name, or a number
    Options m_options;  // outcome, why one would predict it
    bool m_numeric = false;
    Tolerance m_tolerance;
    std::string m_too_low;
    std::string m_too_high;
    // What failure() measured, for claim_passed() right after it
    // (evaluate_check calls them in turn): measuring again could take
    // seconds (a CPU rate) and see another value than the one the check saw.
    mutable std::optional<std::string> m_seen;
};

}  // namespace

CheckKind predict_check() {
    return {"predict",
            {"key", "options", "tolerance", "too_low", "too_high", "actual_command"},
            {"key"},
            "",
            read_as<Predict>};
}

}  // namespace vmctl::teach
