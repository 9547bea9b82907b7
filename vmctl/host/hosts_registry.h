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
};

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
