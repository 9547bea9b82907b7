#pragma once

#include "vmctl/core/guest_agent.h"
#include "vmctl/core/hypervisor.h"

#include <chrono>
#include <string>
#include <vector>

namespace vmctl::ops {

struct ExecOptions {
    std::vector<std::string> command;               // program and its arguments
    std::chrono::seconds timeout{60};               // for the command to finish
    std::chrono::seconds agent_wait{30};            // for the agent to answer after a boot
    int answer_timeout_s = 5;                       // for each of the agent's answers
};

// Runs a command in the guest through the QEMU guest agent and returns its
// output and exit status. Explains a VM that is stopped, has no agent, or
// whose agent does not answer yet.
ExecStatus exec_in_guest(Hypervisor& hv, const std::string& name, const ExecOptions& options);

}  // namespace vmctl::ops
