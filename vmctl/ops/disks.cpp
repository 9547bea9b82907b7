#include "vmctl/ops/disks.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/rollback.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace vmctl::ops {

AttachedDisk attach_disk(Hypervisor& hv, const Environment& env, const std::string& name, std::uint64_t bytes) {
    check_size_range(bytes, kMinDiskBytes, kMaxDiskBytes, "--size");
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    AttachedDisk disk;
    disk.target = next_disk_target(facts.disks);
    disk.live = hv.domain_state(name) == DomainState::Running;
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    const VolumeFacts volume = hv.create_volume(host::kPoolName, fmt::format("{}-{}.qcow2", name, disk.target), bytes);
    disk.path = volume.path;
    Rollback rollback;
    rollback.add("remove the new volume", [&hv, path = volume.path] { hv.delete_volume(path); });
    try {
        hv.attach_device(name, build_disk_device_xml(volume.path, disk.target), disk.live);
    } catch (const Error& e) {
        // A running q35 VM plugs a new disk into a free PCI Express root port;
        // it was made with a few, and a stopped VM's definition gains ports
        // as needed.
        if (!disk.live || std::string_view(e.what()).find("No more available PCI slots") == std::string_view::npos)
            throw;
        throw Error(ErrorKind::InvalidState,
                    fmt::format("VM '{}' has no free PCI Express port left for another disk while it runs", name),
                    fmt::format("stop it with 'vmctl stop {}' and attach the disk then: a stopped VM gets a port for "
                                "every disk",
                                name));
    }
    rollback.commit();
    return disk;
}

DetachedDisk detach_disk(Hypervisor& hv, const std::string& name, const std::string& target, bool delete_volume,
                         const std::string& pool_dir) {
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    const auto disk = std::find_if(facts.disks.begin(), facts.disks.end(),
                                   [&](const DiskFacts& d) { return d.target == target; });
    if (disk == facts.disks.end()) {
        std::vector<std::string> targets;
        for (const auto& d : facts.disks)
            targets.push_back(d.target);
        throw Error(ErrorKind::NotFound, fmt::format("VM '{}' has no disk {}", name, target),
                    fmt::format("its disks are: {}", fmt::join(targets, ", ")));
    }
    if (disk == facts.disks.begin())
        throw Error(ErrorKind::InvalidState, fmt::format("{} is the boot disk of VM '{}'", target, name),
                    "only data disks added with 'vmctl disk attach' can be detached");
    if (delete_volume && !host::is_inside(disk->path, pool_dir))
        throw Error(ErrorKind::InvalidState,
                    fmt::format("{} of VM '{}' is {}, outside vmctl's pool: --delete would delete it", target, name,
                                disk->path),
                    fmt::format("detach it without --delete ('vmctl disk detach {} {}'); it is not vmctl's to delete",
                                name, target));
    const bool live = hv.domain_state(name) == DomainState::Running;
    hv.detach_device(name, build_disk_device_xml(disk->path, disk->target), live);
    DetachedDisk result{disk->path, false};
    if (delete_volume && hv.volume_by_path(disk->path)) {
        hv.delete_volume(disk->path);
        result.deleted = true;
    }
    return result;
}

}  // namespace vmctl::ops
