#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/lifecycle.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int start(Context& context, const Args& args) {
    CommandLine cli("start NAME [--no-wait]", "Starts a stopped VM and waits until the guest is ready.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("no-wait", "return once the VM is started")(
        "timeout", po::value<unsigned>()->default_value(180), "seconds to wait for the ready line (at least 900 for a VM set up by cloud-init)");
    cli.examples("  vmctl start hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const auto result = ops::start_vm(context.hypervisor(), context.env(), name, !cli.has("no-wait"),
                                      std::chrono::seconds(cli.get<unsigned>("timeout")), context.progress());
    if (result.already_running) {
        context.out() << fmt::format("VM '{}' is already running\n", name);
        return 0;
    }
    if (result.ready)
        context.out() << result.ready->line << '\n'
                      << fmt::format("VM '{}' is running (ready after {:.2f} s)\n", name, result.boot_seconds);
    else
        context.out() << fmt::format("VM '{}' is starting\n", name);
    return 0;
}

}  // namespace vmctl::cli::commands
