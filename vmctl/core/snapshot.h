#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// One snapshot of a VM, as `vmctl snapshot list` shows it.
struct SnapshotInfo {
    std::string name;
    std::string parent;       // empty for a root
    std::string description;
    long long created = 0;    // seconds since the epoch
    std::string state;        // the VM's state when taken: "running" (with memory) or "shutoff"
    bool current = false;     // the snapshot the VM was last at
    unsigned vcpus = 0;       // the VM's size when the snapshot was taken
    unsigned long long memory_bytes = 0;
};

// Snapshot names: 1 to 63 of [A-Za-z0-9._-], starting with a letter or digit;
// throws Error(InvalidArgument) otherwise.
void validate_snapshot_name(std::string_view name);

// The name of the automatic snapshot taken before a revert, from a UTC time
// "YYYYmmdd-HHMMSS": "safety-20261127-210500".
std::string safety_snapshot_name(std::string_view utc_stamp);
inline constexpr std::string_view kSafetyPrefix = "safety-";

// XML for virDomainSnapshotCreateXML: name and description, escaped.
std::string build_snapshot_xml(const std::string& name, const std::string& description);

// Reads a <domainsnapshot> document (name, parent, description, time, state,
// and the VM's vCPUs and memory recorded in it). `current` is left false.
SnapshotInfo parse_snapshot_xml(const std::string& xml);

// Orders snapshots as a tree, parents before children, siblings by time,
// and returns the lines `vmctl snapshot list --tree` prints:
//   base  (2026-11-27 21:00)
//   ├─ before-upgrade
//   │  └─ safety-20261127-210500  *current*
//   └─ other
std::vector<std::string> render_snapshot_tree(const std::vector<SnapshotInfo>& snapshots);

// Formats an epoch time in UTC with a strftime pattern (by default
// "2026-11-27 21:00:00").
std::string format_utc(long long epoch_seconds, const char* pattern = "%Y-%m-%d %H:%M:%S");

}  // namespace vmctl
