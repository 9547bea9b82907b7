#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/delete.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int remove(Context& context, const Args& args) {
    CommandLine cli("delete NAME [--force]",
                    "Removes a VM and the disk volumes vmctl made for it. A running VM needs --force.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("force", "stop the VM first if it is running");
    cli.examples("  vmctl delete hello\n  vmctl delete hello --force\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const auto result = ops::delete_vm(context.hypervisor(), context.env(), name, cli.has("force"));
    auto& out = context.out();
    out << fmt::format("VM '{}' deleted{}", name, result.was_running ? " (it was running and was stopped)" : "");
    out << fmt::format("; removed {} volume(s)\n", result.removed_volumes.size());
    for (const auto& disk : result.kept_disks)
        out << fmt::format("kept {}: it is not a vmctl volume\n", disk);
    return 0;
}

}  // namespace vmctl::cli::commands
