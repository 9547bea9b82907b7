#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/host/images.h"
#include "vmctl/ops/environment.h"

#include <map>
#include <set>
#include <string>
#include <utility>
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

// What the VMs of the other known hosts use: they share vmctl's folders and
// pool, so a volume or an image unused here may be in use there. Read from
// both their running and their saved definitions.
struct UseElsewhere {
    std::set<std::string> disks;                                   // volume paths
    std::map<std::string, std::vector<std::string>> image_users;  // image -> "host/vm"
    std::vector<std::string> unreachable;                          // hosts that did not answer
};

// Gathers it from `hosts` (name and connection each); a host whose
// connection is null, or that fails while asked, is listed as unreachable.
UseElsewhere use_on(const std::vector<std::pair<std::string, Hypervisor*>>& hosts);

// Every disk path in a domain's running and saved definitions. A caller that
// already read the running definition passes it as `live_xml`.
std::set<std::string> defined_disks(Hypervisor& hv, const std::string& name, const std::string& live_xml = "");

// Deletes a golden image; refuses (naming them) while VMs use it here or
// elsewhere, and while a host that may use it does not answer.
void delete_image(Hypervisor& hv, const Environment& env, const std::string& image,
                  const UseElsewhere& elsewhere = {});

}  // namespace vmctl::ops
