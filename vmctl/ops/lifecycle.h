#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/wait.h"

#include <chrono>
#include <optional>
#include <string>

namespace vmctl::ops {

struct StartResult {
    bool already_running = false;
    std::optional<ReadyWait> ready;  // empty with --no-wait or when already running
    double boot_seconds = 0;
};

// Each of these records what it changed in the usage journal (`vmctl cost`).

// Starts a stopped VM and, if `wait`, waits for its ready line (at least
// kCloudInitReadyTimeout for a VM that cloud-init sets up).
StartResult start_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool wait,
                     std::chrono::seconds timeout, const Progress& progress = {});

struct StopResult {
    bool already_stopped = false;
    double seconds = 0;
};

// Presses the VM's power button and waits until it is off. Throws
// Error(Timeout) if the guest ignores it, suggesting `vmctl destroy`.
StopResult stop_vm(Hypervisor& hv, const Environment& env, const std::string& name, std::chrono::seconds timeout);

// Pulls the plug: the VM stops at once, like pulling a server's power cord.
StopResult destroy_vm(Hypervisor& hv, const Environment& env, const std::string& name);

// Asks the guest to reboot (ACPI), then waits for the new boot's ready line if `wait`.
StartResult reboot_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool wait,
                      std::chrono::seconds timeout, const Progress& progress = {});

}  // namespace vmctl::ops
