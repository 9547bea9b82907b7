#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_down(Context& context, const Args& args) {
    CommandLine cli("hosts down [--force]",
                    "Stops every simulated host and removes its namespaces and links. Refused while they have VMs\n"
                    "(it lists them), unless --force, which lists and then deletes them all, whoever made them;\n"
                    "a protected pet among them stops it before anything is deleted.");
    cli.add()("force", "delete every VM still on the hosts (listed first; pets refuse)");
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
