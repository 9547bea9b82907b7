// serial_log: {vm: NAME, pattern: REGEX, within: SECONDS, host: HOST}
// (a line of the VM's console log matches; a patient check waits `within`)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/pattern.h"
#include "vmctl/host/serial_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace vmctl::teach {
namespace {

class SerialLog final : public VmCheck {
public:
    explicit SerialLog(const CheckArgs& args)
        : VmCheck(args),
          m_pattern(args.pattern("pattern")),
          m_within(args.has("within") ? args.number("within", 1, 3600) : 0) {}

    std::string claim() const override { return fmt::format("the console of '{}' shows /{}/", m_vm, m_pattern); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        Hypervisor& hv = hypervisor(env);
        if (!hv.domain_exists(m_vm))
            return missing_vm();
        const DomainFacts facts = parse_domain_xml(hv.domain_xml(m_vm));
        if (facts.serial_log.empty())
            return std::string("its console is not logged to a file");
        const std::regex pattern(m_pattern);
        const auto wait = patience(env, m_within);
        const auto line = host::wait_for_line(
            facts.serial_log, [&](const std::string& text) { return search_lines(text, pattern); },
            std::max(wait, std::chrono::milliseconds(50)), [] { return true; });
        if (line)
            return std::nullopt;
        return env.patient && m_within.count() > 0
                   ? fmt::format("no such line within {} s (see 'vmctl logs {}')",
                                 std::chrono::duration_cast<std::chrono::seconds>(wait).count(), m_vm)
                   : fmt::format("no such line yet (see 'vmctl logs {}')", m_vm);
    }

private:
    std::string m_pattern;
    std::chrono::seconds m_within;  // 0: look once
};

}  // namespace

CheckKind serial_log_check() {
    return {"serial_log", {"vm", "pattern", "within", "host"}, {"vm", "pattern"}, "", read_as<SerialLog>};
}

}  // namespace vmctl::teach
