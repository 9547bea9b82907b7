#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/snapshot.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int snapshot_revert(Context& context, const Args& args) {
    CommandLine cli("snapshot revert NAME SNAPSHOT [--no-safety]",
                    "Takes the VM back to SNAPSHOT. First it saves the current state as 'safety-<time>', so a\n"
                    "revert by mistake can be undone by reverting to that.");
    cli.positional("NAME", 1, "the VM");
    cli.positional("SNAPSHOT", 1, "the snapshot to go back to");
    cli.add()("no-safety", "do not take the safety snapshot first");
    cli.examples("  vmctl snapshot revert web before-upgrade\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string vm = cli.required("NAME");
    const std::string snap = cli.required("SNAPSHOT");
    const auto result =
        ops::revert_snapshot(context.hypervisor(), vm, snap, cli.has("no-safety"), ops::utc_stamp_now());
    auto& out = context.out();
    if (!result.safety_snapshot.empty())
        out << fmt::format("saved the state before the revert as '{}' (undo: vmctl snapshot revert {} {})\n",
                           result.safety_snapshot, vm, result.safety_snapshot);
    if (!result.note.empty())
        out << "note: " << result.note << '\n';
    out << fmt::format("VM '{}' is back at snapshot '{}'\n", vm, snap);
    return 0;
}

}  // namespace vmctl::cli::commands
