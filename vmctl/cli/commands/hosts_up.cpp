#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_up(Context& context, const Args& args) {
    CommandLine cli("hosts up [--count N | --name NAME [--local-disks]]",
                    "Starts N simulated hosts (host-a, host-b, ...): each a libvirt daemon with its own state, host\n"
                    "UUID and network namespace on a private bridge, all sharing /var/lib/vmctl as network storage.\n"
                    "--name starts one host with a name of its own (or repairs it after 'vmctl hosts fail');\n"
                    "with --local-disks its VMs' disks are its own: no other host sees them, and they go with it.");
    cli.add()("count", po::value<unsigned>(), "how many hosts (2 unless told)")(
        "name", po::value<std::string>(), "one host with this name")(
        "local-disks", "with --name: its VMs' disks stay on the host itself, not on the shared storage");
    cli.examples("  sudo vmctl hosts up\n  vmctl --host host-a create web\n"
                 "  sudo vmctl hosts up --name alice-host --local-disks\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto name = cli.get_optional<std::string>("name");
    if (name && cli.has("count"))
        throw Error(ErrorKind::Usage, "--name and --count were both given",
                    "give --count N for host-a, host-b, ..., or --name NAME for one host");
    if (cli.has("local-disks") && !name)
        throw Error(ErrorKind::Usage, "--local-disks needs --name",
                    "e.g. 'vmctl hosts up --name my-host --local-disks': host-a, host-b... always share storage");
    std::vector<host::HostEntry> up;
    if (name)
        up.push_back(ops::hosts_up_named(context.env(), *name, cli.has("local-disks"), context.progress()));
    else
        up = ops::hosts_up(context.env(), cli.get_optional<unsigned>("count").value_or(2), context.progress());
    for (const auto& h : up)
        context.out() << fmt::format("{} is up at {}{}\n", h.name, h.uri,
                                     h.local_disks ? " (its VMs' disks are its own)" : "");
    context.out() << fmt::format("use {} with --host NAME, e.g. vmctl --host {} create web\n",
                                 up.size() == 1 ? "it" : "them", up.front().name);
    return 0;
}

}  // namespace vmctl::cli::commands
