#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vmctl::host {

// A completed migration, as `vmctl migrate` records it (a line of JSON in
// <data_dir>/migrations.jsonl), for labs and for the curious.
struct MigrationRecord {
    std::string vm;
    std::string from;
    std::string to;
    std::string at;  // ISO 8601 UTC, so records compare with lab start times as text
    double seconds = 0;
    std::optional<unsigned long long> downtime_ms;
    bool kept_running = false;
    // What probing the VM's address saw (a running VM with an address only).
    std::optional<unsigned> probes_sent;
    std::optional<unsigned> probes_lost;
    std::optional<double> longest_gap_ms;
    std::optional<bool> tcp_kept;
};

void append_migration_record(const std::string& data_dir, const MigrationRecord& record);
std::vector<MigrationRecord> load_migration_records(const std::string& data_dir);

}  // namespace vmctl::host
