#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/disks.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int disk_detach(Context& context, const Args& args) {
    CommandLine cli("disk detach NAME DISK [--delete]",
                    "Unplugs a data disk (e.g. vdb) from a VM, live if it runs. Its volume is kept (its data too)\n"
                    "unless --delete.");
    cli.positional("NAME", 1, "the VM");
    cli.positional("DISK", 1, "the disk, as the guest names it: vdb, vdc, ...");
    cli.add()("delete", "also delete the disk's volume and its data");
    cli.examples("  vmctl disk detach web vdb\n  vmctl disk detach web vdb --delete\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const std::string target = cli.required("DISK");
    const auto result = ops::detach_disk(context.hypervisor(), name, target, cli.has("delete"),
                                         context.env().paths.pool_dir);
    context.out() << fmt::format("detached {} from VM '{}'; {}\n", target, name,
                                 result.deleted ? "its volume is deleted" : "its volume is kept at " + result.path);
    return 0;
}

}  // namespace vmctl::cli::commands
