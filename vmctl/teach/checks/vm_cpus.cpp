// vm_cpus: {vm: NAME, count: N, host: HOST}   (the live count)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmCpus final : public VmCheck {
public:
    explicit VmCpus(const CheckArgs& args) : VmCheck(args), m_count(args.number("count", 0, 1000)) {}

    std::string claim() const override {
        return fmt::format("VM '{}' has {} vCPU{}", m_vm, m_count, m_count == 1 ? "" : "s");
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto vm = summary(env);
        if (!vm)
            return missing_vm();
        if (vm->vcpus == m_count)
            return std::nullopt;
        return fmt::format("it has {} now", vm->vcpus);
    }

private:
    unsigned m_count;
};

}  // namespace

CheckKind vm_cpus_check() { return {"vm_cpus", {"vm", "count", "host"}, {"vm", "count"}, "", read_as<VmCpus>}; }

}  // namespace vmctl::teach
