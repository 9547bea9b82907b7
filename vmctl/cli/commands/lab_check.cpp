#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_check(Context& context, const Args& args) {
    CommandLine cli("lab check",
                    "Checks the current step against the real VMs: a ✓ for each thing done, a ✗ with the reason\n"
                    "for each not done yet. When every check passes, the lab moves on to the next step.");
    cli.examples("  vmctl lab check\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::Lab& lab = session.lab("");
    context.err() << "checking...\n";
    const teach::StepCheck check = teach::check_step(session.world(), lab);
    auto& out = context.out();
    if (check.finished && check.results.empty()) {
        out << fmt::format("Lab {} is already finished. Pick the next one in 'vmctl lab list'.\n", lab.id);
        return 0;
    }
    out << fmt::format("Step {}: {}\n", check.step + 1, lab.steps[check.step].title);
    print_results(out, check.results);
    if (check.passed) {
        print_progress_after(out, lab, check);
        return 0;
    }
    throw Error(ErrorKind::CheckFailed, fmt::format("step {} is not done yet", check.step + 1),
                check.suggest_hint ? "fix the ✗ lines above; three tries already: 'vmctl lab hint' gives a hint"
                                   : "fix the ✗ lines above, then check again");
}

}  // namespace vmctl::cli::commands
