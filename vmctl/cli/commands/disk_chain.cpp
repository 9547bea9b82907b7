#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/size.h"
#include "vmctl/host/qemu_img.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {

int disk_chain(Context& context, const Args& args) {
    CommandLine cli("disk chain NAME [--json]",
                    "Shows what a VM's disks are on the host: each qcow2 file of the backing chain (the VM's own\n"
                    "overlay first, then the golden image under a linked clone), the size the guest sees, the\n"
                    "space each file takes, and the snapshots stored inside each layer.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("json", "print JSON for scripts");
    cli.examples("  vmctl disk chain web-2\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const DomainFacts facts = parse_domain_xml(context.hypervisor().domain_xml(name));
    auto& out = context.out();
    nlohmann::json disks = nlohmann::json::array();
    for (const auto& disk : facts.disks) {
        if (disk.device != "disk" || disk.path.empty())
            continue;
        const auto chain = host::backing_chain(disk.path);
        if (cli.has("json")) {
            nlohmann::json layers = nlohmann::json::array();
            for (const auto& layer : chain) {
                nlohmann::json snaps = nlohmann::json::array();
                for (const auto& s : layer.snapshots)
                    snaps.push_back({{"name", s.name}, {"vm_state_bytes", s.vm_state_bytes}});
                layers.push_back({{"path", layer.path},
                                  {"format", layer.format},
                                  {"virtual_bytes", layer.virtual_bytes},
                                  {"allocated_bytes", layer.allocated_bytes},
                                  {"backing", layer.backing},
                                  {"snapshots", snaps}});
            }
            disks.push_back({{"target", disk.target}, {"layers", layers}});
            continue;
        }
        out << fmt::format("disk {}:\n", disk.target);
        std::string indent = "  ";
        for (std::size_t i = 0; i < chain.size(); ++i) {
            const auto& layer = chain[i];
            out << fmt::format("{}{}{} ({}, {} virtual, {} on disk){}\n", indent, i == 0 ? "" : "└─ backed by ",
                               layer.path, layer.format, format_size(layer.virtual_bytes),
                               format_size(layer.allocated_bytes), i == 0 ? "  <- the VM writes here" : ", read-only");
            for (const auto& s : layer.snapshots)
                out << fmt::format("{}   snapshot {} ({})\n", indent, s.name,
                                   s.vm_state_bytes > 0 ? fmt::format("with {} of memory", format_size(s.vm_state_bytes))
                                                        : "disk only");
            indent += "   ";
        }
    }
    if (cli.has("json"))
        out << disks.dump(2) << '\n';
    return 0;
}

}  // namespace vmctl::cli::commands
