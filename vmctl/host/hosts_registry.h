#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::host {

// A libvirt host vmctl knows by name: a simulated lab host on this machine
// (`vmctl hosts up`) or a real one (`vmctl hosts add NAME URI`).
struct HostEntry {
    std::string name;
    std::string uri;
    bool simulated = false;
    int index = 0;            // simulated: its slot, which gives its address
    std::string address;      // simulated: its address on the lab bridge
    bool failed = false;      // simulated: its plug was pulled (`vmctl hosts fail`)
    bool local_disks = false; // simulated: its VMs' disks are its own, not on the shared storage
    std::string draining_to;  // a `vmctl drain` is emptying it into this host...
    int draining_pid = 0;     // ...in this process (a drain killed leaves a marker that is ignored)
};

// Whether a drain is emptying the host now: marked, and its process alive.
bool draining(const HostEntry& host);

// Where a simulated host keeps its state (its daemon's files): <data_dir>/hosts/NAME.
std::string host_state_dir(const std::string& data_dir, const std::string& name);

// The folder of a host with local disks: inside its state, so its disks go
// when the host goes (`vmctl hosts down`), as a server's own drives would.
std::string local_disks_dir(const std::string& data_dir, const std::string& name);

// Whether `path` is a disk in some simulated host's local disks folder.
bool is_local_disk(const std::string& data_dir, const std::string& path);

// The registry is a small JSON file, <data_dir>/hosts.json.
std::vector<HostEntry> load_hosts(const std::string& data_dir);
void save_hosts(const std::string& data_dir, const std::vector<HostEntry>& hosts);

// Reads, changes and writes the registry under a lock, so that two vmctl
// runs at once lose neither's change.
void update_hosts(const std::string& data_dir, const std::function<void(std::vector<HostEntry>&)>& change);

// The entry named `name`; throws Error(NotFound) listing the known hosts.
HostEntry find_host(const std::string& data_dir, const std::string& name);

// The entry whose URI is `uri`, if any.
std::optional<HostEntry> host_by_uri(const std::string& data_dir, const std::string& uri);

}  // namespace vmctl::host
