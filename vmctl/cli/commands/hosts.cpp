#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int hosts(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 6> kVerbs{{
        {"up", "start simulated lab hosts on this machine (root)", hosts_up},
        {"down", "stop simulated hosts (all, or those named), leaving nothing running", hosts_down},
        {"fail", "pull the plug of a simulated host: an unplanned failure", hosts_fail},
        {"list", "hosts with their URI, VMs, vCPUs and memory in use", hosts_list},
        {"add", "add a real host by its libvirt URI", hosts_add},
        {"remove", "forget a real host (its VMs are not touched)", hosts_remove},
    }};
    return run_group(context, args, "hosts",
                     "Hosts are machines that run VMs. 'vmctl hosts up' simulates a small cloud on this machine:\n"
                     "separate libvirt daemons that share one storage directory, so VMs can move between them.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
