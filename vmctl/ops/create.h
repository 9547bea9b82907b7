#pragma once

#include "vmctl/core/accel.h"
#include "vmctl/core/cloud_init.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/guest_protocol.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/core/network.h"
#include "vmctl/core/vm_spec.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

// What `vmctl create` was asked for, parsed but not yet resolved against the
// machine types and the host.
struct CreateOptions {
    std::string name;
    std::string machine_type;                  // empty: vmctl's default size
    std::optional<unsigned> vcpus;             // overrides the machine type
    std::optional<std::uint64_t> memory_bytes;  // overrides the machine type
    std::optional<unsigned> max_vcpus;           // hot-plug limit; default twice the vCPUs
    std::optional<std::uint64_t> max_memory_bytes;  // balloon limit; default twice the memory
    std::uint64_t disk_bytes = 0;               // 0: the default
    std::string image = "tiny";
    std::string startup_script;  // contents
    std::string cloud_init;      // contents of a whole user-data file (--cloud-init), for cloud-init images
    NetworkRequest network;      // default: the vmctl network where the host has one
    AccelRequest accel = AccelRequest::Auto;
    Chipset chipset = kDefaultChipset;
    Labels labels;
    bool protect = false;  // a pet: labelled kind=pet, refused by `vmctl delete`
    bool wait = true;
    std::chrono::seconds ready_timeout{180};
};

// Limits on what a VM may be given; sizes outside them are refused with the range.
inline constexpr unsigned kMaxVcpus = 16;
inline constexpr std::uint64_t kMinMemoryBytes = 64ULL << 20;
inline constexpr std::uint64_t kMaxMemoryBytes = 64ULL << 30;
inline constexpr std::uint64_t kMinDiskBytes = 16ULL << 20;
inline constexpr std::uint64_t kMaxDiskBytes = 2ULL << 40;
inline constexpr std::size_t kMaxStartupScriptBytes = 32 * 1024;

struct ResolvedSpec {
    VmSpec spec;
    AccelChoice accel;
};

// Turns options into a full VM spec: machine type, defaults, ranges, the
// accelerator for this host, and the metadata. Pure; throws Error on bad input.
ResolvedSpec resolve_spec(const CreateOptions& options, const HostCpuFacts& cpu, const std::string& now_iso);

struct CreateResult {
    std::string name;
    AccelChoice accel;
    std::string disk_path;
    std::string serial_log;
    NicSpec nic;  // no network: no NIC
    std::optional<ReadyLine> ready;  // empty with --no-wait, and for an imported image (no vmctl line)
    bool cloud_init = false;           // set up by cloud-init: `cloud_init_report` says how it went once waited for
    CloudInitReport cloud_init_report;
    bool imported_image = false;  // no ready line: cloud-init's final message says it is up
    std::string ready_line;
    double define_seconds = 0;
    double start_seconds = 0;
    double boot_seconds = 0;  // start returned -> ready line seen
};

// Creates and starts the VM and waits for the guest's ready line. On any
// failure it removes what it made (domain, volume, log) before rethrowing.
// An image with cloud-init gets a seed disk and is waited for until
// cloud-init is done; when the startup script or cloud-init failed, the VM
// stays and Error(StartupFailed) says where to look.
CreateResult create_vm(Hypervisor& hv, const Environment& env, const CreateOptions& options,
                       const Progress& progress);

class Rollback;

// What a VM's NoCloud seed disk says (see core/cloud_init.h).
struct SeedDiskRequest {
    std::string vm_name;         // its hostname; the seed is NAME-seed.qcow2 in the pool
    std::string startup_script;  // contents, run once per instance
    std::string user_data;       // a whole user-data file instead of the above
};

// Writes the seed disk with a new instance id (so cloud-init sets the VM up
// again, as for a clone) and the user's SSH key; `rollback` removes it.
// Error(AlreadyExists) when a seed of that name is left in the pool.
std::string make_seed_disk(Hypervisor& hv, const Environment& env, const SeedDiskRequest& seed,
                           Rollback& rollback);

// True for a disk make_seed_disk made ("NAME-seed.qcow2").
bool is_seed_disk(const DiskFacts& disk);

// How an existing VM says that it is up (see wait_for_ready): one set up by
// cloud-init has a seed disk and may take minutes; one made from an imported
// image prints no vmctl ready line, only cloud-init's final message, and
// nothing at all when it was imported without cloud-init.
struct ReadySignal {
    bool cloud_init = false;
    bool imported_image = false;
    // False when the VM says nothing vmctl can wait for.
    bool says_when_up() const { return cloud_init || !imported_image; }
};
ReadySignal ready_signal_of(const Environment& env, const DomainFacts& vm);

// What a command says instead of waiting for a VM whose image (imported
// without cloud-init) says nothing when it is up.
std::string no_ready_signal_message(const std::string& image, const std::string& name);

// The accelerator an existing VM runs under.
Accel accel_of(const DomainFacts& vm);

// What a command says while it waits for a VM that cloud-init sets up.
std::string cloud_init_wait_message(const std::string& name, Accel accel);

// Throws Error(StartupFailed), saying where to look, when the startup script
// or cloud-init of VM `name` failed; the VM stays.
void check_cloud_init_result(const std::string& name, const CloudInitReport& report);

// The current time as ISO 8601 UTC ("2026-11-27T21:05:00Z").
std::string now_iso8601();

// Where the guest agent's socket of a VM named `vm_name` goes: "" (libvirt's
// choice, under /var/lib/libvirt) for root; in a user's session a short path
// under vmctl's data folder (agent/HASH.sock), since libvirt's choice under
// the user's home can be longer than a socket's path may be. Makes the folder.
std::string agent_socket_path(const Environment& env, const std::string& vm_name);

}  // namespace vmctl::ops
