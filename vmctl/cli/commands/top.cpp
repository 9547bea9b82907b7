#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/size.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/top.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {
namespace {

std::string optional_size(const std::optional<std::uint64_t>& bytes) {
    return bytes ? format_size(*bytes) : "-";
}

std::string rate(double bytes_per_s) { return format_size(static_cast<std::uint64_t>(bytes_per_s)) + "/s"; }

using HostRows = std::vector<std::pair<std::string, ops::TopRow>>;

void print_table(const HostRows& rows, bool with_host, std::ostream& out) {
    std::vector<std::string> headers{"NAME", "STATE", "VCPUS", "CPU%", "MEMORY", "GUEST USED", "HOST RSS",
                                     "DISK READ", "DISK WRITE", "UPTIME"};
    if (with_host)
        headers.insert(headers.begin() + 1, "HOST");
    Table table(headers);
    for (const auto& [host_name, r] : rows) {
        std::vector<std::string> cells{r.name, state_name(r.state), std::to_string(r.vcpus), fmt::format("{:.1f}", r.cpu_percent),
                       format_size(r.memory_bytes), optional_size(r.guest_used_bytes), optional_size(r.rss_bytes),
                       rate(r.disk_read_per_s), rate(r.disk_write_per_s),
                       r.uptime_seconds ? format_duration(*r.uptime_seconds) : "-"};
        if (with_host)
            cells.insert(cells.begin() + 1, host_name);
        table.add_row(cells);
    }
    table.print(out);
}

nlohmann::json to_json(const HostRows& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [host_name, r] : rows) {
        nlohmann::json row = {{"name", r.name},
                              {"host", host_name},
                              {"state", state_name(r.state)},
                              {"vcpus", r.vcpus},
                              {"cpu_percent", r.cpu_percent},
                              {"memory_bytes", r.memory_bytes},
                              {"guest_used_bytes", nullptr},
                              {"host_rss_bytes", nullptr},
                              {"disk_read_bytes_per_s", r.disk_read_per_s},
                              {"disk_write_bytes_per_s", r.disk_write_per_s},
                              {"uptime_seconds", nullptr}};
        if (r.guest_used_bytes)
            row["guest_used_bytes"] = *r.guest_used_bytes;
        if (r.rss_bytes)
            row["host_rss_bytes"] = *r.rss_bytes;
        if (r.uptime_seconds)
            row["uptime_seconds"] = *r.uptime_seconds;
        out.push_back(row);
    }
    return out;
}

}  // namespace

int top(Context& context, const Args& args) {
    CommandLine cli("top [--once] [--json] [--interval S]",
                    "A live table of every VM: state, vCPUs, CPU % as the host sees it, memory (the balloon's\n"
                    "target, what the guest reports using, the QEMU process's RSS), disk I/O and uptime.\n"
                    "One bulk statistics call per refresh. Ctrl-C stops it.");
    cli.add()("once", "print one table and exit")("json", "print JSON for scripts (implies --once)")(
        "interval", po::value<double>()->default_value(1.0), "seconds between refreshes")(
        "all-hosts", "every known host's VMs, with a HOST column");
    cli.examples("  vmctl top\n  vmctl top --once --json\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const double interval = cli.get<double>("interval");
    if (interval < 0.1 || interval > 3600)
        throw Error(ErrorKind::InvalidArgument, "--interval must be between 0.1 and 3600 seconds", {});
    const auto period = std::chrono::milliseconds(static_cast<long>(interval * 1000));
    // One connection per host, opened once; one bulk call per host per sample.
    ops::HostList hosts{{context.host_name(), &context.hypervisor()}};
    const bool all_hosts = cli.has("all-hosts");
    if (all_hosts)
        for (const auto& other : context.other_hosts())
            hosts.push_back(other);
    const bool once = cli.has("once") || cli.has("json");
    for (;;) {
        HostRows rows;
        for (const auto& [host_name, hv] : hosts)
            for (auto& row : ops::sample_top(*hv, context.env(), hosts.size() > 1 ? period / 2 : period))
                rows.emplace_back(host_name, std::move(row));
        if (cli.has("json")) {
            context.out() << to_json(rows).dump(2) << '\n';
            return 0;
        }
        if (!once)
            context.out() << "\x1b[H\x1b[2J";  // clear the screen between refreshes
        print_table(rows, all_hosts, context.out());
        context.out() << std::flush;
        if (once)
            return 0;
    }
}

}  // namespace vmctl::cli::commands
