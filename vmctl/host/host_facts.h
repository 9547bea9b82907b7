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

// Whether `program` is found on PATH.
bool on_path(const std::string& program);

}  // namespace vmctl::host
