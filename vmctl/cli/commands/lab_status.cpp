#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/cli/table.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <array>

namespace vmctl::cli::commands {
namespace {

std::string machine() {
    std::array<char, 256> name{};
    return ::gethostname(name.data(), name.size()) == 0 ? std::string(name.data()) : std::string("unknown");
}

}  // namespace

int lab_status(Context& context, const Args& args) {
    CommandLine cli("lab status [--json]",
                    "Your progress in every lab: steps done (and how many 'lab solve' did), failed checks, hints\n"
                    "used, times. --json adds each finished step's times, failed checks, hints and last failure:\n"
                    "an instructor can collect it from each student's machine.");
    cli.add()("json", "print JSON (with the student and machine names) for scripts");
    cli.examples("  vmctl lab status\n  vmctl lab status --json > progress-$(hostname).json\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::LabState state = teach::load_lab_state(session.world().state_path);
    auto& out = context.out();
    if (cli.has("json")) {
        nlohmann::json labs = nlohmann::json::array();
        for (const auto& l : session.labs()) {
            const auto p = state.labs.find(l.id);
            nlohmann::json row = {{"id", l.id}, {"title", l.title}, {"steps", l.steps.size()},
                                  {"started", p != state.labs.end()}};
            if (p != state.labs.end()) {
                row["step"] = std::min(p->second.step + 1, l.steps.size());
                row["steps_done"] = p->second.step;
                row["finished"] = !p->second.finished_at.empty();
                row["failed_checks"] = p->second.failed_checks;
                row["hints_shown"] = p->second.hints_shown;
                row["started_at"] = p->second.started_at;
                row["finished_at"] = p->second.finished_at;
                row["last_failure"] = p->second.last_failure;
                row["history"] = teach::step_history_json(p->second.history);
            }
            labs.push_back(row);
        }
        out << nlohmann::json{{"student", teach::student_name()}, {"machine", machine()}, {"active", state.active},
                              {"signature", teach::signature_check_name(state.signature)}, {"labs", labs}}
                   .dump(2)
            << '\n';
        return 0;
    }
    // Failed checks and hints over the whole lab; steps `lab solve` did are
    // counted apart: they were not the student's work.
    Table table({"LAB", "STEPS DONE", "BY lab solve", "FAILED CHECKS", "HINTS", "STARTED", "FINISHED"});
    for (const auto& l : session.labs()) {
        const auto p = state.labs.find(l.id);
        if (p == state.labs.end()) {
            table.add_row({l.id, fmt::format("0/{}", l.steps.size()), "", "", "", "", ""});
            continue;
        }
        unsigned solved = 0;
        unsigned failed = p->second.failed_checks;
        unsigned hints = p->second.hints_shown;
        for (const auto& done : p->second.history) {
            solved += done.solved_by_solution ? 1 : 0;
            failed += done.failed_checks;
            hints += done.hints_shown;
        }
        table.add_row({l.id, fmt::format("{}/{}", p->second.step, l.steps.size()), std::to_string(solved),
                       std::to_string(failed), std::to_string(hints), p->second.started_at, p->second.finished_at});
    }
    table.print(out);
    // The verdict on the file itself: an edit by hand stays visible here.
    if (state.signature != teach::SignatureCheck::Valid)
        out << fmt::format("\nYour progress file {} is {}.\n", session.world().state_path,
                           teach::signature_check_text(state.signature));
    return 0;
}

}  // namespace vmctl::cli::commands
