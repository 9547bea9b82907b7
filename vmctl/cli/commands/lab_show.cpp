#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"

namespace vmctl::cli::commands {

int lab_show(Context& context, const Args& args) {
    CommandLine cli("lab show", "Shows what to do in the current step of the lab you are in.");
    cli.examples("  vmctl lab show\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::ActiveLab active = teach::active_lab(session.world(), session.labs());
    print_step(context.out(), *active.lab, active.progress.step);
    return 0;
}

}  // namespace vmctl::cli::commands
