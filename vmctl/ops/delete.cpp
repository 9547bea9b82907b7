#include "vmctl/ops/delete.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/ssh_keys.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace vmctl::ops {
using host::is_inside;

DeleteResult delete_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool force) {
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    if (is_pet(facts.metadata))
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is a protected pet", name),
                    fmt::format("if you really mean it, run 'vmctl unprotect {}' first", name));
    DeleteResult result;
    const DomainState state = hv.domain_state(name);
    if (state != DomainState::ShutOff) {
        if (!force)
            throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is {}", name, state_name(state)),
                        fmt::format("stop it first ('vmctl stop {}') or delete it anyway with --force", name));
        result.was_running = true;
        hv.destroy_domain(name);
    }
    hv.undefine_domain(name);
    host::close_ssh_connections(env.paths, facts.uuid);
    // On a host where vmctl never made a VM (one a VM migrated to), the
    // shared pool is not defined yet: define it so its volumes are known.
    if (std::any_of(facts.disks.begin(), facts.disks.end(),
                    [&](const DiskFacts& d) { return is_inside(d.path, env.paths.pool_dir); }))
        hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    for (const DiskFacts& disk : facts.disks) {
        if (disk.device != "disk" || disk.path.empty())
            continue;
        // Only volumes in vmctl's own pool belong to the VM; an ISO or a disk
        // someone attached by hand may be shared, so it stays.
        // A simulated host's local disks are its own vmctl pool.
        const bool ours = is_inside(disk.path, env.paths.pool_dir) ||
                          host::is_local_disk(env.paths.data_dir, disk.path);
        if (!ours || !hv.volume_by_path(disk.path)) {
            result.kept_disks.push_back(disk.path);
            continue;
        }
        hv.delete_volume(disk.path);
        result.removed_volumes.push_back(disk.path);
    }
    if (!facts.serial_log.empty() && is_inside(facts.serial_log, env.paths.logs_dir)) {
        std::error_code ec;
        std::filesystem::remove(facts.serial_log, ec);
    }
    record_deleted(env, name);
    return result;
}

}  // namespace vmctl::ops
