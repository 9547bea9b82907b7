#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_start(Context& context, const Args& args) {
    CommandLine cli("lab start ID",
                    "Starts a lab: runs its setup and shows the first step. VMs you create while a lab is active\n"
                    "get the label lab=ID, so 'vmctl lab reset' can remove them. A lab you began goes on where it was.");
    cli.positional("ID", 1, "the lab: its number (01) or its name (first-vm)");
    cli.examples("  vmctl lab start 01\n  vmctl lab start first-vm\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::Lab& lab = session.lab(cli.required("ID"));
    auto& out = context.out();
    const teach::StartResult result = teach::start_lab(session.world(), lab);
    if (result.resumed) {
        out << fmt::format("Going on with lab {} at step {} ('vmctl lab reset {}' starts it over).\n\n", lab.id,
                           result.step + 1, lab.id);
    } else {
        out << fmt::format("Lab {}: {}\n", lab.id, lab.title);
        out << fmt::format("Follows the slides: {}. About {} minutes, {} steps.\n\n", lab.slides, lab.minutes,
                           lab.steps.size());
        if (!lab.intro.empty())
            out << lab.intro << (lab.intro.back() == '\n' ? "\n" : "\n\n");
    }
    print_step(out, lab, result.step);
    return 0;
}

}  // namespace vmctl::cli::commands
