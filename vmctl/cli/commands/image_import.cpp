#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/image.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int image_import(Context& context, const Args& args) {
    CommandLine cli("image import IMAGE FILE [--no-cloud-init]",
                    "Imports a cloud image you already have (qcow2 or raw, e.g. Debian's or Ubuntu's generic cloud\n"
                    "images): qemu-img checks its format, size and integrity, and a read-only copy becomes image\n"
                    "IMAGE. VMs made from it boot through the firmware and its own boot loader; cloud-init in it\n"
                    "applies the hostname, your SSH key and --startup-script, and 'vmctl create' waits for it.");
    cli.positional("IMAGE", 1, "the new image's name (same rule as VM names)");
    cli.positional("FILE", 2, "the image file");
    cli.add()("no-cloud-init",
              "the image has no cloud-init: VMs get no SSH key or startup script, and create does not wait");
    cli.examples("  vmctl image import debian-cloud ./debian-12-genericcloud-amd64.qcow2\n"
                 "  vmctl create web --image debian-cloud --startup-script ./web.sh\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("IMAGE");
    const std::string file = cli.required("FILE");
    const bool cloud_init = !cli.has("no-cloud-init");
    context.progress()(fmt::format("checking and copying {} (a large image takes a while)...", file));
    const auto image = ops::import_image(context.hypervisor(), context.env(), name, file, cloud_init);
    context.out() << fmt::format("image '{}' imported from {} ({}, read-only)\n", image.name, file, image.base_disk);
    if (!cloud_init)
        context.out() << "without cloud-init: VMs made from it get no SSH key and run no startup script\n";
    context.out() << fmt::format("use it with: vmctl create NAME --image {}\n", image.name);
    return 0;
}

}  // namespace vmctl::cli::commands
