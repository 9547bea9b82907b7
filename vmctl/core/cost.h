#pragma once

#include "vmctl/core/usage.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// What resources cost: a price sheet an instructor can replace
// (share/prices.yaml ships example prices, clearly marked as such).
struct PriceSheet {
    std::string file;
    std::string currency = "EUR";
    bool example = true;            // the sheet says its prices are made up
    std::string description;
    double vcpu_hour = 0;           // per vCPU per hour of running
    double memory_gib_hour = 0;     // per GiB of memory per hour of running
    double disk_gib_month = 0;      // per GiB of disk per month, running or not
    double snapshot_month = 0;      // per snapshot kept per month
};

// Hours in a billing month, as cloud providers count them (365 * 24 / 12).
inline constexpr double kHoursPerMonth = 730.0;

// Parses a price sheet; mistakes throw Error(FileInvalid) with file:line:column.
PriceSheet parse_price_sheet(std::string_view text, const std::string& file_name);

// One line of a bill: what one VM (or one label value) used and cost.
struct CostLine {
    std::string name;
    Usage usage;  // summed, for a label line
    double vcpu_cost = 0;
    double memory_cost = 0;
    double disk_cost = 0;
    double snapshot_cost = 0;
    double total() const { return vcpu_cost + memory_cost + disk_cost + snapshot_cost; }
};

CostLine price(const Usage& usage, const PriceSheet& prices);

struct Bill {
    PriceSheet prices;
    long long since = 0;
    long long now = 0;
    std::vector<CostLine> vms;        // per VM, by name
    std::string label_key;            // set with --by label KEY
    std::vector<CostLine> by_label;   // per value of label_key ("(none)" for VMs without it)
    double total = 0;
};

// Prices every VM and sums them (and per label value when `label_key` is set). Pure.
Bill make_bill(const std::vector<Usage>& usage, const PriceSheet& prices, long long since, long long now,
               const std::string& label_key);

// The bill as a small table with a total, like a cloud console's.
std::string format_bill(const Bill& bill);

// What a month costs: a VM running all month, a disk kept all month.
double monthly_running_cost(const PriceSheet& prices, unsigned vcpus, std::uint64_t memory_bytes);
double monthly_disk_cost(const PriceSheet& prices, std::uint64_t disk_bytes);

// "12.34 EUR".
std::string format_money(double amount, const PriceSheet& prices);

}  // namespace vmctl
