// vm_state: {vm: NAME, state: running | shut off | paused, host: HOST}
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace vmctl::teach {
namespace {

const std::array<const char*, 3> kStates{"running", "shut off", "paused"};

class VmState final : public VmCheck {
public:
    explicit VmState(const CheckArgs& args) : VmCheck(args), m_state(args.text("state")) {
        if (std::find(kStates.begin(), kStates.end(), m_state) == kStates.end())
            args.fail("state", fmt::format("'{}' is not a VM state", m_state),
                      fmt::format("use one of: {}", fmt::join(kStates, ", ")));
    }

    std::string claim() const override { return fmt::format("VM '{}' is {}{}", m_vm, m_state, on_host()); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        Hypervisor& hv = hypervisor(env);
        if (!hv.domain_exists(m_vm))
            return missing_vm();
        const std::string state = state_name(hv.domain_state(m_vm));
        if (state == m_state)
            return std::nullopt;
        return fmt::format("it is {}", state);
    }

private:
    std::string m_state;
};

}  // namespace

CheckKind vm_state_check() {
    return {"vm_state", {"vm", "state", "host"}, {"vm", "state"}, "", read_as<VmState>};
}

}  // namespace vmctl::teach
