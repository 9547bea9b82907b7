#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/disks.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int disk_attach(Context& context, const Args& args) {
    CommandLine cli("disk attach NAME --size SIZE",
                    "Adds a new empty data disk to a VM: hot-plugged while it runs (the guest sees /dev/vdX at once).");
    cli.positional("NAME", 1, "the VM");
    cli.add()("size", po::value<std::string>(), "the disk's size, e.g. 512M");
    cli.examples("  vmctl disk attach web --size 512M\n  vmctl exec web -- ls /dev/vdb\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto size = cli.get_optional<std::string>("size");
    if (!size)
        throw Error(ErrorKind::Usage, "missing --size", "e.g. vmctl disk attach web --size 512M");
    const std::string name = cli.required("NAME");
    const auto disk = ops::attach_disk(context.hypervisor(), context.env(), name, parse_size(*size, "--size"));
    context.out() << fmt::format("attached {} ({}) to VM '{}' as /dev/{}{}\n", disk.path, *size, name, disk.target,
                                 disk.live ? ", live" : ", seen at its next boot");
    return 0;
}

}  // namespace vmctl::cli::commands
