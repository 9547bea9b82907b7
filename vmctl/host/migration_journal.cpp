#include "vmctl/host/migration_journal.h"

#include "vmctl/host/files.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace vmctl::host {

namespace {
std::string journal_path(const std::string& data_dir) { return data_dir + "/migrations.jsonl"; }
}  // namespace

void append_migration_record(const std::string& data_dir, const MigrationRecord& record) {
    nlohmann::json line = {{"vm", record.vm},   {"from", record.from},       {"to", record.to},
                           {"at", record.at},   {"seconds", record.seconds}, {"kept_running", record.kept_running}};
    if (record.downtime_ms)
        line["downtime_ms"] = *record.downtime_ms;
    if (record.probes_sent)
        line["probes_sent"] = *record.probes_sent;
    if (record.probes_lost)
        line["probes_lost"] = *record.probes_lost;
    if (record.longest_gap_ms)
        line["longest_gap_ms"] = *record.longest_gap_ms;
    if (record.tcp_kept)
        line["tcp_kept"] = *record.tcp_kept;
    append_to_file(journal_path(data_dir), line.dump() + '\n');
}

std::vector<MigrationRecord> load_migration_records(const std::string& data_dir) {
    std::vector<MigrationRecord> records;
    std::istringstream in(read_file_or(journal_path(data_dir), ""));
    for (std::string text; std::getline(in, text);) {
        const auto line = nlohmann::json::parse(text, nullptr, false);
        if (line.is_discarded() || !line.is_object())
            continue;  // a line cut short by a crash is skipped, not fatal
        MigrationRecord r;
        try {
            r.vm = line.value("vm", "");
            r.from = line.value("from", "");
            r.to = line.value("to", "");
            r.at = line.value("at", "");
            r.seconds = line.value("seconds", 0.0);
            r.kept_running = line.value("kept_running", false);
            if (line.contains("downtime_ms"))
                r.downtime_ms = line["downtime_ms"].get<unsigned long long>();
            if (line.contains("probes_sent"))
                r.probes_sent = line["probes_sent"].get<unsigned>();
            if (line.contains("probes_lost"))
                r.probes_lost = line["probes_lost"].get<unsigned>();
            if (line.contains("longest_gap_ms"))
                r.longest_gap_ms = line["longest_gap_ms"].get<double>();
            if (line.contains("tcp_kept"))
                r.tcp_kept = line["tcp_kept"].get<bool>();
        } catch (const nlohmann::json::exception&) {
            continue;  // a line with a field of the wrong type is skipped too
        }
        records.push_back(r);
    }
    return records;
}

}  // namespace vmctl::host
