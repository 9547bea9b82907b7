// vm_exists: NAME   (or {vm: NAME, host: HOST})
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmExists final : public VmCheck {
public:
    explicit VmExists(const CheckArgs& args) : VmCheck(args) {}

    std::string claim() const override { return fmt::format("VM '{}' exists{}", m_vm, on_host()); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        if (hypervisor(env).domain_exists(m_vm))
            return std::nullopt;
        return missing_vm();
    }
};

}  // namespace

CheckKind vm_exists_check() { return {"vm_exists", {"vm", "host"}, {"vm"}, "vm", read_as<VmExists>}; }

}  // namespace vmctl::teach
