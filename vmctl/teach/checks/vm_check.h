#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/teach/check.h"

#include <optional>
#include <string>
#include <vector>

namespace vmctl::teach {

// " on HOST" for a check about another host; empty for this one.
std::string on_host(const std::string& host);
// " --host HOST" for a command the student can run; empty for this host.
std::string host_flag(const std::string& host);

// What most kinds share: a check about one VM (`vm`), on this host or on
// another one (`host`).
class VmCheck : public Check {
protected:
    explicit VmCheck(const CheckArgs& args) : m_vm(args.text("vm")), m_host(args.text("host")) {}

    Hypervisor& hypervisor(const CheckEnvironment& env) const { return env.hypervisor(m_host); }
    std::string on_host() const { return teach::on_host(m_host); }
    // The reason when the VM does not exist, with where to look.
    std::string missing_vm() const;
    // The VM as `list` sees it, or nothing when it does not exist.
    std::optional<DomainSummary> summary(const CheckEnvironment& env) const;
    // The VM's snapshots into `snapshots`; the reason to fail when the VM or
    // its snapshot `name` is missing.
    std::optional<std::string> find_snapshot(const CheckEnvironment& env, const std::string& name,
                                             std::vector<SnapshotInfo>& snapshots) const;

    std::string m_vm;
    std::string m_host;  // empty or "local": this host
};

}  // namespace vmctl::teach
