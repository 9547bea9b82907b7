#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/core/snapshot.h"

#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

struct SnapshotCreated {
    bool with_memory = false;  // a running VM's snapshot holds its memory too
};

// Takes an internal snapshot. Refuses bad names, a name in use, and UEFI
// guests (libvirt cannot snapshot their firmware variables internally).
SnapshotCreated create_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot,
                                const std::string& description);

struct RevertResult {
    std::string safety_snapshot;  // empty with --no-safety
    bool stopped_first = false;   // the VM was resized since the snapshot
    std::string note;             // what vmctl did and why, for the student
};

// Reverts to `snapshot`. Unless `no_safety`, first snapshots the current
// state as safety-<utc_stamp>, so the revert can itself be undone. A VM whose
// vCPUs or memory changed since the snapshot is stopped before the revert
// (libvirt cannot load the old memory into a resized QEMU and would leave it
// shut off). If the revert still fails, vmctl goes back to the safety snapshot.
RevertResult revert_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot, bool no_safety,
                             const std::string& utc_stamp);

// Deletes a snapshot; its children are kept (re-parented) unless `children`.
// Returns the names removed.
std::vector<std::string> delete_snapshot(Hypervisor& hv, const std::string& vm, const std::string& snapshot,
                                         bool children);

// "20261127-210500" for now, UTC: the stamp of safety snapshots.
std::string utc_stamp_now();

}  // namespace vmctl::ops
