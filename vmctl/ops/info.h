#pragma once

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/network.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

struct DiskInfo {
    DiskFacts facts;
    std::optional<VolumeFacts> volume;  // sizes, when the disk is a libvirt volume
};

// What `vmctl info` shows about one VM.
struct VmInfo {
    DomainFacts facts;
    DomainState state = DomainState::Other;
    std::vector<DiskInfo> disks;
    std::optional<int> qemu_pid;
    std::optional<std::chrono::seconds> uptime;
    std::optional<std::uint64_t> qemu_rss_bytes;
    Limits limits;  // cgroup settings (`vmctl limit`)
    VmAddress address;  // the NIC and, while running, its address
};

VmInfo vm_info(Hypervisor& hv, const Environment& env, const std::string& name);

}  // namespace vmctl::ops
