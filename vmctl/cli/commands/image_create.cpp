#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/image.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int image_create(Context& context, const Args& args) {
    CommandLine cli("image create IMAGE --from VM",
                    "Copies the disk of a stopped, prepared VM into a read-only golden image. New VMs made with\n"
                    "'vmctl create NAME --image IMAGE' get a thin overlay on it: they start with its files.");
    cli.positional("IMAGE", 1, "the image's name (same rule as VM names)");
    cli.add()("from", po::value<std::string>(), "the VM whose disk becomes the image (stopped)");
    cli.examples("  vmctl stop web && vmctl image create web-golden --from web\n"
                 "  vmctl create web-2 --image web-golden\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("IMAGE");
    const auto from = cli.get_optional<std::string>("from");
    if (!from)
        throw Error(ErrorKind::Usage, "missing --from VM", "e.g. vmctl image create web-golden --from web");
    const auto image = ops::create_image(context.hypervisor(), context.env(), name, *from);
    context.out() << fmt::format("golden image '{}' made from VM '{}' ({}, read-only)\n", image.name, *from,
                                 image.base_disk)
                  << fmt::format("use it with: vmctl create NAME --image {}\n", image.name);
    return 0;
}

}  // namespace vmctl::cli::commands
