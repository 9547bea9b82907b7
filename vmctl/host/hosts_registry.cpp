#include "vmctl/host/hosts_registry.h"

#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>

#include <filesystem>
#include <fstream>

namespace vmctl::host {
namespace {

std::string registry_path(const std::string& data_dir) { return data_dir + "/hosts.json"; }

}  // namespace

std::string host_state_dir(const std::string& data_dir, const std::string& name) {
    return data_dir + "/hosts/" + name;
}

std::string local_disks_dir(const std::string& data_dir, const std::string& name) {
    return host_state_dir(data_dir, name) + "/disks";
}

bool is_local_disk(const std::string& data_dir, const std::string& path) {
    const std::string hosts = data_dir + "/hosts/";
    if (!path.starts_with(hosts))
        return false;
    const auto slash = path.find('/', hosts.size());
    return slash != std::string::npos && slash > hosts.size() &&
           path.compare(slash, 7, "/disks/") == 0 && path.size() > slash + 7 &&
           path.find("/..", hosts.size()) == std::string::npos;
}

std::vector<HostEntry> load_hosts(const std::string& data_dir) {
    const std::string text = read_file_or(registry_path(data_dir), "");
    if (text.empty())
        return {};
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("hosts"))
        throw Error(ErrorKind::OperationFailed, fmt::format("the host registry {} is damaged", registry_path(data_dir)),
                    "fix or remove it; 'vmctl hosts up' and 'vmctl hosts add' write it again");
    std::vector<HostEntry> hosts;
    for (const auto& h : doc["hosts"])
        hosts.push_back({h.value("name", ""), h.value("uri", ""), h.value("simulated", false), h.value("index", 0),
                         h.value("address", ""), h.value("failed", false), h.value("local_disks", false),
                         h.value("draining_to", ""), h.value("draining_pid", 0)});
    return hosts;
}

void save_hosts(const std::string& data_dir, const std::vector<HostEntry>& hosts) {
    nlohmann::json doc = {{"hosts", nlohmann::json::array()}};
    for (const auto& h : hosts) {
        nlohmann::json entry = {{"name", h.name},   {"uri", h.uri},       {"simulated", h.simulated},
                                {"index", h.index}, {"address", h.address}, {"failed", h.failed},
                                {"local_disks", h.local_disks}};
        if (!h.draining_to.empty()) {  // only while a drain runs
            entry["draining_to"] = h.draining_to;
            entry["draining_pid"] = h.draining_pid;
        }
        doc["hosts"].push_back(std::move(entry));
    }
    write_file_atomically(registry_path(data_dir), doc.dump(2) + '\n');
}

void update_hosts(const std::string& data_dir, const std::function<void(std::vector<HostEntry>&)>& change) {
    make_dirs(data_dir);
    const FileLock lock(data_dir + "/hosts.json.lock");
    std::vector<HostEntry> hosts = load_hosts(data_dir);
    change(hosts);
    save_hosts(data_dir, hosts);
}

bool draining(const HostEntry& host) {
    // Signal 0 asks only whether the process exists (EPERM: it does, as another user's).
    return !host.draining_to.empty() && host.draining_pid > 0 &&
           (::kill(host.draining_pid, 0) == 0 || errno == EPERM);
}

HostEntry find_host(const std::string& data_dir, const std::string& name) {
    const auto hosts = load_hosts(data_dir);
    std::vector<std::string> names;
    for (const auto& h : hosts) {
        if (h.name == name)
            return h;
        names.push_back(h.name);
    }
    if (names.empty())
        throw Error(ErrorKind::NotFound, fmt::format("there is no host named '{}': no hosts are known", name),
                    "bring up lab hosts with 'vmctl hosts up', or add one with 'vmctl hosts add NAME URI'");
    std::string hint = fmt::format("the hosts are: {}", fmt::join(names, ", "));
    if (auto close = closest_match(name, names))
        hint = fmt::format("did you mean '{}'? ({})", *close, hint);
    throw Error(ErrorKind::NotFound, fmt::format("there is no host named '{}'", name), hint);
}

std::optional<HostEntry> host_by_uri(const std::string& data_dir, const std::string& uri) {
    for (const auto& h : load_hosts(data_dir))
        if (h.uri == uri)
            return h;
    return std::nullopt;
}

}  // namespace vmctl::host
