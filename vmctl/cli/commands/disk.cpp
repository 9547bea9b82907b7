#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int disk(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 1> kVerbs{{
        {"chain", "show each disk's qcow2 backing chain, sizes and stored snapshots", disk_chain},
    }};
    return run_group(context, args, "disk", "A VM's disks as files on the host.", kVerbs);
}

}  // namespace vmctl::cli::commands
