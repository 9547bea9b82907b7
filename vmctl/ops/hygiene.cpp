#include "vmctl/ops/hygiene.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/image.h"
#include "vmctl/ops/lifecycle.h"
#include "vmctl/ops/snapshot.h"
#include "vmctl/ops/top.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>

#include <ctime>
#include <map>
#include <thread>

namespace vmctl::ops {

HygieneInput gather_hygiene(Hypervisor& hv, const Environment& env, std::chrono::milliseconds window,
                            const std::vector<UsageRecord>& journal, const UseElsewhere& elsewhere) {
    HygieneInput input;
    input.now = static_cast<long long>(std::time(nullptr));
    input.uri = env.uri;
    const auto before = hv.all_domain_stats();
    std::this_thread::sleep_for(window);
    const auto after = hv.all_domain_stats();
    std::map<std::string, double> cpu;
    for (const auto& row : top_rows(before, after, std::chrono::duration<double>(window).count()))
        cpu[row.name] = row.cpu_percent;

    std::set<std::string> used = elsewhere.disks;
    for (const auto& summary : hv.list_domains()) {
        HygieneVm vm;
        vm.name = summary.name;
        vm.state = summary.state;
        vm.vcpus = summary.vcpus;
        vm.memory_bytes = summary.memory_bytes;
        vm.labels = summary.metadata.labels;
        std::string xml;
        try {
            xml = hv.domain_xml(summary.name);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::NotFound)
                throw;
            continue;  // deleted since the list: nothing left to report on it
        }
        const DomainFacts facts = parse_domain_xml(xml);
        for (const auto& disk : facts.disks)
            if (disk.device == "disk" && !disk.path.empty())
                if (const auto volume = hv.volume_by_path(disk.path))
                    vm.disk_bytes += volume->capacity_bytes;
        used.merge(defined_disks(hv, summary.name, xml));  // a disk only in the saved definition is used too
        if (vm.state == DomainState::Running && cpu.count(vm.name) != 0)
            vm.cpu_percent = cpu[vm.name];
        if (vm.state == DomainState::ShutOff)
            vm.stopped_since = last_seen_running(journal, vm.name);
        try {
            vm.snapshots = hv.list_snapshots(vm.name);
        } catch (const Error&) {
            // No snapshots on this driver.
        }
        input.vms.push_back(std::move(vm));
    }
    try {
        for (const auto& volume : hv.list_volumes(host::kPoolName))
            if (used.count(volume.path) == 0)
                input.unused_volumes.push_back(volume);
    } catch (const Error&) {
        // No pool yet: vmctl never made a VM here, so no volume is left over.
    }
    for (const auto& image : list_images(hv, env)) {
        if (!image.image.golden)
            continue;
        const auto there = elsewhere.image_users.find(image.image.name);
        input.golden_images.push_back({image.image.name, image.disk_bytes,
                                       image.used_by.size() + (there != elsewhere.image_users.end() ? there->second.size() : 0)});
    }
    return input;
}

std::string fix_finding(Hypervisor& hv, const Environment& env, const Finding& finding, const UseElsewhere& elsewhere) {
    if (!finding.automatic)
        throw Error(ErrorKind::InvalidState, fmt::format("'{}' is not fixed automatically", finding.subject),
                    fmt::format("do it yourself if you mean it: {}", finding.fix));
    switch (finding.kind) {
    case FindingKind::IdleVm:
        stop_vm(hv, env, finding.subject, std::chrono::seconds(60));
        return fmt::format("stopped '{}'", finding.subject);
    case FindingKind::LongStopped:
        delete_vm(hv, env, finding.subject, false);
        return fmt::format("deleted '{}'", finding.subject);
    case FindingKind::UnusedVolume:
        hv.delete_volume(finding.volume_path);
        return fmt::format("deleted volume {}", finding.volume_path);
    case FindingKind::UnusedImage:
        delete_image(hv, env, finding.subject, elsewhere);
        return fmt::format("deleted image '{}'", finding.subject);
    case FindingKind::OldSnapshot:
        delete_snapshot(hv, finding.subject, finding.snapshot, false);
        return fmt::format("deleted snapshot '{}' of '{}'", finding.snapshot, finding.subject);
    case FindingKind::NoOwner:
        break;
    }
    throw Error(ErrorKind::Internal, "no automatic fix for this finding", {});
}

}  // namespace vmctl::ops
