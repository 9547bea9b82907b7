#include "vmctl/web/dashboard_hub.h"

#include <nlohmann/json.hpp>

namespace vmctl::web {

void DashboardHub::publish(const std::string& host, const std::string& json) {
    {
        const std::lock_guard lock(m_mutex);
        m_hosts[host] = Entry{json, ++m_version, false};
    }
    m_changed.notify_all();
}

void DashboardHub::remove(const std::string& host) {
    {
        const std::lock_guard lock(m_mutex);
        // Kept as a tombstone with a new version, so every stream tells its page.
        m_hosts[host] = Entry{nlohmann::json{{"name", host}, {"gone", true}}.dump(), ++m_version, true};
    }
    m_changed.notify_all();
}

std::vector<std::string> DashboardHub::wait_for_changes(Seen& seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    const auto newer = [&] {
        for (const auto& [name, entry] : m_hosts)
            if (seen[name] < entry.version)
                return true;
        return false;
    };
    m_changed.wait_for(lock, timeout, [&] { return m_closed || newer(); });
    std::vector<std::string> changes;
    if (m_closed)
        return changes;
    for (const auto& [name, entry] : m_hosts)
        if (seen[name] < entry.version) {
            seen[name] = entry.version;
            changes.push_back(entry.json);
        }
    return changes;
}

std::string DashboardHub::state_json() {
    const std::lock_guard lock(m_mutex);
    std::string out = "{\"hosts\":[";
    bool first = true;
    for (const auto& [name, entry] : m_hosts) {
        if (entry.gone)
            continue;
        if (!first)
            out += ',';
        first = false;
        out += entry.json;
    }
    return out + "]}";
}

void DashboardHub::close() {
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
}

}  // namespace vmctl::web
