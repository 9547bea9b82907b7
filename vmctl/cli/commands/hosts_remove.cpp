#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_remove(Context& context, const Args& args) {
    CommandLine cli("hosts remove NAME",
                    "Forgets a real host added with 'vmctl hosts add'. Its VMs are not touched; lab hosts go\n"
                    "with 'vmctl hosts down'.");
    cli.positional("NAME", 1, "the host's name in 'vmctl hosts list'");
    cli.examples("  vmctl hosts remove lab2\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    ops::hosts_remove(context.env(), name);
    context.out() << fmt::format("host '{}' removed from the list (its VMs were not touched)\n", name);
    return 0;
}

}  // namespace vmctl::cli::commands
