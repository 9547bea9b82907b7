#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/lifecycle.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int destroy(Context& context, const Args& args) {
    CommandLine cli("destroy NAME",
                    "Pulls the plug: the VM stops at once, as a server does when its power cord is pulled.\n"
                    "Nothing is deleted: the VM and its disk stay, and 'vmctl start NAME' boots it again.");
    cli.positional("NAME", 1, "the VM");
    cli.examples("  vmctl destroy hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const auto result = ops::destroy_vm(context.hypervisor(), name);
    if (result.already_stopped)
        context.out() << fmt::format("VM '{}' is already stopped\n", name);
    else
        context.out() << fmt::format("VM '{}' was powered off (its disk is kept)\n", name);
    return 0;
}

}  // namespace vmctl::cli::commands
