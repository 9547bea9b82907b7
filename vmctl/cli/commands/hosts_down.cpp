#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_down(Context& context, const Args& args) {
    CommandLine cli("hosts down [--force]",
                    "Stops every simulated host and removes its namespaces and links. Refused while they run VMs,\n"
                    "unless --force, which deletes those VMs.");
    cli.add()("force", "delete the VMs still on the hosts");
    cli.examples("  vmctl hosts down\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto stopped = ops::hosts_down(context.env(), cli.has("force"),
                                         [&](const std::string& uri) { return context.connect(uri); },
                                         context.progress());
    if (stopped.empty())
        context.out() << "no simulated hosts were up\n";
    else
        context.out() << fmt::format("stopped {}\n", fmt::join(stopped, ", "));
    return 0;
}

}  // namespace vmctl::cli::commands
