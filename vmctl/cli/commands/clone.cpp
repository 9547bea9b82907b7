#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/clone.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int clone(Context& context, const Args& args) {
    CommandLine cli("clone SRC DST [--linked] [--no-start]",
                    "Copies a stopped VM. A full clone copies its whole disk; a linked clone (--linked) freezes\n"
                    "SRC's disk as a read-only golden image and gives DST a thin qcow2 overlay on it, so it takes\n"
                    "almost no space and is made in a moment. The clone has its own name, UUID and boot id.");
    cli.positional("SRC", 1, "the VM to copy (it must be stopped: 'vmctl stop SRC')");
    cli.positional("DST", 1, "the new VM's name");
    cli.add()("linked", "a thin overlay on a golden image made from SRC's disk")(
        "no-start", "define the clone without starting it")(
        "timeout", po::value<unsigned>()->default_value(180), "seconds to wait for the clone's ready line");
    cli.examples("  vmctl stop web && vmctl clone web web-copy\n  vmctl clone web web-2 --linked\n");
    if (!cli.parse(args, context.out()))
        return 0;
    ops::CloneOptions options;
    options.source = cli.required("SRC");
    options.target = cli.required("DST");
    options.linked = cli.has("linked");
    options.start = !cli.has("no-start");
    options.ready_timeout = std::chrono::seconds(cli.get<unsigned>("timeout"));
    const auto result = ops::clone_vm(context.hypervisor(), context.env(), options, context.progress());
    auto& out = context.out();
    if (result.ready)
        out << result.ready->line << '\n';
    out << fmt::format("VM '{}' is a {} clone of '{}'{}\n", options.target, options.linked ? "linked" : "full",
                       options.source,
                       options.linked ? fmt::format(" (its disk is an overlay on golden image '{}')", result.base_image)
                                      : std::string());
    if (!options.start)
        out << fmt::format("start it with: vmctl start {}\n", options.target);
    return 0;
}

}  // namespace vmctl::cli::commands
