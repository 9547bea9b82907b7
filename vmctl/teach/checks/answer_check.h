#pragma once

#include "vmctl/teach/check.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vmctl::teach {

// What the question kinds share (answer, choice, number, predict): a key the student
// answers with `vmctl lab answer KEY=VALUE`, and its answer.
class AnswerCheck : public Check {
protected:
    explicit AnswerCheck(const CheckArgs& args) : m_key(args.text("key")) {}

    std::string claim() const override { return "answer '" + m_key + "'"; }
    std::string claim_passed(const CheckEnvironment&) const override { return claim() + " is right"; }

    // The student's answer, or nothing yet.
    std::optional<std::string> given(const CheckEnvironment& env) const;
    // The reason when there is no answer yet, with the command to give one.
    std::string no_answer(const std::string& example = "...") const;

    std::string m_key;
};

// An answer as it is compared: trimmed, in lower case.
std::string folded(std::string_view text);

// A question's options (`options:` of choice and predict): each answer with
// why it is (not) right, or why one would predict it.
using Options = std::vector<std::pair<std::string, std::string>>;
// The option an answer names, its case and spaces aside; nothing when none.
std::optional<std::pair<std::string, std::string>> find_option(const Options& options, const std::string& answer);
// The options' answers, in order.
std::vector<std::string> option_names(const Options& options);

// The number a text spells ("1.5", " 42 ", "1,5"), or nothing.
std::optional<double> number_in(std::string_view text);

// How far a number may be from the right one: an amount ("0.5"), or a
// percentage of the right value ("20%"); exact when not given.
struct Tolerance {
    double amount = 0;
    bool relative = false;
    // `slack` (at least 1) widens the band by that factor both ways, for a
    // value measured on a machine that many times slower than usual.
    bool within(double mine, double right, double slack = 1.0) const;
    std::string text() const;  // "20%", "0.5"
};
// The `tolerance` argument of a check, refused at its place in the file when it is not one.
Tolerance read_tolerance(const CheckArgs& args);

}  // namespace vmctl::teach
