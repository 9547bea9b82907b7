#pragma once

#include "vmctl/core/hypervisor.h"

#include <optional>
#include <string>

namespace vmctl::ops {

struct LimitRequest {
    std::optional<unsigned> cpu_quota_percent;  // of one host CPU per vCPU; 0 removes the cap
    std::optional<unsigned long long> cpu_shares;
    std::optional<unsigned> io_weight;           // 100..1000
};

inline constexpr unsigned long long kQuotaPeriodUs = 100000;

// Turns a request into libvirt's cgroup settings: pure.
Limits to_limits(const LimitRequest& request);

// The quota as a percentage of one CPU per vCPU, or nothing when unlimited.
std::optional<unsigned> quota_percent(const Limits& limits);

// Applies the limits, live when the VM runs, and in its definition.
Limits limit_vm(Hypervisor& hv, const std::string& name, const LimitRequest& request);

}  // namespace vmctl::ops
