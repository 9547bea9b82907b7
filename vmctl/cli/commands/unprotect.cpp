#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int unprotect(Context& context, const Args& args) {
    CommandLine cli("unprotect NAME", "Removes a pet's protection (its kind=pet label), so it can be deleted.");
    cli.positional("NAME", 1, "the VM");
    cli.examples("  vmctl unprotect db && vmctl delete db --force\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const bool changed = ops::set_protected(context.hypervisor(), name, false);
    context.out() << fmt::format("VM '{}' {} protected\n", name, changed ? "is no longer" : "was not");
    return 0;
}

}  // namespace vmctl::cli::commands
