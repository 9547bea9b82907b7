#pragma once

#include "vmctl/core/names.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// One line of vmctl's usage journal: what vmctl saw of one VM at one moment.
// vmctl writes one after each create, start, stop, destroy, resize and delete
// (`event` names it, so the change happened at `at`), and `vmctl cost` and
// `vmctl hygiene` write a "sample" of every VM first, so VMs started with
// virsh are counted too: their QEMU process's start time says since when.
struct UsageRecord {
    long long at = 0;  // seconds since the epoch
    std::string vm;
    std::string event = "sample";  // "create", "start", "stop", "resize", "delete", "sample"
    bool deleted = false;
    bool running = false;
    long long running_since = 0;  // when its QEMU process started; 0 when unknown
    unsigned vcpus = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t disk_bytes = 0;
    unsigned snapshots = 0;
    Labels labels;
};

// The journal line for a record (JSON, no newline).
std::string usage_line(const UsageRecord& record);

// A journal line back; nothing for a damaged line (a crash mid-write).
std::optional<UsageRecord> parse_usage_line(std::string_view line);

// What one VM used over a period.
struct Usage {
    std::string vm;
    Labels labels;               // its last known labels
    double running_hours = 0;
    double vcpu_hours = 0;
    double memory_gib_hours = 0;
    double disk_gib_days = 0;
    double snapshot_days = 0;    // one snapshot kept one day is 1
    bool exists = false;         // still there at the end of the journal
};

// Adds up the journal over [since, now], per VM, sorted by name. A VM runs
// from its QEMU start time (or from when it was first seen running) until a
// vmctl stop/destroy/delete says it stopped, or, when only a later sample saw
// it stopped, until it was last seen running (so vmctl never bills time it is
// not sure of). Its disk counts from when it was first seen until deleted
// (or until `now`).
// Pure.
std::vector<Usage> compute_usage(std::vector<UsageRecord> records, long long since, long long now);

// "7d", "12h", "30m", "2026-11-01" or "2026-11-01T10:00:00Z" as an epoch time,
// relative to `now`; throws Error(InvalidArgument) otherwise.
long long parse_since(std::string_view text, long long now);

// The first second of the month of `now`, UTC: the default start of a bill.
long long month_start(long long now);

}  // namespace vmctl
