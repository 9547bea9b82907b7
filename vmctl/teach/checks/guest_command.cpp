// guest_command: {vm: NAME, run: SHELL, pattern: REGEX, host: HOST}
// (through the guest agent; its output matches)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include "vmctl/core/pattern.h"
#include "vmctl/host/files.h"
#include "vmctl/ops/exec.h"

#include <fmt/format.h>

#include <regex>

namespace vmctl::teach {
namespace {

class GuestCommand final : public VmCheck {
public:
    explicit GuestCommand(const CheckArgs& args)
        : VmCheck(args), m_run(args.text("run")), m_pattern(args.pattern("pattern")) {}

    std::string claim() const override { return fmt::format("'{}' inside '{}' prints /{}/", m_run, m_vm, m_pattern); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        Hypervisor& hv = hypervisor(env);
        if (!hv.domain_exists(m_vm))
            return missing_vm();
        ops::ExecOptions options;
        options.command = {"/bin/sh", "-c", m_run};
        const std::chrono::seconds patient_wait =
            std::chrono::duration_cast<std::chrono::seconds>(patience(env, std::chrono::seconds(30)));
        options.timeout = std::max(patient_wait, std::chrono::seconds(30));
        options.agent_wait = env.patient ? patient_wait : std::chrono::seconds(1);
        const ExecStatus status = ops::exec_in_guest(hv, m_vm, options);
        const std::string output = status.out + status.err;
        if (search_lines(output, std::regex(m_pattern)))
            return std::nullopt;
        return output.empty() ? std::string("it printed nothing")
                              : fmt::format("it printed '{}'", host::first_line(output));
    }

private:
    std::string m_run;
    std::string m_pattern;
};

}  // namespace

CheckKind guest_command_check() {
    return {"guest_command", {"vm", "run", "pattern", "host"}, {"vm", "run", "pattern"}, "", read_as<GuestCommand>};
}

}  // namespace vmctl::teach
