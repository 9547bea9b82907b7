#pragma once

#include "vmctl/core/network.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/core/vm_spec.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vmctl {

enum class DomainState { Running, Paused, ShutOff, ShuttingDown, Crashed, Suspended, Other };

// "running", "shut off", ...: the words virsh uses, so students can compare.
const char* state_name(DomainState state);

// One row of `vmctl list`: the state of each domain from one bulk query,
// the rest from its saved definition. Nothing here asks a running guest
// (or its QEMU) anything, so a listing stays quick with a class's VMs running.
struct DomainSummary {
    std::string name;
    std::string uuid;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;               // what the VM was given (its definition)
    std::uint64_t memory_bytes = 0;   // the same: its definition's currentMemory, not the balloon
    bool has_vmctl_metadata = false;  // false for a domain made with virsh
    VmMetadata metadata;
};

struct VolumeFacts {
    std::string name;
    std::string path;
    std::uint64_t capacity_bytes = 0;
    std::uint64_t allocation_bytes = 0;
};

struct HypervisorVersions {
    std::string uri;
    std::string libvirt_library;  // "9.0.0"
    std::string libvirt_daemon;
    std::string hypervisor;       // QEMU's version
    std::string hostname;
};

// cgroup tuning of a VM, as libvirt applies it to the QEMU process.
struct Limits {
    std::optional<long long> vcpu_quota_us;  // CPU time per vCPU per period; nothing or <0: unlimited
    std::optional<unsigned long long> vcpu_period_us;
    std::optional<unsigned long long> cpu_shares;  // relative weight against other VMs
    std::optional<unsigned> io_weight;             // relative disk I/O weight, 100..1000
};

// What one bulk statistics call reports for a domain (`vmctl top`).
struct DomainStats {
    std::string name;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;
    std::uint64_t cpu_time_ns = 0;        // total CPU time the guest has used
    std::uint64_t balloon_bytes = 0;      // memory the guest is given now
    std::uint64_t max_memory_bytes = 0;
    std::optional<std::uint64_t> guest_used_bytes;  // from the guest's balloon driver
    std::optional<std::uint64_t> rss_bytes;         // the QEMU process's resident memory on the host
    std::uint64_t disk_read_bytes = 0;
    std::uint64_t disk_write_bytes = 0;
};

// What a host offers, for placement and pre-flight checks.
struct NodeFacts {
    std::string hostname;
    std::string host_uuid;
    unsigned cpus = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t free_memory_bytes = 0;
};

// A migration job's progress, and at the end its report.
struct MigrationJob {
    std::uint64_t elapsed_ms = 0;
    std::uint64_t data_total = 0;
    std::uint64_t data_processed = 0;
    std::uint64_t data_remaining = 0;
    std::uint64_t memory_bps = 0;       // transfer rate
    std::uint64_t dirty_pages_per_s = 0;
    std::uint64_t page_size = 4096;
    std::uint64_t iteration = 0;        // passes over guest memory
    std::optional<std::uint64_t> downtime_ms;
};

struct MigrationRequest {
    std::string dest_uri;        // the destination daemon, as the source daemon reaches it
    std::string migrate_uri;     // where QEMU streams memory: "tcp://ADDRESS"; empty: libvirt chooses
    std::string listen_address;  // where the destination QEMU listens; empty: libvirt chooses
    bool live = true;
    bool offline = false;        // a stopped VM: only its definition moves
    bool copy_storage = false;   // copy the disks too (no shared storage)
    bool unsafe = false;         // the disks are shared though libvirt cannot tell
    bool auto_converge = false;
    bool postcopy = false;
    std::optional<std::uint64_t> bandwidth_mib_s;
    std::optional<std::uint64_t> max_downtime_ms;
};

// A snapshot's full definition, to carry it to another host.
struct SnapshotDefinition {
    std::string name;
    std::string xml;
    bool current = false;
};

// The seam between vmctl and the hypervisor. The libvirt adapter implements it
// over one connection; unit tests use an in-memory fake. Every method throws
// vmctl::Error with a kind (NotFound, InvalidState, ...) when it fails.
class Hypervisor {
public:
    virtual ~Hypervisor() = default;

    virtual HypervisorVersions versions() = 0;

    // Domains, by name.
    virtual bool domain_exists(const std::string& name) = 0;
    virtual void define_domain(const std::string& xml) = 0;
    virtual void start_domain(const std::string& name) = 0;
    virtual void shutdown_domain(const std::string& name) = 0;  // asks the guest (ACPI button)
    virtual void reboot_domain(const std::string& name) = 0;
    virtual void destroy_domain(const std::string& name) = 0;   // pulls the plug
    virtual void undefine_domain(const std::string& name) = 0;  // also drops snapshot metadata
    virtual DomainState domain_state(const std::string& name) = 0;
    virtual std::string domain_xml(const std::string& name) = 0;
    // The persistent definition, what the VM gets at its next boot: sizes set
    // by a resize are there at once, while the live XML follows the guest
    // (a balloon still moving, a vCPU decrease waiting for a restart).
    virtual std::string domain_config_xml(const std::string& name) = 0;
    virtual std::vector<DomainSummary> list_domains() = 0;
    // The memory the guest has now (its balloon): after a boot or a resize it
    // reaches the size set within seconds.
    virtual std::uint64_t balloon_bytes(const std::string& name) = 0;

