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

// Imports the cloud image in `file` (qcow2 or raw, e.g. a distribution's
// generic cloud image) as image `image`: checked with qemu-img (format, size,
// damage), copied read-only into the 'vmctl-images' pool. VMs made from it
// boot through the firmware, and, when `cloud_init`, get a seed disk and are
// waited for until cloud-init is done. A file that is not a disk image, is
// damaged or truncated, or of another format is refused with nothing left.
host::ImageFiles import_image(Hypervisor& hv, const Environment& env, const std::string& image,
                              const std::string& file, bool cloud_init);

// Runs the recipe of built-in image `image` (images/IMAGE/build.sh), its
// output on the terminal; returns 0, or throws Error(ImageMissing) for an
// unknown recipe and Error(OperationFailed) when the build fails.
int build_image(const std::string& image, const Progress& progress);

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

// Deletes a golden or imported image; refuses (naming them) while VMs use it here or
// elsewhere, and while a host that may use it does not answer.
void delete_image(Hypervisor& hv, const Environment& env, const std::string& image,
                  const UseElsewhere& elsewhere = {});

}  // namespace vmctl::ops
