#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/host/probe.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

struct MigrateOptions {
    std::string name;
    std::string source_host;  // names, for messages
    std::string dest_host;
    std::string source_uri;   // how this user reaches the source (the destination's is request.dest_uri)
    MigrationRequest request;  // dest_uri and addresses filled by the caller
    bool shared_storage = false;  // both hosts see the same disk files (lab hosts)
    bool check_heartbeat = true;  // wait for the guest's next heartbeat (up to a second) after the move
    bool probe_network = true;    // probe a running VM's address during the move (when it has one)
    std::uint16_t web_port = 80;  // the guest's web server, for the TCP connection held across the move
    bool force_precopy = false;   // --precopy: live pre-copy even where it can lose the guest's writes
};

// What this machine saw of a running VM's address while it moved: probes
// many times a second, and one TCP connection (an HTTP request to the
// guest's web server) opened before the move and finished after it.
struct NetworkWatch {
    std::string ip;
    host::ProbeStats probes;
    std::optional<bool> tcp_kept;  // none: the connection could not be opened before the move
    std::string tcp_detail;        // why not, when it was not kept (or not opened)
};

inline constexpr std::chrono::milliseconds kProbeInterval{25};  // 40 probes a second

struct MigrationReport {
    std::string mode;  // "pre-copy", "post-copy after the first pass", "paused copy", "offline"
    double wall_seconds = 0;
    std::optional<MigrationJob> job;       // the destination's record of the incoming migration
    std::string boot_id;                   // the guest's boot before and after
    std::optional<std::uint64_t> seq_before;  // last heartbeat seen before the move
    std::optional<std::uint64_t> seq_after;   // first heartbeat seen after it
    bool kept_running = false;             // same boot id, heartbeat continued
    std::size_t snapshots_carried = 0;
    std::optional<NetworkWatch> network;   // a running VM with an address only
};

// Whether pre-copy can lose a running guest's memory writes on this
// hypervisor: under TCG, QEMU before 9.0 clears its dirty-page bits between
// passes without making the vCPUs note their next writes again, so a page
// written after it was sent may never be sent again (QEMU commit "physmem:
// Fix migration dirty bitmap coherency with TCG memory access", 9.0). The
// guest then wakes up on the destination with some stale pages: it faults.
// domain_type is the domain's type ("qemu": TCG, "kvm"); qemu_version "7.2.0".
bool precopy_loses_writes(const std::string& domain_type, const std::string& qemu_version);

// The options to move `name` from one registered host to another: lab hosts
// get the destination's own address for QEMU's stream, and shared storage.
MigrateOptions options_between(const std::string& name, const host::HostEntry& source, const host::HostEntry& dest,
                               bool offline);

// Checks before anything moves (same host, destination memory, shared disks,
// name taken there), carries snapshot metadata across, migrates with
// progress, and reports whether the guest kept running. On failure the VM
// stays where it was, with its snapshots. While a running VM with an
// address moves, it is probed from this machine (options.probe_network).
MigrationReport migrate_vm(Hypervisor& source, Hypervisor& dest, const Environment& env,
                           const MigrateOptions& options, const std::function<bool(const MigrationJob&)>& on_progress);

// Puts back the snapshot metadata that moves set aside and did not define
// again (vmctl was killed, or the redefine failed), on whichever host has
// the VM now, and returns a line for each VM it dealt with. A move still
// under way in another vmctl holds its lock and is left alone; so is a VM
// whose hosts do not answer. Never throws for one VM's trouble.
using Connect = std::function<std::unique_ptr<Hypervisor>(const std::string& uri)>;
std::vector<std::string> restore_stashed_snapshots(const Environment& env, const Connect& connect);

// The last heartbeat in a serial log: boot id and seq.
std::optional<std::pair<std::string, std::uint64_t>> last_heartbeat(const std::string& serial_log);

}  // namespace vmctl::ops
