// migrated: {vm: NAME, to: HOST}   (a completed live migration since the lab started)
#include "vmctl/teach/checks/check_kinds.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class Migrated final : public Check {
public:
    explicit Migrated(const CheckArgs& args) : m_vm(args.text("vm")), m_to(args.text("to")) {}

    std::string claim() const override {
        return m_to.empty() ? fmt::format("VM '{}' was live-migrated", m_vm)
                            : fmt::format("VM '{}' was live-migrated to {}", m_vm, m_to);
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const std::string since = env.progress != nullptr ? env.progress->started_at : std::string{};
        for (const auto& r : env.migrations())
            if (r.vm == m_vm && (m_to.empty() || r.to == m_to) && r.at >= since)
                return std::nullopt;
        return fmt::format("no migration of '{}'{} since the lab started (see 'vmctl help migrate')", m_vm,
                           m_to.empty() ? std::string{} : " to " + m_to);
    }

private:
    std::string m_vm;
    std::string m_to;  // empty: any host
};

}  // namespace

CheckKind migrated_check() { return {"migrated", {"vm", "to"}, {"vm"}, "", read_as<Migrated>}; }

}  // namespace vmctl::teach
