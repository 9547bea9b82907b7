#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/limit.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int limit(Context& context, const Args& args) {
    CommandLine cli("limit NAME [--cpu-quota PERCENT] [--cpu-shares N] [--io-weight N]",
                    "Caps or weighs what a VM may use on the host (Linux cgroups, set through libvirt), live.\n"
                    "--cpu-quota 50 lets each vCPU use at most half of one host CPU; 0 removes the cap.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("cpu-quota", po::value<unsigned>(), "percent of one host CPU per vCPU (1-100, 0 = no cap)")(
        "cpu-shares", po::value<unsigned long long>(), "relative CPU weight against other VMs (1024 = normal)")(
        "io-weight", po::value<unsigned>(), "relative disk I/O weight (100-1000)");
    cli.examples("  vmctl limit hello --cpu-quota 25\n  vmctl limit hello --cpu-quota 0\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const ops::LimitRequest request{cli.get_optional<unsigned>("cpu-quota"),
                                    cli.get_optional<unsigned long long>("cpu-shares"),
                                    cli.get_optional<unsigned>("io-weight")};
    const Limits now = ops::limit_vm(context.hypervisor(), name, request);
    const auto quota = ops::quota_percent(now);
    context.out() << fmt::format("VM '{}': cpu quota {}, cpu shares {}, io weight {}\n", name,
                                 quota ? fmt::format("{}% of a CPU per vCPU", *quota) : std::string("none"),
                                 now.cpu_shares ? std::to_string(*now.cpu_shares) : "-",
                                 now.io_weight ? std::to_string(*now.io_weight) : "-");
    return 0;
}

}  // namespace vmctl::cli::commands
