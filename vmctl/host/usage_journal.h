#pragma once

#include "vmctl/core/cost.h"
#include "vmctl/core/usage.h"
#include "vmctl/host/paths.h"

#include <string>
#include <vector>

namespace vmctl::host {

// The append-only usage journal: one JSON line per record, in the data
// directory (/var/lib/vmctl/usage.jsonl for root).
std::string usage_journal_path(const Paths& paths);

// Appends records, all lines in one write, so concurrent vmctl runs do not
// interleave. Throws Error(OperationFailed) naming the file when it cannot.
void append_usage(const std::string& path, const std::vector<UsageRecord>& records);

// Every readable record; a damaged line is skipped. No file: no records.
std::vector<UsageRecord> read_usage(const std::string& path);

// The price sheet used without --prices: prices.yaml in the data directory
// (an instructor's), else the example sheet shipped with vmctl
// (share/prices.yaml in the sources, or the installed share/vmctl/prices.yaml).
std::string default_price_sheet(const Paths& paths);

// Reads and parses a price sheet; a missing file is Error(NotFound).
PriceSheet load_price_sheet(const std::string& path);

}  // namespace vmctl::host
