#pragma once

#include "vmctl/core/accel.h"
#include "vmctl/core/network.h"
#include "vmctl/core/names.h"
#include "vmctl/host/paths.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl::ops {

// What the operations need to know about this host besides the hypervisor:
// where files live, what the CPU can do, and which URI is in use.
struct Environment {
    std::string uri;
    host::Paths paths;
    HostCpuFacts cpu;
    // The firmware ROM new q35 VMs start (host::fast_firmware()); "" for
    // QEMU's default SeaBIOS.
    std::string firmware;
    // Labels every VM made in this run gets on top of its own: the active
    // lab's (lab=01-first-vm), so `vmctl lab reset` can find what a lab made.
    Labels session_labels;
    // The leases of this machine's DHCP server for a network, where VMs on
    // other hosts share its segment (lab hosts bridge their 'vmctl' network
    // onto this machine's): their addresses are known only here. Empty when
    // no other host shares it. Never throws: no answer is no leases.
    std::function<std::vector<DhcpLease>(const std::string& network)> segment_leases;
};

// Progress messages for a person waiting ("booting under TCG..."); the CLI
// prints them to stderr so they never mix with results.
using Progress = std::function<void(std::string_view)>;

}  // namespace vmctl::ops
