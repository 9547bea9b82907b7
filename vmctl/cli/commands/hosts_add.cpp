#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_add(Context& context, const Args& args) {
    CommandLine cli("hosts add NAME URI", "Adds a real host, so --host NAME, migrate and drain work with it.");
    cli.positional("NAME", 1, "a short name for the host");
    cli.positional("URI", 1, "its libvirt URI, e.g. qemu+ssh://user@lab2/system");
    cli.examples("  vmctl hosts add lab2 qemu+ssh://student@lab2/system\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto entry = ops::hosts_add(context.env(), cli.required("NAME"), cli.required("URI"));
    context.out() << fmt::format("host '{}' added ({})\n", entry.name, entry.uri);
    return 0;
}

}  // namespace vmctl::cli::commands
