#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_up(Context& context, const Args& args) {
    CommandLine cli("hosts up [--count N]",
                    "Starts N simulated hosts (host-a, host-b, ...): each a libvirt daemon with its own state, host\n"
                    "UUID and network namespace on a private bridge, all sharing /var/lib/vmctl as network storage.");
    cli.add()("count", po::value<unsigned>()->default_value(2), "how many hosts");
    cli.examples("  sudo vmctl hosts up\n  vmctl --host host-a create web\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto up = ops::hosts_up(context.env(), cli.get<unsigned>("count"), context.progress());
    for (const auto& h : up)
        context.out() << fmt::format("{} is up at {}\n", h.name, h.uri);
    context.out() << "use them with --host NAME, e.g. vmctl --host host-a create web\n";
    return 0;
}

}  // namespace vmctl::cli::commands
