#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/names.h"
#include "vmctl/core/size.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace vmctl::cli::commands {

int list(Context& context, const Args& args) {
    CommandLine cli("list [--json]", "Lists every VM on the host, running or not, including VMs made with virsh.");
    cli.add()("json", "print JSON for scripts")("label", po::value<std::string>(), "only VMs with this KEY=VALUE label");
    cli.examples("  vmctl list\n  vmctl list --label group=web\n  vmctl list --json\n");
    if (!cli.parse(args, context.out()))
        return 0;

    auto domains = context.hypervisor().list_domains();
    if (auto selector = cli.get_optional<std::string>("label")) {
        const auto [key, value] = parse_label(*selector);
        std::erase_if(domains, [&](const DomainSummary& d) {
            const auto it = d.metadata.labels.find(key);
            return it == d.metadata.labels.end() || it->second != value;
        });
    }
    std::sort(domains.begin(), domains.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    if (cli.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& d : domains) {
            rows.push_back({{"name", d.name},
                            {"uuid", d.uuid},
                            {"state", state_name(d.state)},
                            {"vcpus", d.vcpus},
                            {"memory_bytes", d.memory_bytes},
                            {"image", d.metadata.image},
                            {"machine_type", d.metadata.machine_type},
                            {"created", d.metadata.created_at},
                            {"labels", d.metadata.labels},
                            {"managed_by_vmctl", d.has_vmctl_metadata}});
        }
        context.out() << rows.dump(2) << '\n';
        return 0;
    }
    if (domains.empty()) {
        context.out() << "No VMs yet. Create one with: vmctl create hello\n";
        return 0;
    }
    Table table({"NAME", "STATE", "VCPUS", "MEMORY", "IMAGE", "GROUP", "KIND", "LABELS"});
    for (const auto& d : domains) {
        std::vector<std::string> labels;
        for (const auto& [key, value] : d.metadata.labels)
            if (key != "group" && key != "kind")
                labels.push_back(key + "=" + value);
        const auto label_or_dash = [&](const char* key) {
            const auto it = d.metadata.labels.find(key);
            return it == d.metadata.labels.end() || it->second.empty() ? std::string("-") : it->second;
        };
        table.add_row({d.name, state_name(d.state), std::to_string(d.vcpus), format_size(d.memory_bytes),
                       d.has_vmctl_metadata ? d.metadata.image : "(not vmctl)", label_or_dash("group"),
                       label_or_dash("kind"), labels.empty() ? "-" : fmt::format("{}", fmt::join(labels, ","))});
    }
    table.print(context.out());
    return 0;
}

}  // namespace vmctl::cli::commands
