#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/snapshot.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int snapshot_create(Context& context, const Args& args) {
    CommandLine cli("snapshot create NAME SNAPSHOT [--description TEXT]",
                    "Saves the VM's current state as SNAPSHOT. For a running VM it includes the memory, so a revert\n"
                    "resumes the guest exactly where it was; for a stopped VM, the disk only.");
    cli.positional("NAME", 1, "the VM");
    cli.positional("SNAPSHOT", 1, "the snapshot's name: letters, digits, '.', '_' or '-'");
    cli.add()("description", po::value<std::string>()->default_value(""), "a note for your future self");
    cli.examples("  vmctl snapshot create web before-upgrade --description \"works, v1\"\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string vm = cli.required("NAME");
    const std::string snap = cli.required("SNAPSHOT");
    const auto result = ops::create_snapshot(context.hypervisor(), vm, snap, cli.get<std::string>("description"));
    context.out() << fmt::format("snapshot '{}' of VM '{}' taken ({})\n", snap, vm,
                                 result.with_memory ? "disks and memory: the VM was running" : "disks only");
    return 0;
}

}  // namespace vmctl::cli::commands
