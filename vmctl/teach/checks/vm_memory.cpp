// vm_memory: {vm: NAME, size: 512M, host: HOST}   (what the guest has now)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include "vmctl/core/size.h"
#include "vmctl/ops/resize.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmMemory final : public VmCheck {
public:
    explicit VmMemory(const CheckArgs& args) : VmCheck(args), m_bytes(args.size("size")) {}

    std::string claim() const override { return fmt::format("VM '{}' has {} of memory", m_vm, format_size(m_bytes)); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        // The balloon lands near its target a few seconds after a resize or
        // a boot: a patient check gives it that time.
        const auto balloon =
            ops::wait_for_balloon(hypervisor(env), m_vm, m_bytes,
                                  std::chrono::duration_cast<std::chrono::seconds>(patience(env, std::chrono::seconds(20))));
        if (!balloon)
            return missing_vm();
        if (balloon->reached)
            return std::nullopt;
        return fmt::format("it has {} now", format_size(balloon->bytes));
    }

private:
    std::uint64_t m_bytes;
};

}  // namespace

CheckKind vm_memory_check() {
    return {"vm_memory", {"vm", "size", "host"}, {"vm", "size"}, "", read_as<VmMemory>};
}

}  // namespace vmctl::teach
