#include "vmctl/ops/exec.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <thread>

namespace vmctl::ops {

ExecStatus exec_in_guest(Hypervisor& hv, const std::string& name, const ExecOptions& options) {
    if (options.command.empty())
        throw Error(ErrorKind::Usage, "no command to run", fmt::format("e.g. vmctl exec {} -- uname -a", name));
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    if (hv.domain_state(name) != DomainState::Running)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is not running", name),
                    fmt::format("start it with 'vmctl start {}'", name));
    if (!facts.has_guest_agent)
        throw Error(ErrorKind::Unsupported, fmt::format("VM '{}' has no guest agent channel", name),
                    "create it with vmctl (its VMs get one), or use 'vmctl console'");

    using Clock = std::chrono::steady_clock;
    const std::vector<std::string> args(options.command.begin() + 1, options.command.end());
    const std::string request = guest_exec_request(options.command.front(), args);
    // Right after a boot the agent is still starting: retry until agent_wait.
    const auto agent_deadline = Clock::now() + options.agent_wait;
    long pid = 0;
    for (;;) {
        try {
            pid = parse_guest_exec_pid(hv.agent_command(name, request, options.answer_timeout_s));
            break;
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Timeout)
                throw;
            if (Clock::now() >= agent_deadline)
                throw Error(ErrorKind::Timeout,
                            fmt::format("the guest agent of VM '{}' did not answer within {} s", name,
                                        options.agent_wait.count()),
                            "it starts a second or two after the ready line; wait and try again, or check "
                            "'vmctl logs " + name + "' for 'vmctl-guest: agent started'");
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
    const auto deadline = Clock::now() + options.timeout;
    auto pause = std::chrono::milliseconds(10);
    for (;;) {
        const ExecStatus status = parse_guest_exec_status(
            hv.agent_command(name, guest_exec_status_request(pid), options.answer_timeout_s));
        if (status.exited)
            return status;
        if (Clock::now() >= deadline)
            throw Error(ErrorKind::Timeout,
                        fmt::format("the command in VM '{}' did not finish within {} s", name,
                                    options.timeout.count()),
                        "give it longer with --timeout, or run it in the background in the guest");
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

}  // namespace vmctl::ops
