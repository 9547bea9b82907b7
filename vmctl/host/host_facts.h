#pragma once

#include "vmctl/core/accel.h"

#include <cstdint>
#include <optional>
#include <string>

namespace vmctl::host {

// Reads /dev/kvm and /proc/cpuinfo: what decides whether KVM really works.
HostCpuFacts probe_cpu();

// MemAvailable from /proc/meminfo, in bytes.
std::uint64_t available_memory_bytes();

// Free bytes on the filesystem holding `path` (or its nearest existing parent).
std::uint64_t free_disk_bytes(const std::string& path);

// The load average of the last minute per CPU (1.0: every CPU busy), from
// /proc/loadavg; 0 when it cannot be read.
double load_per_cpu();

// Whether `program` is found on PATH.
bool on_path(const std::string& program);

// QEMU's bridge helper, which lets a user's QEMU (qemu:///session) plug a
// NIC into a host bridge that root allowed in /etc/qemu/bridge.conf.
inline constexpr const char* kBridgeHelper = "/usr/lib/qemu/qemu-bridge-helper";
inline constexpr const char* kBridgeHelperConf = "/etc/qemu/bridge.conf";

// Whether a user without root can put a VM on `bridge`: the bridge exists,
// the helper is setuid root, and its configuration allows the bridge.
// Empty when it can; otherwise what is missing.
std::string bridge_helper_problem(const std::string& bridge);

// qboot, the minimal firmware QEMU ships for its microvm board (Debian's
// qemu-system-data). It loads the kernel and hands over in about 20 ms,
// where SeaBIOS, QEMU's default, spends about 0.3 s of a TCG boot.
inline constexpr const char* kQbootRom = "/usr/share/qemu/qboot.rom";

// kQbootRom when this host has it, else "" (QEMU's default SeaBIOS).
std::string fast_firmware();

}  // namespace vmctl::host
