#include "vmctl/host/usage_journal.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#ifndef VMCTL_SHARE_DIR
#define VMCTL_SHARE_DIR "/usr/local/share/vmctl"
#endif

namespace vmctl::host {

std::string usage_journal_path(const Paths& paths) { return paths.data_dir + "/usage.jsonl"; }

void append_usage(const std::string& path, const std::vector<UsageRecord>& records) {
    if (records.empty())
        return;
    std::string lines;
    for (const auto& record : records)
        lines += usage_line(record) + "\n";
    append_to_file(path, lines);
}

std::vector<UsageRecord> read_usage(const std::string& path) {
    std::vector<UsageRecord> records;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (auto record = parse_usage_line(line))
            records.push_back(std::move(*record));
    return records;
}

std::string default_price_sheet(const Paths& paths) {
    for (const std::string& candidate : {paths.data_dir + "/prices.yaml", source_dir() + "/share/prices.yaml",
                                        std::string(VMCTL_SHARE_DIR) + "/prices.yaml"}) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec))
            return candidate;
    }
    return source_dir() + "/share/prices.yaml";
}

PriceSheet load_price_sheet(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorKind::NotFound, fmt::format("the price sheet '{}' does not exist", path),
                    fmt::format("give one with --prices FILE; vmctl ships an example in {}/share/prices.yaml",
                                source_dir()));
    return parse_price_sheet(read_named_file(path, "price sheet"), path);
}

}  // namespace vmctl::host
