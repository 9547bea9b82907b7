#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace vmctl::host {

// The PID of the QEMU process running domain `name`, read from the pid file
// libvirt keeps for local qemu:///system and qemu:///session connections.
// Nothing for remote URIs or when the VM is not running.
std::optional<int> qemu_pid(const std::string& uri, const std::string& name);

// How long the process has been running, from /proc/PID/stat.
std::optional<std::chrono::seconds> process_age(int pid);

// Resident memory of the process, in bytes, from /proc/PID/status.
std::optional<std::uint64_t> process_rss_bytes(int pid);

}  // namespace vmctl::host
