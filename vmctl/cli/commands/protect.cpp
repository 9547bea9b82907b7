#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int protect(Context& context, const Args& args) {
    CommandLine cli("protect NAME", "Makes a VM a pet (label kind=pet): 'vmctl delete' refuses it until unprotected.");
    cli.positional("NAME", 1, "the VM");
    cli.examples("  vmctl protect db\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const bool changed = ops::set_protected(context.hypervisor(), name, true);
    context.out() << fmt::format("VM '{}' {} a protected pet\n", name, changed ? "is now" : "was already");
    return 0;
}

}  // namespace vmctl::cli::commands
