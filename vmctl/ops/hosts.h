#pragma once

#include "vmctl/core/error.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/environment.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

using Connector = std::function<std::unique_ptr<Hypervisor>(const std::string& uri)>;

inline constexpr unsigned kMaxLabHosts = 8;

// Brings up `count` simulated hosts (host-a, host-b, ...) with scripts/lab-host.sh
// and records them in the registry. Needs root. Hosts already up are kept.
std::vector<host::HostEntry> hosts_up(const Environment& env, unsigned count, const Progress& progress);

// Stops every simulated host: refuses while they run VMs unless `force`,
// which deletes those VMs first. Leaves no daemon, namespace or link.
std::vector<std::string> hosts_down(const Environment& env, bool force, const Connector& connect,
                                    const Progress& progress);

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
