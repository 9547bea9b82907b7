#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_reset(Context& context, const Args& args) {
    CommandLine cli("lab reset [ID] [--clean-only] [--yes]",
                    "Removes every VM the lab made (found by its label lab=ID, on every host, pets included),\n"
                    "runs the lab's own cleanup, and starts the lab over at step 1.");
    cli.positional("ID", 1, "the lab (default: the one you are in)");
    cli.add()("clean-only", "remove what the lab made, and do not start it again")(
        "yes,y", "do not ask for confirmation");
    cli.examples("  vmctl lab reset\n  vmctl lab reset 05 --yes\n  vmctl lab reset 01 --clean-only\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::Lab& lab = session.lab(cli.optional("ID").value_or(""));
    auto& out = context.out();
    const auto vms = teach::lab_vms(session.world(), lab);
    if (!cli.has("yes")) {
        const std::string what = vms.empty() ? std::string("no VMs") : fmt::format("{}", fmt::join(vms, ", "));
        if (!context.confirm(fmt::format("Reset lab {}: remove {} and your progress?", lab.id, what), "--yes")) {
            out << "Nothing changed.\n";
            return 0;
        }
    }
    const auto removed = teach::clean_lab(session.world(), lab);
    out << fmt::format("Removed {} VM{}{}{}.\n", removed.size(), removed.size() == 1 ? "" : "s",
                       removed.empty() ? "" : ": ", fmt::join(removed, ", "));
    if (cli.has("clean-only")) {
        out << fmt::format("Lab {} is cleaned up; 'vmctl lab start {}' begins it again.\n", lab.id, lab.id);
        return 0;
    }
    teach::start_lab(session.world(), lab);
    out << fmt::format("Lab {} starts over.\n\n", lab.id);
    print_step(out, lab, 0);
    return 0;
}

}  // namespace vmctl::cli::commands
