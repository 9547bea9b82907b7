#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/cost.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/host/usage_journal.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>

namespace vmctl::cli::commands {
namespace {

nlohmann::json line_json(const CostLine& line) {
    return {{"name", line.name},
            {"running_hours", line.usage.running_hours},
            {"vcpu_hours", line.usage.vcpu_hours},
            {"memory_gib_hours", line.usage.memory_gib_hours},
            {"disk_gib_days", line.usage.disk_gib_days},
            {"snapshot_days", line.usage.snapshot_days},
            {"cost", {{"vcpu", line.vcpu_cost},
                      {"memory", line.memory_cost},
                      {"disk", line.disk_cost},
                      {"snapshots", line.snapshot_cost},
                      {"total", line.total()}}}};
}

nlohmann::json bill_json(const Bill& bill) {
    nlohmann::json out = {{"since", format_utc(bill.since, "%Y-%m-%dT%H:%M:%SZ")},
                          {"until", format_utc(bill.now, "%Y-%m-%dT%H:%M:%SZ")},
                          {"currency", bill.prices.currency},
                          {"example_prices", bill.prices.example},
                          {"price_sheet", bill.prices.file},
                          {"vms", nlohmann::json::array()},
                          {"total", bill.total}};
    for (const auto& line : bill.vms)
        out["vms"].push_back(line_json(line));
    if (!bill.label_key.empty()) {
        out["by_label"] = {{"key", bill.label_key}, {"values", nlohmann::json::array()}};
        for (const auto& line : bill.by_label)
            out["by_label"]["values"].push_back(line_json(line));
    }
    return out;
}

std::string label_key(const std::vector<std::string>& by) {
    if (by.size() != 2 || by[0] != "label")
        throw Error(ErrorKind::Usage, fmt::format("--by {} is not understood", fmt::join(by, " ")),
                    "write --by label KEY, e.g. --by label owner");
    parse_label(by[1] + "=x");  // the key must be a label key
    return by[1];
}

}  // namespace

int cost(Context& context, const Args& args) {
    CommandLine cli("cost [--since DURATION|DATE] [--by label KEY] [--json] [--prices FILE]",
                    "A small cloud bill: vCPU-hours and GiB-hours of memory while each VM ran, GiB-days of disk\n"
                    "and snapshot-days while it existed, priced by a price sheet, per VM, per label, and in total.\n"
                    "vmctl counts from its usage journal (written by create, start, stop, resize, delete, apply)\n"
                    "and from each running VM's QEMU start time, so VMs started with virsh count too.");
    cli.add()("since", po::value<std::string>(), "start of the bill: 7d, 12h, 30m or 2026-11-01 (default: this month)")(
        "by", po::value<std::vector<std::string>>()->multitoken(), "label KEY: subtotals per value of a label")(
        "json", "print JSON for scripts")("prices", po::value<std::string>(),
                                          "price sheet (YAML); default: prices.yaml in vmctl's data directory, else "
                                          "the example sheet share/prices.yaml");
    cli.examples("  vmctl cost\n  vmctl cost --since 7d --by label owner\n  vmctl cost --prices course-prices.yaml --json\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const long long now = static_cast<long long>(std::time(nullptr));
    const long long since = cli.has("since") ? parse_since(cli.get<std::string>("since"), now) : month_start(now);
    const std::string key = cli.has("by") ? label_key(cli.get<std::vector<std::string>>("by")) : "";
    const PriceSheet prices =
        host::load_price_sheet(cli.get_optional<std::string>("prices").value_or(host::default_price_sheet(context.env().paths)));
    const auto journal = ops::sample_usage(context.hypervisor(), context.env());
    const Bill bill = make_bill(compute_usage(journal, since, now), prices, since, now, key);
    if (cli.has("json"))
        context.out() << bill_json(bill).dump(2) << '\n';
    else
        context.out() << format_bill(bill);
    return 0;
}

}  // namespace vmctl::cli::commands
