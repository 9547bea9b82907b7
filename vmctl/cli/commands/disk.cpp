#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int disk(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 3> kVerbs{{
        {"chain", "show each disk's qcow2 backing chain, sizes and stored snapshots", disk_chain},
        {"attach", "add a new data disk, hot-plugged while the VM runs", disk_attach},
        {"detach", "unplug a data disk", disk_detach},
    }};
    return run_group(context, args, "disk", "A VM's disks as files on the host.", kVerbs);
}

}  // namespace vmctl::cli::commands
