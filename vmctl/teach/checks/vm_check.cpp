#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

bool is_local(const std::string& host) { return host.empty() || host == "local"; }

}  // namespace

std::string on_host(const std::string& host) { return is_local(host) ? std::string{} : " on " + host; }

std::string host_flag(const std::string& host) { return is_local(host) ? std::string{} : " --host " + host; }

std::string VmCheck::missing_vm() const {
    return fmt::format("there is no VM named '{}'{} (see 'vmctl list{}')", m_vm, on_host(), host_flag(m_host));
}

std::optional<DomainSummary> VmCheck::summary(const CheckEnvironment& env) const {
    for (auto& d : hypervisor(env).list_domains())
        if (d.name == m_vm)
            return d;
    return std::nullopt;
}

std::optional<std::string> VmCheck::find_snapshot(const CheckEnvironment& env, const std::string& name,
                                                  std::vector<SnapshotInfo>& snapshots) const {
    Hypervisor& hv = hypervisor(env);
    if (!hv.domain_exists(m_vm))
        return missing_vm();
    snapshots = hv.list_snapshots(m_vm);
    for (const auto& s : snapshots)
        if (s.name == name)
            return std::nullopt;
    return fmt::format("it has no snapshot '{}' (see 'vmctl snapshot list {}')", name, m_vm);
}

}  // namespace vmctl::teach
