#include "vmctl/ops/dashboard.h"

#include "vmctl/core/error.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/host/migration_journal.h"
#include "vmctl/ops/network.h"
#include "vmctl/ops/top.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <exception>
#include <map>
#include <set>

namespace vmctl::ops {

std::vector<DashboardVm> dashboard_vms(const std::vector<DomainSummary>& domains,
                                       const std::vector<DomainStats>& before, const std::vector<DomainStats>& after,
                                       double seconds, const std::map<std::string, std::string>& addresses) {
    std::map<std::string, const DomainStats*> then, now;
    for (const auto& s : before)
        then[s.name] = &s;
    for (const auto& s : after)
        now[s.name] = &s;
    std::vector<DashboardVm> vms;
    for (const auto& d : domains) {
        DashboardVm vm;
        vm.name = d.name;
        vm.state = d.state;
        vm.vcpus = d.vcpus;
        vm.memory_bytes = d.memory_bytes;
        vm.labels = d.metadata.labels;
        if (const auto it = addresses.find(d.name); it != addresses.end())
            vm.ip = it->second;
        if (const auto n = now.find(d.name); n != now.end()) {
            const DomainStats& s = *n->second;
            vm.state = s.state;  // the newer of the two: the statistics come after the list
            if (s.state == DomainState::Running) {
                if (s.vcpus > 0)
                    vm.vcpus = s.vcpus;
                if (s.balloon_bytes > 0)
                    vm.memory_bytes = s.balloon_bytes;
                vm.used_bytes = s.guest_used_bytes;
                if (const auto t = then.find(d.name); t != then.end())
                    vm.cpu_percent = cpu_percent(*t->second, s, seconds);
            }
        }
        vms.push_back(std::move(vm));
    }
    std::sort(vms.begin(), vms.end(), [](const DashboardVm& a, const DashboardVm& b) { return a.name < b.name; });
    return vms;
}

std::string dashboard_host_json(const DashboardHost& host) {
    nlohmann::json vms = nlohmann::json::array();
    unsigned running = 0, vcpus = 0;
    std::uint64_t memory = 0, used = 0;
    for (const auto& vm : host.vms) {
        nlohmann::json v = {{"name", vm.name},
                            {"state", state_name(vm.state)},
                            {"vcpus", vm.vcpus},
                            {"memory_bytes", vm.memory_bytes},
                            {"used_bytes", nullptr},
                            // One decimal: a figure that only jitters does not make a new event.
                            {"cpu_percent", static_cast<double>(static_cast<long>(vm.cpu_percent * 10 + 0.5)) / 10},
                            {"ip", vm.ip},
                            {"labels", vm.labels}};
        if (vm.used_bytes)
            v["used_bytes"] = *vm.used_bytes;
        v["job"] = nullptr;
        if (const auto& j = vm.job)
            v["job"] = {{"pass", j->iteration},
                        {"elapsed_ms", j->elapsed_ms},
                        {"data_total", j->data_total},
                        {"data_processed", j->data_processed},
                        {"data_remaining", j->data_remaining},
                        {"bytes_per_s", j->memory_bps},
                        {"dirty_bytes_per_s", j->dirty_pages_per_s * j->page_size}};
        v["downtime_ms"] = nullptr;
        if (vm.downtime_ms)
            v["downtime_ms"] = *vm.downtime_ms;
        v["probes_sent"] = vm.probes_sent ? nlohmann::json(*vm.probes_sent) : nlohmann::json();
        v["probes_lost"] = vm.probes_lost ? nlohmann::json(*vm.probes_lost) : nlohmann::json();
        if (vm.state == DomainState::Running || vm.state == DomainState::Paused) {
            ++running;
            vcpus += vm.vcpus;
            memory += vm.memory_bytes;
            used += vm.used_bytes.value_or(0);
        }
        vms.push_back(std::move(v));
    }
    const nlohmann::json out = {{"name", host.name},
                                {"uri", host.uri},
                                {"reachable", host.reachable},
                                {"error", host.error},
                                {"draining", host.draining_to.empty() ? nlohmann::json() : nlohmann::json(host.draining_to)},
                                {"vms", vms},
                                {"totals",
                                 {{"vms", host.vms.size()},
                                  {"running", running},
                                  {"vcpus", vcpus},
                                  {"memory_bytes", memory},
                                  {"used_bytes", used}}}};
    // Invalid UTF-8 from a definition is replaced, never a reason to stop.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HostWatcher::HostWatcher(std::string name, std::string uri, DashboardConnector connect, DashboardPublisher publish,
                         std::chrono::milliseconds refresh, Environment env)
    : m_name(std::move(name)), m_uri(std::move(uri)), m_connect(std::move(connect)), m_publish(std::move(publish)),
      m_refresh(refresh), m_env(std::move(env)), m_thread([this](std::stop_token stop) { run(stop); }) {}

HostWatcher::~HostWatcher() {
    m_thread.request_stop();
    m_wake.notify_all();
}

void HostWatcher::set_draining(const std::string& to) {
    {
        const std::lock_guard lock(m_mutex);
        if (m_draining_to == to)
            return;
        m_draining_to = to;
        m_poked = true;
    }
    m_wake.notify_all();
}

void HostWatcher::poke() {
    {
        const std::lock_guard lock(m_mutex);
        m_poked = true;
    }
    m_wake.notify_all();
}

bool HostWatcher::wait(std::stop_token& stop, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, stop, timeout, [this] { return m_poked; });
    m_poked = false;
    return !stop.stop_requested();
}

