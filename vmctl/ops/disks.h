#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <cstdint>
#include <string>

namespace vmctl::ops {

struct AttachedDisk {
    std::string target;  // "vdb": /dev/vdb in the guest
    std::string path;
    bool live = false;   // hot-plugged into the running guest
};

// Makes a new empty qcow2 data disk of `bytes` and plugs it in (live if the
// VM runs). Removes the volume again if plugging fails.
AttachedDisk attach_disk(Hypervisor& hv, const Environment& env, const std::string& name, std::uint64_t bytes);

struct DetachedDisk {
    std::string path;
    bool deleted = false;
};

// Unplugs data disk `target` ("vdb"); the first disk, the boot disk, stays.
// Its volume is deleted only with `delete_volume`.
// A volume outside vmctl's pool (`pool_dir`) is never deleted: with
// `delete_volume` such a disk is refused (Error(InvalidState)) before anything changes.
DetachedDisk detach_disk(Hypervisor& hv, const std::string& name, const std::string& target, bool delete_volume,
                         const std::string& pool_dir);

}  // namespace vmctl::ops
