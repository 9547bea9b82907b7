#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int image(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 5> kVerbs{{
        {"create", "freeze a stopped VM's disk as a read-only golden image", image_create},
        {"import", "import a cloud image you have (qcow2 or raw) as a read-only image", image_import},
        {"build", "build a built-in image from Debian packages (debian-12: about 10 minutes)", image_build},
        {"list", "list images with their size and the VMs that use them", image_list},
        {"delete", "delete a golden or imported image no VM uses", image_delete},
    }};
    return run_group(context, args, "image",
                     "Images are what VMs boot from: 'tiny' and 'debian-12' are built from Debian packages; golden\n"
                     "images are prepared VMs frozen read-only, the base of linked clones and herds; imported\n"
                     "images are cloud images you bring.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
