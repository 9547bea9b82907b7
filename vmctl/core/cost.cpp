#include "vmctl/core/cost.h"

#include "vmctl/core/snapshot.h"
#include "vmctl/core/yaml_file.h"

#include <fmt/format.h>

#include <map>

namespace vmctl {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kDaysPerMonth = kHoursPerMonth / 24.0;

void add(Usage& sum, const Usage& u) {
    sum.running_hours += u.running_hours;
    sum.vcpu_hours += u.vcpu_hours;
    sum.memory_gib_hours += u.memory_gib_hours;
    sum.disk_gib_days += u.disk_gib_days;
    sum.snapshot_days += u.snapshot_days;
}

std::string row(const std::string& name, const CostLine& line, const PriceSheet& prices, std::size_t width) {
    return fmt::format("{:<{}}  {:>9.2f}  {:>10.2f}  {:>9.2f}  {:>9.2f}  {:>12}\n", name, width, line.usage.vcpu_hours,
                       line.usage.memory_gib_hours, line.usage.disk_gib_days, line.usage.snapshot_days,
                       format_money(line.total(), prices));
}

}  // namespace

PriceSheet parse_price_sheet(std::string_view text, const std::string& file_name) {
    const YamlFile file(text, file_name);
    const YAML::Node& root = file.root();
    file.require_map(root, "the price sheet", {"currency", "example", "description", "prices"});
    PriceSheet sheet;
    sheet.file = file_name;
    if (const auto node = root["currency"])
        sheet.currency = file.text(node, "currency");
    if (const auto node = root["example"])
        sheet.example = file.boolean(node, "example");
    if (const auto node = root["description"])
        sheet.description = file.text(node, "description");
    const YAML::Node prices = root["prices"];
    if (!prices)
        file.fail(root, "the price sheet has no 'prices:'",
                  "list vcpuHour, memoryGiBHour, diskGiBMonth and snapshotMonth under 'prices:'");
    file.require_map(prices, "prices", {"vcpuHour", "memoryGiBHour", "diskGiBMonth", "snapshotMonth"});
    const auto read = [&](const char* key, double& into) {
        const YAML::Node node = prices[key];
        if (!node)
            file.fail(prices, fmt::format("the price '{}' is missing", key), "give all four prices, even as 0");
        into = file.number(node, key);
    };
    read("vcpuHour", sheet.vcpu_hour);
    read("memoryGiBHour", sheet.memory_gib_hour);
    read("diskGiBMonth", sheet.disk_gib_month);
    read("snapshotMonth", sheet.snapshot_month);
    return sheet;
}

CostLine price(const Usage& usage, const PriceSheet& prices) {
    CostLine line;
    line.name = usage.vm;
    line.usage = usage;
    line.vcpu_cost = usage.vcpu_hours * prices.vcpu_hour;
    line.memory_cost = usage.memory_gib_hours * prices.memory_gib_hour;
    line.disk_cost = usage.disk_gib_days / kDaysPerMonth * prices.disk_gib_month;
    line.snapshot_cost = usage.snapshot_days / kDaysPerMonth * prices.snapshot_month;
    return line;
}

Bill make_bill(const std::vector<Usage>& usage, const PriceSheet& prices, long long since, long long now,
               const std::string& label_key) {
    Bill bill{prices, since, now};
    bill.label_key = label_key;
    std::map<std::string, Usage> groups;
    for (const auto& u : usage) {
        CostLine line = price(u, prices);
        if (line.total() == 0 && !u.exists)
            continue;  // gone before the period began
        bill.total += line.total();
        bill.vms.push_back(line);
        if (!label_key.empty()) {
            const auto value = u.labels.find(label_key);
            Usage& sum = groups[value == u.labels.end() ? "(none)" : value->second];
            add(sum, u);
        }
    }
    for (auto& [value, sum] : groups) {
        sum.vm = value;
        bill.by_label.push_back(price(sum, prices));
    }
    return bill;
}

double monthly_running_cost(const PriceSheet& prices, unsigned vcpus, std::uint64_t memory_bytes) {
    return kHoursPerMonth * (vcpus * prices.vcpu_hour + static_cast<double>(memory_bytes) / kGiB * prices.memory_gib_hour);
}

double monthly_disk_cost(const PriceSheet& prices, std::uint64_t disk_bytes) {
    return static_cast<double>(disk_bytes) / kGiB * prices.disk_gib_month;
}

std::string format_money(double amount, const PriceSheet& prices) {
    return fmt::format("{:.2f} {}", amount, prices.currency);
}

std::string format_bill(const Bill& bill) {
    std::string text = fmt::format("Bill from {} to {} (UTC), priced by {}\n", format_utc(bill.since, "%Y-%m-%d %H:%M"),
                                   format_utc(bill.now, "%Y-%m-%d %H:%M"), bill.prices.file);
    if (bill.prices.example)
        text += "EXAMPLE PRICES: not a real provider's; an instructor can give real ones with --prices FILE\n";
    std::size_t width = 4;
    for (const auto& line : bill.vms)
        width = std::max(width, line.name.size());
    for (const auto& line : bill.by_label)
        width = std::max(width, line.name.size());
    const std::string header = fmt::format("{:<{}}  {:>9}  {:>10}  {:>9}  {:>9}  {:>12}\n", "VM", width, "vCPU-h",
                                           "GiB-h mem", "GiB-d disk", "snap-days", "cost");
    text += header;
    for (const auto& line : bill.vms)
        text += row(line.name, line, bill.prices, width);
    if (bill.vms.empty())
        text += "(no VM used anything in this period)\n";
    if (!bill.label_key.empty()) {
        text += fmt::format("\nby label '{}':\n", bill.label_key);
        for (const auto& line : bill.by_label)
            text += row(line.name, line, bill.prices, width);
    }
    text += fmt::format("{:<{}}  {:>57}\n", "TOTAL", width, format_money(bill.total, bill.prices));
    text += fmt::format("prices: {} per vCPU-hour, {} per GiB-hour of memory, {} per GiB-month of disk, {} per "
                        "snapshot-month\n",
                        bill.prices.vcpu_hour, bill.prices.memory_gib_hour, bill.prices.disk_gib_month,
                        bill.prices.snapshot_month);
    return text;
}

}  // namespace vmctl
