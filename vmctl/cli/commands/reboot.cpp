#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/lifecycle.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int reboot(Context& context, const Args& args) {
    CommandLine cli("reboot NAME [--no-wait]",
                    "Asks the guest to reboot and waits for the new boot's ready line (a new boot id).");
    cli.positional("NAME", 1, "the VM");
    cli.add()("no-wait", "return once the reboot is requested")(
        "timeout", po::value<unsigned>()->default_value(180), "seconds to wait for the ready line (at least 900 for a VM set up by cloud-init)");
    cli.examples("  vmctl reboot hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const auto result = ops::reboot_vm(context.hypervisor(), context.env(), name, !cli.has("no-wait"),
                                       std::chrono::seconds(cli.get<unsigned>("timeout")), context.progress());
    if (result.ready)
        context.out() << result.ready->line << '\n'
                      << fmt::format("VM '{}' rebooted (ready after {:.2f} s)\n", name, result.boot_seconds);
    else
        context.out() << fmt::format("VM '{}' is rebooting\n", name);
    return 0;
}

}  // namespace vmctl::cli::commands
