#pragma once

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

}  // namespace vmctl::ops
