// label: {vm: NAME, key: KEY, value: VALUE, host: HOST}   (no value: any value)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class Label final : public VmCheck {
public:
    explicit Label(const CheckArgs& args) : VmCheck(args), m_key(args.text("key")), m_value(args.text("value")) {}

    std::string claim() const override {
        return m_value.empty() ? fmt::format("VM '{}' has a label '{}'", m_vm, m_key)
                               : fmt::format("VM '{}' is labelled {}={}", m_vm, m_key, m_value);
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const auto vm = summary(env);
        if (!vm)
            return missing_vm();
        const auto label = vm->metadata.labels.find(m_key);
        if (label == vm->metadata.labels.end())
            return fmt::format("it has no label '{}'", m_key);
        if (m_value.empty() || label->second == m_value)
            return std::nullopt;
        return fmt::format("its label is {}={}", m_key, label->second);
    }

private:
    std::string m_key;
    std::string m_value;  // empty: any value
};

}  // namespace

CheckKind label_check() { return {"label", {"vm", "key", "value", "host"}, {"vm", "key"}, "", read_as<Label>}; }

}  // namespace vmctl::teach
