#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/network.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace vmctl::cli::commands {

int list(Context& context, const Args& args) {
    CommandLine cli("list [--json]", "Lists every VM on the host, running or not, including VMs made with virsh.");
    cli.add()("json", "print JSON for scripts")("label", po::value<std::string>(), "only VMs with this KEY=VALUE label")(
        "all-hosts", "the VMs of every known host, with a HOST column");
    cli.examples("  vmctl list\n  vmctl list --label group=web\n  vmctl list --json\n");
    if (!cli.parse(args, context.out()))
        return 0;

    // Each row with the host it lives on, and the addresses of running VMs
    // (by host and name).
    std::vector<std::pair<std::string, DomainSummary>> rows;
    std::map<std::pair<std::string, std::string>, std::string> addresses;
    const auto add_host = [&](const std::string& host_name, Hypervisor& hv) {
        std::vector<DomainSummary> domains = hv.list_domains();
        for (auto& [vm, ip] : ops::running_addresses(hv, context.env(), domains))
            addresses[{host_name, vm}] = ip;
        for (auto& d : domains)
            rows.emplace_back(host_name, std::move(d));
    };
    add_host(context.host_name(), context.hypervisor());
    const bool all_hosts = cli.has("all-hosts");
    if (all_hosts)
        for (const auto& [host_name, hv] : context.other_hosts())
            add_host(host_name, *hv);
    if (auto selector = cli.get_optional<std::string>("label")) {
        // Plain names: a lambda may not capture structured bindings before clang 16.
        const auto wanted = parse_label(*selector);
        const std::string& key = wanted.first;
        const std::string& value = wanted.second;
        std::erase_if(rows, [&](const auto& row) { return !ops::has_label(row.second.metadata.labels, key, value); });
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
    });
    const auto address_of = [&](const std::string& host_name, const std::string& vm) {
        const auto it = addresses.find({host_name, vm});
        return it == addresses.end() ? std::string() : it->second;
    };
    if (cli.has("json")) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& [host_name, d] : rows) {
            const std::string ip = address_of(host_name, d.name);
            items.push_back({{"name", d.name},
                             {"host", host_name},
                            {"uuid", d.uuid},
                            {"state", state_name(d.state)},
                            {"ip", ip.empty() ? nlohmann::json(nullptr) : nlohmann::json(ip)},
                            {"network", d.metadata.network},
                            {"mac", d.metadata.mac},
                            {"vcpus", d.vcpus},
                            {"memory_bytes", d.memory_bytes},
                            {"image", d.metadata.image},
                            {"machine_type", d.metadata.machine_type},
                            {"created", d.metadata.created_at},
                            {"labels", d.metadata.labels},
                            {"managed_by_vmctl", d.has_vmctl_metadata}});
        }
        context.out() << items.dump(2) << '\n';
        return 0;
    }
    if (rows.empty()) {
        context.out() << "No VMs yet. Create one with: vmctl create hello\n";
        return 0;
    }
    std::vector<std::string> headers{"NAME", "STATE", "IP", "VCPUS", "MEMORY", "IMAGE", "GROUP", "KIND", "LABELS"};
    if (all_hosts)
        headers.insert(headers.begin() + 1, "HOST");
    Table table(headers);
    for (const auto& row : rows) {
        const std::string& host_name = row.first;
        const DomainSummary& d = row.second;
        std::vector<std::string> labels;
        for (const auto& [key, value] : d.metadata.labels)
            if (key != "group" && key != "kind")
                labels.push_back(key + "=" + value);
        const auto label_or_dash = [&](const char* key) {
            const auto it = d.metadata.labels.find(key);
            return it == d.metadata.labels.end() || it->second.empty() ? std::string("-") : it->second;
        };
        const std::string ip = address_of(host_name, d.name);
        std::vector<std::string> cells{d.name, state_name(d.state), ip.empty() ? "-" : ip, std::to_string(d.vcpus),
                                       format_size(d.memory_bytes),
                                       d.has_vmctl_metadata ? d.metadata.image : "(not vmctl)", label_or_dash("group"),
                                       label_or_dash("kind"),
                                       labels.empty() ? "-" : fmt::format("{}", fmt::join(labels, ","))};
        if (all_hosts)
            cells.insert(cells.begin() + 1, host_name);
        table.add_row(cells);
    }
    table.print(context.out());
    return 0;
}

}  // namespace vmctl::cli::commands
