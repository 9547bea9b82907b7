#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <string>
#include <vector>

namespace vmctl::ops {

struct DoctorCheck {
    std::string name;
    bool ok = false;
    std::string detail;  // what was found, in plain words
    std::string fix;     // the exact command that fixes a failed check
};

// Checks the host the way `virt-host-validate` does, plus vmctl's own needs:
// the libvirt daemon, QEMU, the accelerator and why, the storage pool, the
// image, free disk and memory. `hv` is null when libvirt did not answer;
// `connect_error` then says why.
std::vector<DoctorCheck> run_doctor(Hypervisor* hv, const std::string& connect_error, const Environment& env);

}  // namespace vmctl::ops
