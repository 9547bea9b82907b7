// vm_on_host: {vm: NAME, host: HOST}   (it runs there)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmOnHost final : public VmCheck {
public:
    explicit VmOnHost(const CheckArgs& args) : VmCheck(args) {}

    std::string claim() const override { return fmt::format("VM '{}' runs on {}", m_vm, m_host); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        Hypervisor& hv = hypervisor(env);
        if (!hv.domain_exists(m_vm))
            return fmt::format("it is not on {} (see 'vmctl list --all-hosts')", m_host);
        const std::string state = state_name(hv.domain_state(m_vm));
        if (state == "running")
            return std::nullopt;
        return fmt::format("it is on {} but {}", m_host, state);
    }
};

}  // namespace

CheckKind vm_on_host_check() { return {"vm_on_host", {"vm", "host"}, {"vm", "host"}, "", read_as<VmOnHost>}; }

}  // namespace vmctl::teach
