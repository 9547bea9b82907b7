#include "vmctl/ops/limit.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

namespace vmctl::ops {

Limits to_limits(const LimitRequest& request) {
    if (request.cpu_quota_percent && *request.cpu_quota_percent > 100)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--cpu-quota {} is over 100", *request.cpu_quota_percent),
                    "the quota is a percentage of one host CPU for each vCPU: 1 to 100, or 0 to remove the cap");
    if (request.io_weight && (*request.io_weight < 100 || *request.io_weight > 1000))
        throw Error(ErrorKind::InvalidArgument, fmt::format("--io-weight {} is out of range", *request.io_weight),
                    "choose between 100 and 1000; a bigger weight gets a bigger share of the disk");
    if (request.cpu_shares && (*request.cpu_shares < 2 || *request.cpu_shares > 262144))
        throw Error(ErrorKind::InvalidArgument, fmt::format("--cpu-shares {} is out of range", *request.cpu_shares),
                    "choose between 2 and 262144 (1024 is one normal share)");
    if (!request.cpu_quota_percent && !request.cpu_shares && !request.io_weight)
        throw Error(ErrorKind::Usage, "no limit given", "give --cpu-quota, --cpu-shares or --io-weight");
    Limits limits;
    if (request.cpu_quota_percent) {
        limits.vcpu_period_us = kQuotaPeriodUs;
        limits.vcpu_quota_us = *request.cpu_quota_percent == 0
                                   ? -1
                                   : static_cast<long long>(kQuotaPeriodUs * *request.cpu_quota_percent / 100);
    }
    limits.cpu_shares = request.cpu_shares;
    limits.io_weight = request.io_weight;
    return limits;
}

std::optional<unsigned> quota_percent(const Limits& limits) {
    if (!limits.vcpu_quota_us || *limits.vcpu_quota_us <= 0 || !limits.vcpu_period_us || *limits.vcpu_period_us == 0)
        return std::nullopt;
    const auto percent = static_cast<unsigned long long>(*limits.vcpu_quota_us) * 100 / *limits.vcpu_period_us;
    if (percent >= 100000)  // libvirt's "unlimited" is a huge quota
        return std::nullopt;
    return static_cast<unsigned>(percent);
}

Limits limit_vm(Hypervisor& hv, const std::string& name, const LimitRequest& request) {
    const Limits limits = to_limits(request);
    hv.set_limits(name, limits, hv.domain_state(name) == DomainState::Running);
    return hv.limits(name);
}

}  // namespace vmctl::ops
