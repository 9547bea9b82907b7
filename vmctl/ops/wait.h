#pragma once

#include "vmctl/core/guest_protocol.h"
#include "vmctl/core/hypervisor.h"

#include <chrono>
#include <optional>
#include <string>

namespace vmctl::ops {

// A real OS under emulation boots in about two minutes, and a startup script
// may install packages: a VM that cloud-init sets up gets at least this long,
// whether it is being created, cloned or started again.
inline constexpr std::chrono::seconds kCloudInitReadyTimeout{900};

// How long to wait for a VM's ready line: `requested`, and at least
// kCloudInitReadyTimeout for a VM set up by cloud-init.
std::chrono::seconds ready_timeout(bool cloud_init, std::chrono::seconds requested);

struct ReadyWait {
    std::string line;
    std::optional<ReadyLine> parsed;
};

// Waits for the guest's ready line in its serial log. Throws Error(Timeout)
// after `timeout`, or Error(InvalidState) at once if the VM stops meanwhile,
// each with the command that shows the console log.
// A ready line whose boot id is `not_boot_id` (an earlier boot, still in the
// log after a reboot) does not count. With `cloud_init_done_counts`,
// cloud-init's final message counts too (an imported image prints no vmctl
// line). That message carries no boot id, so the first `earlier_done` of them
// (earlier boots', still in the log after a reboot) do not count.
ReadyWait wait_for_ready(Hypervisor& hv, const std::string& name, const std::string& serial_log,
                         std::chrono::seconds timeout, const std::string& not_boot_id = {},
                         bool cloud_init_done_counts = false, int earlier_done = 0);

// The boot id of the last ready line in the log, or "".
std::string last_boot_id(const std::string& serial_log);

// How many of cloud-init's final messages the log holds (one per boot).
int cloud_init_done_count(const std::string& serial_log);

// Waits until the VM is shut off; false after `timeout`.
bool wait_for_shutoff(Hypervisor& hv, const std::string& name, std::chrono::seconds timeout);

}  // namespace vmctl::ops
