#pragma once

#include "vmctl/core/error.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/core/names.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/environment.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

using Connector = std::function<std::unique_ptr<Hypervisor>(const std::string& uri)>;

inline constexpr unsigned kMaxLabHosts = 8;     // host-a .. host-h, slots 1 to 8
inline constexpr int kMaxNamedHostSlot = 200;    // named hosts take slots 9 to 200

// Brings up `count` simulated hosts (host-a, host-b, ...) with scripts/lab-host.sh
// and records them in the registry. Needs root. Hosts already up are kept.
std::vector<host::HostEntry> hosts_up(const Environment& env, unsigned count, const Progress& progress);

// Brings up one simulated host with a name of its own (a student's own host,
// `alice-host`), in the first free slot, or again in its slot after it
// failed. With `local_disks`, its VMs' disks are its own (host::local_disks_dir),
// not on the storage the hosts share: they cannot migrate, and they go with
// the host. Needs root.
host::HostEntry hosts_up_named(const Environment& env, const std::string& name, bool local_disks,
                               const Progress& progress);

// Stops the simulated hosts named (every one when `names` is empty): refuses
// while they have VMs unless `force`, which deletes those VMs first; a
// protected pet among them refuses it all. A failed host's daemon is started
// again first, its guests dead, so that what died with it is listed and its
// disks freed. Leaves no daemon, namespace or link of those hosts.
std::vector<std::string> hosts_down(const Environment& env, const std::vector<std::string>& names, bool force,
                                    const Connector& connect, const Progress& progress);

// Pulls the plug of a simulated host: its guests and daemons are killed at
// once, nothing is shut down or written back. Returns the VMs that were on
// it. Its files stay; `hosts up` repairs it, `hosts down` retires it.
// `owner` (a student under sudo: {student: alice}) refuses, before anything
// dies, a host where a VM carries one of its keys with another value.
std::vector<std::string> hosts_fail(const Environment& env, const std::string& name, const Labels& owner,
                                    const Connector& connect, const Progress& progress);

// Adds a real host (e.g. qemu+ssh://lab2/system) to the registry.
host::HostEntry hosts_add(const Environment& env, const std::string& name, const std::string& uri);

// Forgets a real host (its VMs are not touched). Error(NotFound) for an
// unknown name, Error(InvalidState) for a lab host (`hosts down` stops those).
void hosts_remove(const Environment& env, const std::string& name);

struct HostStatus {
    host::HostEntry entry;
    bool reachable = false;
    std::string error;
    NodeFacts node;
    unsigned vms = 0;
    unsigned running = 0;
    unsigned vcpus_in_use = 0;
    std::uint64_t memory_in_use = 0;
};

std::vector<HostStatus> hosts_status(const Environment& env, const Connector& connect);

// Hosts by name, with a connection to each.
using HostList = std::vector<std::pair<std::string, Hypervisor*>>;

// The registered hosts, but those at one of `skip_uris` (a connection the
// caller already has open).
std::vector<host::HostEntry> registered_hosts(const Environment& env, const std::vector<std::string>& skip_uris = {});

// Connects to each of `hosts` with `connect` (which owns or caches the
// connection). A host that does not answer (Error(Unreachable) or any other
// vmctl error while connecting) goes to `unreachable` with its error and is
// left out; the rest are still reached. What `list --all-hosts`, `top`,
// hygiene and the labs use to look at every host.
HostList reach_hosts(const std::vector<host::HostEntry>& hosts,
                     const std::function<Hypervisor&(const host::HostEntry&)>& connect,
                     const std::function<void(const std::string& name, const Error& error)>& unreachable);

}  // namespace vmctl::ops
