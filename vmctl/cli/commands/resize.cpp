#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/resize.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int resize(Context& context, const Args& args) {
    CommandLine cli("resize NAME [--cpus N] [--memory SIZE] [--disk-size SIZE]",
                    "Changes a VM's size: live where the hypervisor allows (vCPU hot-plug and the memory balloon up\n"
                    "to the maximums fixed at creation, growing a disk), otherwise at the next boot, and says which.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("cpus", po::value<int>(), "vCPUs (up to the VM's --max-cpus)")(
        "memory", po::value<std::string>(), "memory, e.g. 512M (up to the VM's --max-memory)")(
        "disk-size", po::value<std::string>(), "grow the disk to this size, e.g. 4G");
    cli.examples("  vmctl resize hello --memory 512M\n  vmctl resize hello --cpus 2\n"
                 "  vmctl exec hello -- nproc          # the guest sees it\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    ops::ResizeRequest request;
    if (auto cpus = cli.get_optional<int>("cpus")) {
        if (*cpus < 1)
            throw Error(ErrorKind::InvalidArgument, fmt::format("--cpus {} is out of range", *cpus), "at least 1");
        request.vcpus = static_cast<unsigned>(*cpus);
    }
    if (auto memory = cli.get_optional<std::string>("memory"))
        request.memory_bytes = parse_size(*memory, "--memory");
    if (auto disk = cli.get_optional<std::string>("disk-size"))
        request.disk_bytes = parse_size(*disk, "--disk-size");
    const auto changes = ops::resize_vm(context.hypervisor(), context.env(), name, request);
    if (changes.empty())
        context.out() << fmt::format("VM '{}' already has that size\n", name);
    for (const auto& change : changes)
        context.out() << fmt::format("{}: {} ({})\n", change.what, change.live ? "live" : "next boot", change.how);
    return 0;
}

}  // namespace vmctl::cli::commands
