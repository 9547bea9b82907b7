#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace vmctl::web {

// The latest picture of every host (its JSON), shared between the host
// watchers that publish and the page streams that read. Each stream keeps
// the versions it has sent and waits for newer ones, so a slow or gone
// browser holds nothing up.
class DashboardHub {
public:
    // Stores a host's new JSON and wakes every stream.
    void publish(const std::string& host, const std::string& json);

    // What a stream has sent: the version of each host.
    using Seen = std::map<std::string, std::uint64_t>;

    // Drops a host (no longer registered); streams send {"name":...,"gone":true}.
    void remove(const std::string& host);

    // The hosts whose JSON is newer than `seen` (and marks them seen), after
    // waiting up to `timeout` for one; empty on timeout or after close().
    std::vector<std::string> wait_for_changes(Seen& seen, std::chrono::milliseconds timeout);

    // Every host's JSON, as one JSON object {"hosts": [...]} (GET /state).
    std::string state_json();

    // Wakes and ends every waiting stream (the server is stopping).
    void close();

private:
    struct Entry {
        std::string json;
        std::uint64_t version = 0;
        bool gone = false;  // removed: json is the tombstone the streams send
    };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, Entry> m_hosts;
    std::uint64_t m_version = 0;
    bool m_closed = false;
};

}  // namespace vmctl::web