namespace {

// A VM that arrived on the host by migration, and what its journal says.
struct Arrival {
    std::uint64_t downtime_ms = 0;
    std::string since;  // ISO 8601 UTC, a minute before it was seen: a record older is another move's
    std::chrono::steady_clock::time_point seen;
    bool probed = false;  // its journal record was found (or it was looked for long enough)
    std::optional<unsigned> probes_sent, probes_lost;
};

// Looks up, in the migration journal `vmctl migrate` writes, what pinging the
// VMs that arrived saw; the record comes just after the VM does, so it is
// looked for over the next 30 s, not longer.
void read_probes(const std::string& data_dir, const std::string& host, std::map<std::string, Arrival>& arrivals) {
    const auto now = std::chrono::steady_clock::now();
    bool wanted = false;
    for (auto& [name, a] : arrivals) {
        if (!a.probed && now - a.seen > std::chrono::seconds(30))
            a.probed = true;
        wanted = wanted || !a.probed;
    }
    if (!wanted || data_dir.empty())
        return;
    std::vector<host::MigrationRecord> records;
    try {
        records = host::load_migration_records(data_dir);
    } catch (const std::exception&) {
        return;  // a journal being written: next refresh
    }
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        const auto a = arrivals.find(it->vm);
        if (a == arrivals.end() || a->second.probed || it->to != host || it->at < a->second.since)
            continue;
        a->second.probed = true;
        a->second.probes_sent = it->probes_sent;
        a->second.probes_lost = it->probes_lost;
    }
}

}  // namespace

void HostWatcher::run(std::stop_token stop) {
    std::unique_ptr<Hypervisor> hv;
    std::vector<DomainStats> before;
    auto sampled = std::chrono::steady_clock::now();
    std::string last;
    std::set<std::string> known;              // the VMs of the previous refresh
    bool refreshed = false;                   // there was one: a VM not known is new here
    // VMs new here, maybe arriving by migration, and since when they run (a
    // destination resumes the VM a moment before libvirt has its report).
    std::map<std::string, std::optional<std::chrono::steady_clock::time_point>> pending;
    std::map<std::string, Arrival> arrivals;  // VMs that arrived by migration
    const auto publish = [&](const DashboardHost& host) {
        std::string json = dashboard_host_json(host);
        if (json != last) {
            last = json;
            m_publish(m_name, last);
        }
    };
    while (!stop.stop_requested()) {
        try {
            if (!hv) {
                hv = m_connect(m_uri);
                before.clear();
                hv->subscribe_events([this] { poke(); });
            }
            DashboardHost host{m_name, m_uri, true, {}, {}, {}};
            {
                const std::lock_guard lock(m_mutex);
                host.draining_to = m_draining_to;
            }
            const auto domains = hv->list_domains();
            auto stats = hv->all_domain_stats();
            const auto now = std::chrono::steady_clock::now();
            host.vms = dashboard_vms(domains, before, stats, std::chrono::duration<double>(now - sampled).count(),
                                     running_addresses(*hv, m_env, domains));
            bool busy = false;
            std::set<std::string> names;
            for (auto& vm : host.vms) {
                names.insert(vm.name);
                if (refreshed && !known.count(vm.name))
                    pending[vm.name];
                if (vm.state != DomainState::Running && vm.state != DomainState::Paused)
                    continue;
                try {
                    vm.job = hv->active_job(vm.name);
                    busy = busy || vm.job.has_value();
                    // A VM new here, once it runs, may have come by migration:
                    // libvirt keeps the incoming job's report, with its downtime.
                    // Asked for 10 s: a VM created here never gets one.
                    const auto p = pending.find(vm.name);
                    if (p != pending.end() && vm.state == DomainState::Running) {
                        if (!p->second)
                            p->second = now;
                        if (const auto done = hv->completed_job(vm.name); done && done->downtime_ms) {
                            arrivals[vm.name] = {*done->downtime_ms,
                                                 format_utc(std::time(nullptr) - 60, "%Y-%m-%dT%H:%M:%SZ"), now};
                            pending.erase(p);
                        } else if (now - *p->second > std::chrono::seconds(10)) {
                            pending.erase(p);
                        }
                    }
                } catch (const Error&) {
                    // Gone between the list and this call: the next refresh shows it.
                }
            }
            std::erase_if(arrivals, [&](const auto& a) { return !names.count(a.first); });
            std::erase_if(pending, [&](const auto& p) { return !names.count(p.first); });
            read_probes(m_env.paths.data_dir, m_name, arrivals);
            for (auto& vm : host.vms)
                if (const auto a = arrivals.find(vm.name); a != arrivals.end()) {
                    vm.downtime_ms = a->second.downtime_ms;
                    vm.probes_sent = a->second.probes_sent;
                    vm.probes_lost = a->second.probes_lost;
                }
            known = std::move(names);
            refreshed = true;
            before = std::move(stats);
            sampled = now;
            publish(host);
            // A migration's passes go by in seconds: follow them closer; and
            // look for an arrival's report and journal record sooner than
            // every refresh.
            const bool probing =
                std::any_of(arrivals.begin(), arrivals.end(), [](const auto& a) { return !a.second.probed; }) ||
                std::any_of(pending.begin(), pending.end(), [](const auto& p) { return p.second.has_value(); });
            if (busy || probing) {
                if (!wait(stop, std::min(m_refresh, std::chrono::milliseconds(500))))
                    return;
                continue;
            }
        } catch (const Error& e) {
            hv.reset();
            DashboardHost host{m_name, m_uri, false, e.line(), {}, {}};
            publish(host);
            if (!wait(stop, std::chrono::seconds(3)))
                return;
            continue;
        }
        if (!wait(stop, m_refresh))
            return;
    }
}

}  // namespace vmctl::ops
