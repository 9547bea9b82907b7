#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int image(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 3> kVerbs{{
        {"create", "freeze a stopped VM's disk as a read-only golden image", image_create},
        {"list", "list images with their size and the VMs that use them", image_list},
        {"delete", "delete a golden image no VM uses", image_delete},
    }};
    return run_group(context, args, "image",
                     "Images are what VMs boot from: 'tiny' is built from Debian packages; golden images are\n"
                     "prepared VMs frozen read-only, the base of linked clones and herds.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
