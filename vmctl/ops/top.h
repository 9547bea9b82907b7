#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

// One row of `vmctl top`.
struct TopRow {
    std::string name;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;
    double cpu_percent = 0;  // of one host CPU, as the host sees it (200 = two CPUs busy)
    std::uint64_t memory_bytes = 0;  // balloon target
    std::optional<std::uint64_t> guest_used_bytes;
    std::optional<std::uint64_t> rss_bytes;
    double disk_read_per_s = 0;
    double disk_write_per_s = 0;
    std::optional<long> uptime_seconds;
};

// The CPU a VM used between two samples `seconds` apart, in % of one core
// (0 when its counter went back: it restarted in between).
double cpu_percent(const DomainStats& then, const DomainStats& now, double seconds);

// Rows from two bulk samples taken `seconds` apart: CPU % and disk rates are
// differences. Pure.
std::vector<TopRow> top_rows(const std::vector<DomainStats>& before, const std::vector<DomainStats>& after,
                             double seconds);

// Takes two samples `interval` apart (one bulk call each) and adds uptimes.
std::vector<TopRow> sample_top(Hypervisor& hv, const Environment& env, std::chrono::milliseconds interval);

}  // namespace vmctl::ops
