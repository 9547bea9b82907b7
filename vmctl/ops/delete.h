#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <string>
#include <vector>

namespace vmctl::ops {

struct DeleteResult {
    bool was_running = false;
    std::vector<std::string> removed_volumes;
    std::vector<std::string> kept_disks;  // disks outside vmctl's pool are never deleted
};

// Removes the VM and the volumes vmctl made for it. A running VM needs
// `force` (it is then stopped first); otherwise Error(InvalidState).
DeleteResult delete_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool force);

}  // namespace vmctl::ops
