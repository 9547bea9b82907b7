// vm_absent: NAME   (or {vm: NAME, host: HOST})
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmAbsent final : public VmCheck {
public:
    explicit VmAbsent(const CheckArgs& args) : VmCheck(args) {}

    std::string claim() const override { return fmt::format("VM '{}' is gone{}", m_vm, on_host()); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        if (!hypervisor(env).domain_exists(m_vm))
            return std::nullopt;
        return fmt::format("it still exists; remove it with 'vmctl delete {}{}'", m_vm, host_flag(m_host));
    }
};

}  // namespace

CheckKind vm_absent_check() { return {"vm_absent", {"vm", "host"}, {"vm"}, "vm", read_as<VmAbsent>}; }

}  // namespace vmctl::teach
