#include "vmctl/core/usage.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>

namespace vmctl {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr long long kSameProcessSlack = 5;  // seconds: /proc start times are rounded

// Adds `rate` per hour over [from, to] clipped to [since, now].
double hours_within(long long from, long long to, long long since, long long now) {
    from = std::max(from, since);
    to = std::min(to, now);
    return to > from ? static_cast<double>(to - from) / 3600.0 : 0.0;
}

struct VmState {
    Usage usage;
    bool exists = false;
    long long seen_at = 0;      // the last record
    unsigned snapshots = 0;
    std::uint64_t disk_bytes = 0;
    bool running = false;
    long long run_since = 0;    // the QEMU start time of the open run
    long long run_counted = 0;  // the open run is counted up to here
    unsigned vcpus = 0;
    std::uint64_t memory_bytes = 0;
};

void count_run(VmState& s, long long to, long long since, long long now) {
    const double hours = hours_within(s.run_counted, to, since, now);
    s.usage.running_hours += hours;
    s.usage.vcpu_hours += hours * s.vcpus;
    s.usage.memory_gib_hours += hours * static_cast<double>(s.memory_bytes) / kGiB;
    s.run_counted = std::max(s.run_counted, to);
}

void count_storage(VmState& s, long long to, long long since, long long now) {
    const double days = hours_within(s.seen_at, to, since, now) / 24.0;
    s.usage.disk_gib_days += days * static_cast<double>(s.disk_bytes) / kGiB;
    s.usage.snapshot_days += days * s.snapshots;
}

void apply_record(VmState& s, const UsageRecord& r, long long since, long long now) {
    const bool exact = r.event != "sample";  // vmctl did the change at r.at
    if (s.exists)
        count_storage(s, r.at, since, now);
    if (s.running && (!r.running || r.deleted)) {
        count_run(s, exact ? r.at : s.run_counted, since, now);
        s.running = false;
    }
    if (r.deleted) {
        s.exists = false;
        s.seen_at = r.at;
        return;
    }
    s.exists = true;
    s.seen_at = r.at;
    s.disk_bytes = r.disk_bytes;
    s.snapshots = r.snapshots;
    s.usage.labels = r.labels;
    if (r.running) {
        const long long started = r.running_since != 0 ? r.running_since : r.at;
        const bool same_run = s.running && (r.running_since == 0 || std::llabs(started - s.run_since) <= kSameProcessSlack);
        if (same_run) {
            count_run(s, r.at, since, now);  // at the size it had until now
        } else {
            // A new QEMU process; the old one ended some time before it started.
            s.running = true;
            s.run_since = started;
            s.run_counted = std::max(started, s.run_counted);
            s.vcpus = r.vcpus;
            s.memory_bytes = r.memory_bytes;
            count_run(s, r.at, since, now);
        }
        s.vcpus = r.vcpus;
        s.memory_bytes = r.memory_bytes;
    }
}

long long utc_epoch(std::tm tm) { return static_cast<long long>(::timegm(&tm)); }

}  // namespace

std::string usage_line(const UsageRecord& r) {
    nlohmann::json line = {{"at", r.at}, {"vm", r.vm}, {"event", r.event}};
    if (r.deleted) {
        line["deleted"] = true;
        return line.dump();
    }
    line["running"] = r.running;
    if (r.running_since != 0)
        line["running_since"] = r.running_since;
    line["vcpus"] = r.vcpus;
    line["memory_bytes"] = r.memory_bytes;
    line["disk_bytes"] = r.disk_bytes;
    line["snapshots"] = r.snapshots;
    line["labels"] = r.labels;
    return line.dump();
}

std::optional<UsageRecord> parse_usage_line(std::string_view text) {
    try {
        const auto line = nlohmann::json::parse(text);
        UsageRecord r;
        r.at = line.at("at").get<long long>();
        r.vm = line.at("vm").get<std::string>();
        r.event = line.value("event", "sample");
        r.deleted = line.value("deleted", false);
        r.running = line.value("running", false);
        r.running_since = line.value("running_since", 0LL);
        r.vcpus = line.value("vcpus", 0U);
        r.memory_bytes = line.value("memory_bytes", std::uint64_t{0});
        r.disk_bytes = line.value("disk_bytes", std::uint64_t{0});
        r.snapshots = line.value("snapshots", 0U);
        r.labels = line.value("labels", Labels{});
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::vector<Usage> compute_usage(std::vector<UsageRecord> records, long long since, long long now) {
    std::stable_sort(records.begin(), records.end(),
                     [](const UsageRecord& a, const UsageRecord& b) { return a.at < b.at; });
    std::map<std::string, VmState> vms;
    for (const auto& r : records) {
        VmState& s = vms[r.vm];
        s.usage.vm = r.vm;
        apply_record(s, r, since, now);
    }
    std::vector<Usage> result;
    for (auto& [name, s] : vms) {
        if (s.exists)  // its disk is still there now; its running time only as far as seen
            count_storage(s, now, since, now);
        s.usage.exists = s.exists;
        result.push_back(s.usage);
    }
    return result;
}

long long parse_since(std::string_view text, long long now) {
    const std::string value(text);
    const std::string hint = "write a duration such as 7d, 12h or 30m, or a date such as 2026-11-01";
    if (value.size() >= 2 && std::isdigit(static_cast<unsigned char>(value.front()))) {
        char* end = nullptr;
        const long long amount = std::strtoll(value.c_str(), &end, 10);
        const std::string unit(end);
        const long long seconds = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "m" ? 60 : 0;
        // At most 100 years back: larger amounts (a typo, or 20 digits) would overflow.
        constexpr long long kMaxSeconds = 100LL * 366 * 86400;
        if (seconds != 0 && amount > 0 && amount <= kMaxSeconds / seconds)
            return now - amount * seconds;
        if (seconds != 0 && amount > 0)
            throw Error(ErrorKind::InvalidArgument, fmt::format("--since {} is too far back", value),
                        "give at most 100 years, e.g. 36500d");
    }
    std::tm tm{};
    for (const char* pattern : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"}) {
        tm = {};
        const char* end = ::strptime(value.c_str(), pattern, &tm);
        if (end != nullptr && *end == '\0') {
            const long long at = utc_epoch(tm);
            if (at > now)
                throw Error(ErrorKind::InvalidArgument, fmt::format("--since {} is in the future", value), hint);
            return at;
        }
    }
    throw Error(ErrorKind::InvalidArgument, fmt::format("--since '{}' is not a duration or a date", value), hint);
}

long long month_start(long long now) {
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return utc_epoch(tm);
}

}  // namespace vmctl
