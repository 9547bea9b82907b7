#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/lifecycle.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int stop(Context& context, const Args& args) {
    CommandLine cli("stop NAME [--timeout S]",
                    "Presses the VM's (virtual) power button so the guest shuts down cleanly, and waits.\n"
                    "If the guest ignores it, 'vmctl destroy NAME' pulls the plug.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("timeout", po::value<unsigned>()->default_value(60), "seconds to wait for the guest to power off");
    cli.examples("  vmctl stop hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const auto result =
        ops::stop_vm(context.hypervisor(), context.env(), name, std::chrono::seconds(cli.get<unsigned>("timeout")));
    if (result.already_stopped)
        context.out() << fmt::format("VM '{}' is already stopped\n", name);
    else
        context.out() << fmt::format("VM '{}' shut down in {:.1f} s\n", name, result.seconds);
    return 0;
}

}  // namespace vmctl::cli::commands
