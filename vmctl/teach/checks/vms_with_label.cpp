// vms_with_label: {label: KEY=VALUE, count: N, host: HOST}
// Counts the student's VMs and those of no student, never a classmate's.
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include "vmctl/ops/labels.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class VmsWithLabel final : public Check {
public:
    explicit VmsWithLabel(const CheckArgs& args) : m_host(args.text("host")), m_count(args.number("count", 0, 1000)) {
        const std::string label = args.text("label");
        const auto equals = label.find('=');
        if (equals == std::string::npos || equals == 0)
            args.fail("label", fmt::format("'{}' is not a KEY=VALUE label", label), "write e.g. 'group=web'");
        m_key = label.substr(0, equals);
        m_value = label.substr(equals + 1);
    }

    std::string claim() const override {
        return fmt::format("{} VM{} labelled {}={}{}", m_count, m_count == 1 ? "" : "s", m_key, m_value,
                           on_host(m_host));
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        unsigned count = 0;
        for (const auto& d : env.hypervisor(m_host).list_domains()) {
            const auto owner = d.metadata.labels.find(kStudentLabelKey);
            if (!env.student.empty() && owner != d.metadata.labels.end() && owner->second != env.student)
                continue;  // a classmate's
            count += ops::has_label(d.metadata.labels, m_key, m_value) ? 1 : 0;
        }
        if (count == m_count)
            return std::nullopt;
        return fmt::format("there {} {} (see 'vmctl list{}')", count == 1 ? "is" : "are", count, host_flag(m_host));
    }

private:
    std::string m_host;
    unsigned m_count;
    std::string m_key;
    std::string m_value;
};

}  // namespace

CheckKind vms_with_label_check() {
    return {"vms_with_label", {"label", "count", "host"}, {"label", "count"}, "", read_as<VmsWithLabel>};
}

}  // namespace vmctl::teach
