#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/environment.h"

#include <functional>
#include <optional>
#include <string>

namespace vmctl::ops {

struct MigrateOptions {
    std::string name;
    std::string source_host;  // names, for messages
    std::string dest_host;
    MigrationRequest request;  // dest_uri and addresses filled by the caller
    bool shared_storage = false;  // both hosts see the same disk files (lab hosts)
    bool check_heartbeat = true;  // wait for the guest's next heartbeat (up to a second) after the move
};

struct MigrationReport {
    double wall_seconds = 0;
    std::optional<MigrationJob> job;       // the destination's record of the incoming migration
    std::string boot_id;                   // the guest's boot before and after
    std::optional<std::uint64_t> seq_before;  // last heartbeat seen before the move
    std::optional<std::uint64_t> seq_after;   // first heartbeat seen after it
    bool kept_running = false;             // same boot id, heartbeat continued
    std::size_t snapshots_carried = 0;
};

// The options to move `name` from one registered host to another: lab hosts
// get the destination's own address for QEMU's stream, and shared storage.
MigrateOptions options_between(const std::string& name, const std::string& source_name, bool source_simulated,
                               const host::HostEntry& dest, bool offline);

// Checks before anything moves (same host, destination memory, shared disks,
// name taken there), carries snapshot metadata across, migrates with
// progress, and reports whether the guest kept running. On failure the VM
// stays where it was, with its snapshots.
MigrationReport migrate_vm(Hypervisor& source, Hypervisor& dest, const Environment& env,
                           const MigrateOptions& options, const std::function<bool(const MigrationJob&)>& on_progress);

// The last heartbeat in a serial log: boot id and seq.
std::optional<std::pair<std::string, std::uint64_t>> last_heartbeat(const std::string& serial_log);

}  // namespace vmctl::ops