    // Storage: vmctl keeps every disk as a volume in a directory pool of its own.
    virtual void ensure_pool(const std::string& pool, const std::string& directory) = 0;
    virtual VolumeFacts create_volume(const std::string& pool, const std::string& name,
                                      std::uint64_t capacity_bytes) = 0;
    virtual std::optional<VolumeFacts> volume_by_path(const std::string& path) = 0;
    virtual void delete_volume(const std::string& path) = 0;
    virtual std::vector<VolumeFacts> list_volumes(const std::string& pool) = 0;

    // Replaces vmctl's metadata element of the domain (live and persistent).
    virtual void set_metadata(const std::string& name, const VmMetadata& metadata) = 0;

    // Snapshots: internal ones, stored inside the VM's qcow2 disks. A running
    // VM's snapshot includes its memory, so a revert resumes it exactly.
    virtual void create_snapshot(const std::string& name, const std::string& snapshot_xml) = 0;
    virtual std::vector<SnapshotInfo> list_snapshots(const std::string& name) = 0;
    virtual void revert_snapshot(const std::string& name, const std::string& snapshot) = 0;
    // Without `children`, the snapshot's children are kept and re-parented.
    virtual void delete_snapshot(const std::string& name, const std::string& snapshot, bool children) = 0;

    // A new qcow2 volume whose reads fall through to `backing` (a linked clone).
    virtual VolumeFacts create_overlay_volume(const std::string& pool, const std::string& name,
                                              std::uint64_t capacity_bytes, const std::string& backing) = 0;
    // A full, independent copy of the volume at `source`.
    virtual VolumeFacts copy_volume(const std::string& pool, const std::string& name, const std::string& source) = 0;

    // Sends one JSON command to the QEMU guest agent in the VM and returns its
    // answer. Throws Error(Timeout) when the agent does not answer in time.
    virtual std::string agent_command(const std::string& name, const std::string& json, int timeout_seconds) = 0;

    // Resizing, on the running VM (`live`) and always in its definition.
    virtual void set_vcpus(const std::string& name, unsigned vcpus, bool live) = 0;
    virtual void set_memory(const std::string& name, std::uint64_t bytes, bool live) = 0;
    // Grows the disk `target` ("vda") whose file is `path`.
    virtual void resize_disk(const std::string& name, const std::string& target, const std::string& path,
                             std::uint64_t bytes, bool live) = 0;

    // Hot-plugs or unplugs a device (its XML), live when `live`, and in the definition.
    virtual void attach_device(const std::string& name, const std::string& xml, bool live) = 0;
    virtual void detach_device(const std::string& name, const std::string& xml, bool live) = 0;

    virtual Limits limits(const std::string& name) = 0;
    // Applies the limits that are set; the others stay as they are.
    virtual void set_limits(const std::string& name, const Limits& limits, bool live) = 0;

    // Statistics of every domain, in one call.
    virtual std::vector<DomainStats> all_domain_stats() = 0;

    virtual NodeFacts node_facts() = 0;

    // Networks: the host's libvirt networks, and the addresses a network's
    // DHCP server has handed out (one call for every VM on it).
    virtual std::vector<NetworkFacts> list_networks() = 0;
    virtual std::vector<DhcpLease> dhcp_leases(const std::string& network) = 0;

    // Migrates the VM peer-to-peer to request.dest_uri, calling on_progress
    // about four times a second (with an empty job when libvirt has no
    // statistics at that moment); when it returns false the job is aborted
    // and the VM stays on this host. Throws with libvirt's reason on failure.
    virtual void migrate(const std::string& name, const MigrationRequest& request,
                         const std::function<bool(const MigrationJob&)>& on_progress) = 0;
    // The statistics of the last finished job (on a destination: the incoming migration).
    virtual std::optional<MigrationJob> completed_job(const std::string& name) = 0;

    // The progress of the job the VM runs now (on a migration's source: its
    // pass, data left, dirty rate), or nothing when it runs none. A
    // hypervisor that cannot tell reports nothing.
    virtual std::optional<MigrationJob> active_job(const std::string& name) {
        (void)name;
        return std::nullopt;
    }

    // Snapshot metadata, parents first; forgetting keeps the data in the disk.
    virtual std::vector<SnapshotDefinition> snapshot_definitions(const std::string& name) = 0;
    virtual void forget_snapshot(const std::string& name, const std::string& snapshot) = 0;
    virtual void redefine_snapshot(const std::string& name, const SnapshotDefinition& snapshot) = 0;

    // Blocks until something happens to a domain of this host (a lifecycle
    // change, a reboot, a resize, a label change, a device added) or until
    // `timeout` passes; returns whether something happened.
    virtual bool wait_for_event(std::chrono::milliseconds timeout) = 0;

    // Calls `on_change` whenever something happens to a domain of this host
    // (the events wait_for_event waits for), from an event thread the adapter
    // runs for the whole process, until this Hypervisor is destroyed. Returns
    // false when this hypervisor sends no events (the caller then polls). A
    // process uses either this or wait_for_event, never both: libvirt has one
    // event loop per process.
    virtual bool subscribe_events(std::function<void()> on_change) {
        (void)on_change;
        return false;
    }

    // Connects in_fd/out_fd to the VM's serial console until `escape` is typed.
    virtual void attach_console(const std::string& name, int in_fd, int out_fd, char escape) = 0;
};

}  // namespace vmctl
