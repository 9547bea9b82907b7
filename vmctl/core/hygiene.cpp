#include "vmctl/core/hygiene.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl {
namespace {

constexpr long long kDay = 86400;

std::string pet_note(bool pet) { return pet ? " (a protected pet: --fix leaves it to you)" : ""; }

}  // namespace

const char* finding_name(FindingKind kind) {
    switch (kind) {
    case FindingKind::IdleVm: return "idle-vm";
    case FindingKind::LongStopped: return "stopped-for-long";
    case FindingKind::UnusedVolume: return "unused-volume";
    case FindingKind::UnusedImage: return "unused-image";
    case FindingKind::OldSnapshot: return "old-snapshot";
    case FindingKind::NoOwner: return "no-owner";
    }
    return "unknown";
}

std::vector<Finding> find_hygiene_problems(const HygieneInput& input, const HygieneRules& rules,
                                           const PriceSheet& prices) {
    std::vector<Finding> findings;
    for (const auto& vm : input.vms) {
        const bool pet = has_pet_label(vm.labels);
        // Old snapshots are findings of their own, with their own cost; a VM
        // stopped for long counts only the rest, so no cost is added twice.
        const auto old_snapshots = static_cast<std::size_t>(
            std::count_if(vm.snapshots.begin(), vm.snapshots.end(), [&](const SnapshotInfo& snapshot) {
                return input.now - snapshot.created >= rules.snapshot_days * kDay;
            }));
        const double disk_month = monthly_disk_cost(prices, vm.disk_bytes) +
                                  static_cast<double>(vm.snapshots.size() - old_snapshots) * prices.snapshot_month;
        const double run_month = monthly_running_cost(prices, vm.vcpus, vm.memory_bytes);
        const bool running = vm.state == DomainState::Running;
        if (running && vm.cpu_percent && *vm.cpu_percent < rules.idle_cpu_percent)
            findings.push_back({FindingKind::IdleVm, vm.name, "", "",
                                fmt::format("running but idle: {:.1f}% of a CPU{}", *vm.cpu_percent, pet_note(pet)),
                                run_month, fmt::format("vmctl stop {}", vm.name), !pet});
        if (vm.state == DomainState::ShutOff && vm.stopped_since &&
            input.now - *vm.stopped_since >= rules.stopped_days * kDay)
            findings.push_back({FindingKind::LongStopped, vm.name, "", "",
                                fmt::format("stopped for {} days; its disk is still billed{}",
                                            (input.now - *vm.stopped_since) / kDay, pet_note(pet)),
                                disk_month, fmt::format("vmctl delete {}", vm.name), !pet});
        for (const auto& snapshot : vm.snapshots)
            if (input.now - snapshot.created >= rules.snapshot_days * kDay)
                findings.push_back({FindingKind::OldSnapshot, vm.name, snapshot.name, "",
                                    fmt::format("snapshot '{}' is {} days old{}", snapshot.name,
                                                (input.now - snapshot.created) / kDay, pet_note(pet)),
                                    prices.snapshot_month, fmt::format("vmctl snapshot delete {} {}", vm.name, snapshot.name),
                                    !pet});
        if (vm.labels.count("owner") == 0)
            findings.push_back({FindingKind::NoOwner, vm.name, "", "",
                                "has no 'owner' label: nobody will know whether it can go",
                                (running ? run_month : 0) + disk_month,
                                fmt::format("vmctl label {} owner=<who>", vm.name), false});
    }
    const std::string virsh = input.uri.empty() ? std::string("virsh") : "virsh -c " + input.uri;
    for (const auto& volume : input.unused_volumes)
        findings.push_back({FindingKind::UnusedVolume, volume.name, "", volume.path, "a disk volume no VM uses",
                            monthly_disk_cost(prices, volume.capacity_bytes),
                            fmt::format("{} vol-delete --pool vmctl {}", virsh, volume.name), true});
    for (const auto& image : input.golden_images)
        if (image.users == 0)
            findings.push_back({FindingKind::UnusedImage, image.name, "", "", "a golden image no VM uses",
                                monthly_disk_cost(prices, image.disk_bytes),
                                fmt::format("vmctl image delete {}", image.name), true});
    return findings;
}

std::string format_findings(const std::vector<Finding>& findings, const PriceSheet& prices) {
    if (findings.empty())
        return "Clean: no idle or long-stopped VMs, no unused disks or images, no old snapshots, every VM has an "
               "owner.\n";
    std::string text;
    double total = 0;
    double left_to_you = 0;  // on protected pets: --fix does not touch them
    std::size_t width = 0;
    for (const auto& f : findings)
        width = std::max(width, f.subject.size());
    for (const auto& f : findings) {
        text += fmt::format("{:<16} {:<{}}  {}; {}/month\n", finding_name(f.kind), f.subject, width, f.problem,
                            format_money(f.monthly_cost, prices));
        text += fmt::format("{:<16} {:<{}}  fix: {}\n", "", "", width, f.fix);
        if (f.kind == FindingKind::NoOwner)
            continue;
        total += f.monthly_cost;
        if (!f.automatic)
            left_to_you += f.monthly_cost;
    }
    text += fmt::format("{} finding{}; fixing them saves about {} a month{}{}\n", findings.size(),
                        findings.size() == 1 ? "" : "s", format_money(total, prices),
                        left_to_you > 0 ? fmt::format(" ({} of it on protected pets, which --fix leaves to you)",
                                                      format_money(left_to_you, prices))
                                        : std::string{},
                        prices.example ? " (at the EXAMPLE prices)" : "");
    return text;
}

std::optional<long long> last_seen_running(const std::vector<UsageRecord>& journal, const std::string& vm) {
    std::optional<long long> last_running;
    std::optional<long long> first_seen;
    for (const auto& record : journal) {
        if (record.vm != vm || record.deleted)
            continue;
        if (!first_seen || record.at < *first_seen)
            first_seen = record.at;
        if (record.running && (!last_running || record.at > *last_running))
            last_running = record.at;
    }
    // Never seen running: stopped at least since it was first seen.
    return last_running ? last_running : first_seen;
}

}  // namespace vmctl
