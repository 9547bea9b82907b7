#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/snapshot.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int snapshot_delete(Context& context, const Args& args) {
    CommandLine cli("snapshot delete NAME SNAPSHOT [--children]",
                    "Deletes a snapshot. Its children are kept and attached to its parent, unless --children.");
    cli.positional("NAME", 1, "the VM");
    cli.positional("SNAPSHOT", 1, "the snapshot to delete");
    cli.add()("children", "delete its children (and theirs) too");
    cli.examples("  vmctl snapshot delete web before-upgrade\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string vm = cli.required("NAME");
    const auto removed =
        ops::delete_snapshot(context.hypervisor(), vm, cli.required("SNAPSHOT"), cli.has("children"));
    context.out() << fmt::format("deleted snapshot(s) of VM '{}': {}\n", vm, fmt::join(removed, ", "));
    return 0;
}

}  // namespace vmctl::cli::commands
