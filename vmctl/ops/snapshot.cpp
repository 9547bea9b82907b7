#include "vmctl/ops/snapshot.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/core/size.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <set>

namespace vmctl::ops {
namespace {

const SnapshotInfo* find(const std::vector<SnapshotInfo>& list, const std::string& name) {
    auto it = std::find_if(list.begin(), list.end(), [&](const SnapshotInfo& s) { return s.name == name; });
    return it == list.end() ? nullptr : &*it;
}

Error no_such_snapshot(const std::string& vm, const std::string& snapshot) {
    return Error(ErrorKind::NotFound, fmt::format("VM '{}' has no snapshot named '{}'", vm, snapshot),
                 fmt::format("see its snapshots with 'vmctl snapshot list {}'", vm));
}

}  // namespace

std::string utc_stamp_now() { return format_utc(std::time(nullptr), "%Y%m%d-%H%M%S"); }

SnapshotCreated create_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot,
                                const std::string& description) {
    validate_text("snapshot description", description, 500);
    validate_snapshot_name(snapshot);
    if (parse_domain_xml(hv.domain_xml(vm)).firmware_in_flash)
        throw Error(ErrorKind::Unsupported,
                    fmt::format("VM '{}' boots with UEFI firmware; libvirt cannot take internal snapshots of it", vm),
                    "use a BIOS VM (every vmctl image boots by BIOS), or copy its disk with 'vmctl clone'");
    if (find(hv.list_snapshots(vm), snapshot) != nullptr)
        throw Error(ErrorKind::AlreadyExists, fmt::format("VM '{}' already has a snapshot named '{}'", vm, snapshot),
                    "choose another name, or delete the old one with 'vmctl snapshot delete'");
    const bool running = hv.domain_state(vm) == DomainState::Running;
    hv.create_snapshot(vm, build_snapshot_xml(snapshot, description));
    return {running};
}

RevertResult revert_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot, bool no_safety,
                             const std::string& utc_stamp) {
    const auto list = hv.list_snapshots(vm);
    const SnapshotInfo* target = find(list, snapshot);
    if (target == nullptr)
        throw no_such_snapshot(vm, snapshot);

    RevertResult result;
    if (!no_safety) {
        result.safety_snapshot = safety_snapshot_name(utc_stamp);
        // Two reverts within one second: the second safety snapshot gets -2, -3, ...
        for (unsigned n = 2; find(list, result.safety_snapshot) != nullptr; ++n)
            result.safety_snapshot = fmt::format("{}-{}", safety_snapshot_name(utc_stamp), n);
        hv.create_snapshot(vm, build_snapshot_xml(result.safety_snapshot,
                                                  fmt::format("automatic safety snapshot before reverting to '{}'",
                                                              snapshot)));
    }

    const DomainFacts now = parse_domain_xml(hv.domain_xml(vm));
    const bool running = hv.domain_state(vm) == DomainState::Running;
    if (running && target->state == "running" &&
        (now.vcpus != target->vcpus || now.memory_bytes != target->memory_bytes)) {
        result.stopped_first = true;
        result.note = fmt::format(
            "the VM was resized since '{}' (vCPUs {} -> {}, memory {} -> {}); its saved memory only fits the old "
            "size, so vmctl stopped the VM before reverting and QEMU restarted it at the snapshot's size",
            snapshot, target->vcpus, now.vcpus, format_size(target->memory_bytes), format_size(now.memory_bytes));
        hv.destroy_domain(vm);
    }
    try {
        hv.revert_snapshot(vm, snapshot);
    } catch (const Error& e) {
        if (result.safety_snapshot.empty())
            throw;
        spdlog::warn("revert to '{}' failed ({}); going back to '{}'", snapshot, e.what(), result.safety_snapshot);
        try {
            hv.revert_snapshot(vm, result.safety_snapshot);
        } catch (const Error& again) {
            throw Error(e.kind(),
                        fmt::format("could not revert VM '{}' to '{}' ({}), nor go back to '{}' ({})", vm, snapshot,
                                    e.what(), result.safety_snapshot, again.what()),
                        fmt::format("your state is kept in snapshot '{}'; see 'vmctl snapshot list {}'",
                                    result.safety_snapshot, vm));
        }
        throw Error(e.kind(), fmt::format("could not revert VM '{}' to '{}': {}", vm, snapshot, e.what()),
                    fmt::format("nothing was lost: the VM is back at safety snapshot '{}'", result.safety_snapshot));
    }
    return result;
}

std::vector<std::string> delete_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot,
                                         bool children) {
    const auto list = hv.list_snapshots(vm);
    if (find(list, snapshot) == nullptr)
        throw no_such_snapshot(vm, snapshot);
    std::vector<std::string> removed{snapshot};
    if (children) {
        std::set<std::string> doomed{snapshot};
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& s : list)
                if (doomed.count(s.parent) != 0 && doomed.insert(s.name).second) {
                    removed.push_back(s.name);
                    grew = true;
                }
        }
    }
    hv.delete_snapshot(vm, snapshot, children);
    return removed;
}

}  // namespace vmctl::ops
