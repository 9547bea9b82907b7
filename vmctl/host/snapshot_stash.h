#pragma once

#include "vmctl/core/hypervisor.h"

#include <optional>
#include <string>
#include <vector>

namespace vmctl::host {

// Snapshot metadata set aside while a VM moves: libvirt refuses to migrate a
// VM that has any, so vmctl takes it off the source and defines it again
// where the VM ends up. It is written here, in the user's data directory,
// before it leaves libvirt, so a vmctl that is killed or fails halfway loses
// nothing: the next vmctl run puts it back (see ops::restore_stashed_snapshots).
struct SnapshotStash {
    std::string vm;
    std::string source_uri;
    std::string dest_uri;
    std::vector<SnapshotDefinition> snapshots;
};

// <data_dir>/moving: one NAME.json per VM on its way, and NAME.lock, which
// the moving vmctl holds for as long as the move lasts.
std::string snapshot_stash_dir(const std::string& data_dir);
std::string snapshot_stash_lock(const std::string& data_dir, const std::string& vm);

// Written atomically (0600) and synced before it returns.
void save_snapshot_stash(const std::string& data_dir, const SnapshotStash& stash);
void remove_snapshot_stash(const std::string& data_dir, const std::string& vm);

bool has_snapshot_stash(const std::string& data_dir, const std::string& vm);

// The VMs with a stash on disk. Cheap when there is none (one stat).
std::vector<std::string> stashed_vms(const std::string& data_dir);

// Throws Error(FileInvalid) naming the file when it is damaged.
SnapshotStash load_snapshot_stash(const std::string& data_dir, const std::string& vm);

}  // namespace vmctl::host
