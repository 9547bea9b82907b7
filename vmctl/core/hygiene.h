#pragma once

#include "vmctl/core/cost.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/core/snapshot.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl {

// What the hygiene checks look at, gathered by ops::gather_hygiene.
struct HygieneVm {
    std::string name;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t disk_bytes = 0;
    Labels labels;
    std::optional<double> cpu_percent;       // over the sampling window, running VMs only
    std::optional<long long> stopped_since;  // from the usage journal: when it was last seen running
    std::vector<SnapshotInfo> snapshots;
};

struct HygieneImage {
    std::string name;
    std::uint64_t disk_bytes = 0;  // the golden disk's allocation
    std::size_t users = 0;         // VMs whose disk is an overlay on it
};

struct HygieneInput {
    long long now = 0;
    std::string uri;  // the connection, so that printed virsh fixes name it (empty: virsh's default)
    std::vector<HygieneVm> vms;
    std::vector<VolumeFacts> unused_volumes;  // in vmctl's pool, no VM's disk
    std::vector<HygieneImage> golden_images;
};

struct HygieneRules {
    double idle_cpu_percent = 5.0;  // of one host CPU, over the window
    long long stopped_days = 7;
    long long snapshot_days = 30;
};

enum class FindingKind { IdleVm, LongStopped, UnusedVolume, UnusedImage, OldSnapshot, NoOwner };

// One problem, what it costs a month, and the exact command that fixes it.
struct Finding {
    FindingKind kind = FindingKind::IdleVm;
    std::string subject;      // the VM, volume or image
    std::string snapshot;     // OldSnapshot
    std::string volume_path;  // UnusedVolume
    std::string problem;      // in words
    double monthly_cost = 0;  // what the fix saves (NoOwner: what the VM costs)
    std::string fix;          // the command
    bool automatic = false;   // --fix can do it (a pet's never is; an owner needs a person's name)
};

// Finds idle running VMs, VMs stopped for long, unused volumes and golden
// images, old snapshots and VMs without an owner label. Pure.
std::vector<Finding> find_hygiene_problems(const HygieneInput& input, const HygieneRules& rules,
                                           const PriceSheet& prices);

// A short stable name for --json ("idle-vm").
const char* finding_name(FindingKind kind);

// The findings as lines with a monthly total, or a line saying all is clean.
std::string format_findings(const std::vector<Finding>& findings, const PriceSheet& prices);

// Since when the VM is known to be stopped, from the usage journal: when it
// was last seen running, else when it was first seen; nothing when unknown.
std::optional<long long> last_seen_running(const std::vector<UsageRecord>& journal, const std::string& vm);

}  // namespace vmctl
