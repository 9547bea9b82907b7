#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/size.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {

int hosts_list(Context& context, const Args& args) {
    CommandLine cli("hosts list [--json]",
                    "Lists the known hosts: URI, state (a drain in progress too), VMs, vCPUs and memory in use,\n"
                    "free memory.");
    cli.add()("json", "print JSON for scripts");
    cli.examples("  vmctl hosts list\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto hosts = ops::hosts_status(context.env(), [&](const std::string& uri) { return context.connect(uri); });
    if (cli.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& h : hosts)
            rows.push_back({{"name", h.entry.name},
                            {"uri", h.entry.uri},
                            {"simulated", h.entry.simulated},
                            {"reachable", h.reachable},
                            {"failed", h.entry.failed},
                            {"draining_to", host::draining(h.entry) ? nlohmann::json(h.entry.draining_to)
                                                                    : nlohmann::json()},
                            {"local_disks", h.entry.local_disks},
                            {"vms", h.vms},
                            {"running", h.running},
                            {"vcpus_in_use", h.vcpus_in_use},
                            {"memory_in_use_bytes", h.memory_in_use},
                            {"free_memory_bytes", h.node.free_memory_bytes}});
        context.out() << rows.dump(2) << '\n';
        return 0;
    }
    if (hosts.empty()) {
        context.out() << "No hosts yet. Simulate two with: sudo vmctl hosts up\n";
        return 0;
    }
    Table table({"HOST", "URI", "STATE", "VMS", "VCPUS USED", "MEMORY USED", "FREE MEMORY"});
    for (const auto& h : hosts) {
        std::string state = h.entry.failed ? "failed" : h.reachable ? "up" : "unreachable";
        if (host::draining(h.entry))
            state += ", draining to " + h.entry.draining_to;
        table.add_row({h.entry.name, h.entry.uri, state, fmt::format("{} ({} running)", h.vms, h.running),
                       std::to_string(h.vcpus_in_use), format_size(h.memory_in_use),
                       h.reachable ? format_size(h.node.free_memory_bytes) : "-"});
    }
    table.print(context.out());
    return 0;
}

}  // namespace vmctl::cli::commands
