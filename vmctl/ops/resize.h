#pragma once

#include "vmctl/core/hypervisor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

struct ResizeRequest {
    std::optional<unsigned> vcpus;
    std::optional<std::uint64_t> memory_bytes;
    std::optional<std::uint64_t> disk_bytes;  // the first disk (vda); grow only
};

// One change and how it was applied: live (the guest sees it now) or at the
// next boot, with the reason in plain words.
struct ResizeChange {
    std::string what;  // "vCPUs 1 -> 2"
    bool live = false;
    std::string how;   // "hot-plugged", "balloon", "applies at the next boot because ..."
};

// Checks every request against the maximums fixed at definition before
// changing anything, then applies them, live where the hypervisor allows.
std::vector<ResizeChange> resize_vm(Hypervisor& hv, const std::string& name, const ResizeRequest& request);

}  // namespace vmctl::ops
