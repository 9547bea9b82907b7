#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/host/images.h"
#include "vmctl/ops/environment.h"

#include <string>
#include <vector>

namespace vmctl::ops {

// Freezes a stopped VM's disk as golden image `image`: a read-only copy in
// the 'vmctl-images' pool that new VMs use as the base of their own overlay.
host::ImageFiles create_image(Hypervisor& hv, const Environment& env, const std::string& image,
                              const std::string& from_vm);

struct ImageUse {
    host::ImageFiles image;
    std::uint64_t disk_bytes = 0;  // space the golden disk takes (0 for recipe images)
    std::vector<std::string> used_by;
};

std::vector<ImageUse> list_images(Hypervisor& hv, const Environment& env);

// Deletes a golden image; refuses (naming them) while VMs use it.
void delete_image(Hypervisor& hv, const Environment& env, const std::string& image);

}  // namespace vmctl::ops
