#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

struct ResizeRequest {
    std::optional<unsigned> vcpus;
    std::optional<std::uint64_t> memory_bytes;
    std::optional<std::uint64_t> disk_bytes;  // the first disk (vda); grow only
    // How long a live memory change waits for the guest's balloon to get there.
    std::chrono::milliseconds balloon_wait{10000};
};

// One change and how it was applied: live (the guest sees it now) or at the
// next boot, with the reason in plain words.
struct ResizeChange {
    std::string what;  // "vCPUs 1 -> 2"
    bool live = false;
    std::string how;   // "hot-plugged", "balloon", "applies at the next boot because ..."
};

// Where a VM's balloon is (the memory its guest has now), and whether that is
// within a MiB of the size it was given: it lands a page or two off.
struct Balloon {
    std::uint64_t bytes = 0;
    bool reached = false;
};

// Waits up to `timeout` for the VM's balloon to reach `bytes`; nothing if the
// VM is gone.
std::optional<Balloon> wait_for_balloon(Hypervisor& hv, const std::string& name, std::uint64_t bytes,
                                        std::chrono::milliseconds timeout);

// Checks every request against the maximums fixed at definition before
// changing anything, then applies them, live where the hypervisor allows.
// Records the new size in the usage journal.
std::vector<ResizeChange> resize_vm(Hypervisor& hv, const Environment& env, const std::string& name,
                                   const ResizeRequest& request);

}  // namespace vmctl::ops
