#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_solve(Context& context, const Args& args) {
    CommandLine cli("lab solve [ID] [--step N]",
                    "The instructor's fast-forward: runs the reference solution of each step from the current one\n"
                    "through step N (default: the last), checking each, so a class can start from a later step.");
    cli.positional("ID", 1, "the lab (default: the one you are in)");
    cli.add()("step", po::value<unsigned>(), "solve through this step (1-based), and stop there");
    cli.examples("  vmctl lab solve 05 --step 2     # the lab then waits at step 3\n  vmctl lab solve\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::Lab& lab = session.lab(cli.optional("ID").value_or(""));
    const std::size_t through = cli.get_optional<unsigned>("step").value_or(0);
    const std::size_t solved = teach::solve_lab(session.world(), lab, through);
    const teach::ActiveLab active = teach::active_lab(session.world(), session.labs());
    auto& out = context.out();
    out << fmt::format("\nSolved {} step{} of lab {}.\n\n", solved, solved == 1 ? "" : "s", lab.id);
    print_step(out, lab, active.progress.step);
    return 0;
}

}  // namespace vmctl::cli::commands
