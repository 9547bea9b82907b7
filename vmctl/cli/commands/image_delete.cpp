#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/image.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int image_delete(Context& context, const Args& args) {
    CommandLine cli("image delete IMAGE",
                    "Deletes a golden or imported image. Refused while VMs use it, on this host or any other known host (their\n"
                    "disks need it), and while a known host does not answer.");
    cli.positional("IMAGE", 1, "the golden image");
    cli.examples("  vmctl image delete web-golden\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("IMAGE");
    ops::delete_image(context.hypervisor(), context.env(), name, context.use_elsewhere());
    context.out() << fmt::format("image '{}' deleted\n", name);
    return 0;
}

}  // namespace vmctl::cli::commands
