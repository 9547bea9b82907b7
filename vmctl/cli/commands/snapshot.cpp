#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int snapshot(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 4> kVerbs{{
        {"create", "save the VM's state (with its memory when it runs)", snapshot_create},
        {"list", "list a VM's snapshots, or draw them as a tree", snapshot_list},
        {"revert", "go back to a snapshot (a safety snapshot is taken first)", snapshot_revert},
        {"delete", "delete a snapshot (its children are kept)", snapshot_delete},
    }};
    return run_group(context, args, "snapshot",
                     "Snapshots save a VM's disks (and memory, if it runs) inside its qcow2 disk, so you can break "
                     "things and roll back.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
