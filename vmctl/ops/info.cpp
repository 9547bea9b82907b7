#include "vmctl/ops/info.h"

#include "vmctl/core/error.h"
#include "vmctl/host/process.h"

namespace vmctl::ops {

VmInfo vm_info(Hypervisor& hv, const Environment& env, const std::string& name) {
    VmInfo info;
    info.facts = parse_domain_xml(hv.domain_xml(name));
    // The memory the VM was given (its definition), not where its balloon is
    // on the way there; `vmctl top` shows the balloon.
    info.facts.memory_bytes = parse_domain_xml(hv.domain_config_xml(name)).memory_bytes;
    info.state = hv.domain_state(name);
    for (const DiskFacts& disk : info.facts.disks)
        info.disks.push_back({disk, disk.path.empty() ? std::nullopt : hv.volume_by_path(disk.path)});
    try {
        info.limits = hv.limits(name);
    } catch (const Error&) {
        // Drivers without cgroups (test:///) have no limits to show.
    }
    info.address = vm_address(hv, env, info.facts, info.state);
    if (info.state != DomainState::ShutOff) {
        info.qemu_pid = host::qemu_pid(env.uri, name);
        if (info.qemu_pid) {
            info.uptime = host::process_age(*info.qemu_pid);
            info.qemu_rss_bytes = host::process_rss_bytes(*info.qemu_pid);
        }
    }
    return info;
}

}  // namespace vmctl::ops
