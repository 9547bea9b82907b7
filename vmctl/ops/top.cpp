#include "vmctl/ops/top.h"

#include "vmctl/host/process.h"

#include <algorithm>
#include <map>
#include <thread>

namespace vmctl::ops {

double cpu_percent(const DomainStats& then, const DomainStats& now, double seconds) {
    if (seconds <= 0 || now.cpu_time_ns < then.cpu_time_ns)  // a restart in between resets the counter
        return 0;
    return static_cast<double>(now.cpu_time_ns - then.cpu_time_ns) / 1e9 / seconds * 100.0;
}

std::vector<TopRow> top_rows(const std::vector<DomainStats>& before, const std::vector<DomainStats>& after,
                             double seconds) {
    std::map<std::string, const DomainStats*> earlier;
    for (const auto& s : before)
        earlier[s.name] = &s;
    std::vector<TopRow> rows;
    for (const auto& now : after) {
        TopRow row;
        row.name = now.name;
        row.state = now.state;
        row.vcpus = now.vcpus;
        row.memory_bytes = now.balloon_bytes;
        row.guest_used_bytes = now.guest_used_bytes;
        row.rss_bytes = now.rss_bytes;
        const auto it = earlier.find(now.name);
        if (it != earlier.end() && seconds > 0 && now.state == DomainState::Running) {
            const DomainStats& then = *it->second;
            row.cpu_percent = cpu_percent(then, now, seconds);
            if (now.disk_read_bytes >= then.disk_read_bytes)
                row.disk_read_per_s = static_cast<double>(now.disk_read_bytes - then.disk_read_bytes) / seconds;
            if (now.disk_write_bytes >= then.disk_write_bytes)
                row.disk_write_per_s = static_cast<double>(now.disk_write_bytes - then.disk_write_bytes) / seconds;
        }
        rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(), [](const TopRow& a, const TopRow& b) { return a.name < b.name; });
    return rows;
}

std::vector<TopRow> sample_top(Hypervisor& hv, const Environment& env, std::chrono::milliseconds interval) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto before = hv.all_domain_stats();
    std::this_thread::sleep_for(interval);
    const auto after = hv.all_domain_stats();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto rows = top_rows(before, after, seconds);
    for (auto& row : rows) {
        if (row.state == DomainState::ShutOff)
            continue;
        if (const auto pid = host::qemu_pid(env.uri, row.name))
            if (const auto age = host::process_age(*pid))
                row.uptime_seconds = age->count();
    }
    return rows;
}

}  // namespace vmctl::ops
