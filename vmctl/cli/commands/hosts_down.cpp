#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_down(Context& context, const Args& args) {
    CommandLine cli("hosts down [NAME...] [--force]",
                    "Stops the simulated hosts named (every one without NAME) and removes their namespaces and\n"
                    "links. Refused while they have VMs (it lists them), unless --force, which lists and then\n"
                    "deletes them all, whoever made them; a protected pet among them stops it before anything is\n"
                    "deleted. A failed host is retired: what died with it is listed, and deleted with --force.");
    cli.positional("NAME", -1, "a simulated host in 'vmctl hosts list'");
    cli.add()("force", "delete every VM still on the hosts (listed first; pets refuse)");
    cli.examples("  vmctl hosts down\n  vmctl hosts down alice-host --force\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto stopped = ops::hosts_down(context.env(),
                                         cli.get_optional<std::vector<std::string>>("NAME").value_or(Args{}),
                                         cli.has("force"),
                                         [&](const std::string& uri) { return context.connect(uri); },
                                         context.progress());
    if (stopped.empty())
        context.out() << "no simulated hosts were up\n";
    else
        context.out() << fmt::format("stopped {}\n", fmt::join(stopped, ", "));
    return 0;
}

}  // namespace vmctl::cli::commands
