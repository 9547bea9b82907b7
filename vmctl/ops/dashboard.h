#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/core/names.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vmctl::ops {

// One VM as `vmctl dashboard` draws it.
struct DashboardVm {
    std::string name;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;
    std::uint64_t memory_bytes = 0;             // given: the balloon now, else its definition's
    std::optional<std::uint64_t> used_bytes;    // what the guest reports using, when it does
    double cpu_percent = 0;                     // of one host CPU, since the previous sample
    std::string ip;                             // empty: not known
    Labels labels;
    std::optional<MigrationJob> job;            // a migration in progress, leaving (libvirt reports it on the source only)
    std::optional<std::uint64_t> downtime_ms;   // how long it was paused when it arrived by migration
    std::optional<unsigned> probes_sent;        // what `vmctl migrate` pinging it saw then (its journal)
    std::optional<unsigned> probes_lost;
};

// One host's picture: its VMs, or why it cannot be reached.
struct DashboardHost {
    std::string name;
    std::string uri;
    bool reachable = false;
    std::string error;  // unreachable: why
    std::vector<DashboardVm> vms;
    std::string draining_to;  // a drain is emptying it into this host
};

// The VMs of a host from what one refresh asks of it: the domain list, two
// bulk statistics samples `seconds` apart, and the running VMs' addresses by
// name (running_addresses, as `vmctl list` finds them). Sorted by name.
// Pure: tested with plain values.
std::vector<DashboardVm> dashboard_vms(const std::vector<DomainSummary>& domains,
                                       const std::vector<DomainStats>& before, const std::vector<DomainStats>& after,
                                       double seconds, const std::map<std::string, std::string>& addresses);

// The host as the page reads it: a JSON object with its VMs and totals
// (VMs, running, vCPUs and memory given to running VMs). Text is never
// interpreted by the page, so names need no escaping beyond JSON's.
std::string dashboard_host_json(const DashboardHost& host);

// Connects to a host by URI (the libvirt adapter, or a fake in tests).
using DashboardConnector = std::function<std::unique_ptr<Hypervisor>(const std::string& uri)>;
// Receives a host's JSON each time it changes (never twice the same text).
using DashboardPublisher = std::function<void(const std::string& host, const std::string& json)>;

// Watches one host on a thread of its own, so a host that is slow or gone
// never holds up the others: it refreshes the host's picture at once on any
// libvirt domain event, and every `refresh` for CPU and memory figures (one
// bulk statistics call). A host that cannot be reached is published as such
// and tried again every few seconds. `env` finds the VMs' addresses (with
// its segment_leases, those of lab hosts' VMs); its functions must be safe
// to call from the watcher's thread. Stops and joins when destroyed.
class HostWatcher {
public:
    HostWatcher(std::string name, std::string uri, DashboardConnector connect, DashboardPublisher publish,
                std::chrono::milliseconds refresh, Environment env = {});
    ~HostWatcher();
    HostWatcher(const HostWatcher&) = delete;
    HostWatcher& operator=(const HostWatcher&) = delete;

    // Wakes the watcher for a refresh now (what a libvirt event does).
    void poke();

    // Whether a drain is emptying the host, and into which host ("": none);
    // the page shows it from the next refresh, which this starts.
    void set_draining(const std::string& to);

private:
    void run(std::stop_token stop);
    // Waits until poked, stopped or `timeout`; returns false when stopped.
    bool wait(std::stop_token& stop, std::chrono::milliseconds timeout);

    std::string m_name;
    std::string m_uri;
    DashboardConnector m_connect;
    DashboardPublisher m_publish;
    std::chrono::milliseconds m_refresh;
    Environment m_env;
    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    bool m_poked = false;
    std::string m_draining_to;  // guarded by m_mutex
    std::jthread m_thread;  // last: starts after everything above is set
};

}  // namespace vmctl::ops
