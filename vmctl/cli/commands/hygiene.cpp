#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/names.h"
#include "vmctl/core/hygiene.h"
#include "vmctl/host/usage_journal.h"
#include "vmctl/ops/hygiene.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {
namespace {

nlohmann::json findings_json(const std::vector<Finding>& findings, const PriceSheet& prices) {
    nlohmann::json out = {{"currency", prices.currency}, {"example_prices", prices.example},
                          {"findings", nlohmann::json::array()}};
    for (const auto& f : findings)
        out["findings"].push_back({{"kind", finding_name(f.kind)},
                                   {"subject", f.subject},
                                   {"snapshot", f.snapshot},
                                   {"problem", f.problem},
                                   {"monthly_cost", f.monthly_cost},
                                   {"fix", f.fix},
                                   {"automatic", f.automatic}});
    return out;
}

int fix_all(Context& context, const std::vector<Finding>& findings, bool yes, const ops::UseElsewhere& elsewhere) {
    std::optional<ErrorKind> failure;
    for (const auto& f : findings) {
        if (!f.automatic) {
            context.out() << fmt::format("left to you: {} ({})\n", f.fix, f.subject);
            continue;
        }
        if (!yes && !context.confirm(fmt::format("{}: {}. Run '{}'?", f.subject, f.problem, f.fix), "--yes")) {
            context.out() << fmt::format("skipped: {}\n", f.fix);
            continue;
        }
        try {
            context.out() << ops::fix_finding(context.hypervisor(), context.env(), f, elsewhere) << '\n';
        } catch (const Error& e) {
            context.out() << fmt::format("NOT DONE: {}: {}\n", f.fix, e.what());
            failure = failure.value_or(e.kind());
        }
    }
    if (!failure)
        return 0;
    context.out().flush();
    context.err() << "error: some fixes failed (the lines marked NOT DONE); run 'vmctl hygiene --fix' again after "
                     "fixing the cause"
                  << std::endl;
    return exit_code(*failure);
}

}  // namespace

int hygiene(Context& context, const Args& args) {
    CommandLine cli("hygiene [--json] [--fix [--yes]] [--label KEY=VALUE] [--window S] [--prices FILE]",
                    "Cloud hygiene: finds idle running VMs, VMs stopped for long, disk volumes and golden images\n"
                    "no VM uses, old snapshots, and VMs without an 'owner' label; says what each costs a month\n"
                    "and the exact command that fixes it. --fix asks before each change and never touches a\n"
                    "protected pet.");
    cli.add()("json", "print JSON for scripts")("fix", "fix the findings, asking before each")(
        "yes", "with --fix: do not ask")("window", po::value<double>()->default_value(3.0),
                                         "seconds between the two CPU samples")(
        "idle-percent", po::value<double>()->default_value(5.0), "a running VM below this CPU % is idle")(
        "stopped-days", po::value<unsigned>()->default_value(7), "a VM stopped this many days is forgotten")(
        "snapshot-days", po::value<unsigned>()->default_value(30), "a snapshot this many days old is old")(
        "prices", po::value<std::string>(), "price sheet (YAML), as for 'vmctl cost'")(
        "label", po::value<std::string>(),
        "only the VMs with this KEY=VALUE label (volumes and images, which have no labels, are left out)");
    cli.examples("  vmctl hygiene\n  vmctl hygiene --json\n  vmctl hygiene --fix\n"
                 "  vmctl hygiene --label owner=alice --fix --yes\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const double window = cli.get<double>("window");
    if (window < 0.1 || window > 600)
        throw Error(ErrorKind::InvalidArgument, "--window must be between 0.1 and 600 seconds", "e.g. --window 5");
    if (cli.has("yes") && !cli.has("fix"))
        throw Error(ErrorKind::Usage, "--yes goes with --fix", "e.g. vmctl hygiene --fix --yes");
    HygieneRules rules;
    rules.idle_cpu_percent = cli.get<double>("idle-percent");
    rules.stopped_days = cli.get<unsigned>("stopped-days");
    rules.snapshot_days = cli.get<unsigned>("snapshot-days");
    const PriceSheet prices = host::load_price_sheet(
        cli.get_optional<std::string>("prices").value_or(host::default_price_sheet(context.env().paths)));

    auto& hv = context.hypervisor();
    const auto journal = ops::sample_usage(hv, context.env());
    // Every other host shares the pool: a volume or an image unused here may be used there.
    const ops::UseElsewhere elsewhere = context.use_elsewhere();
    const bool all_hosts_known = elsewhere.unreachable.empty();
    const auto input = ops::gather_hygiene(hv, context.env(), std::chrono::milliseconds(static_cast<long>(window * 1000)),
                                           journal, elsewhere);
    auto findings = find_hygiene_problems(input, rules, prices);
    if (auto selector = cli.get_optional<std::string>("label")) {
        // A shared host: fix only what is yours, never a neighbour's VMs.
        const auto [key, value] = parse_label(*selector);
        std::set<std::string> selected;
        for (const auto& vm : input.vms)
            if (ops::has_label(vm.labels, key, value))
                selected.insert(vm.name);
        std::erase_if(findings, [&](const Finding& f) {
            return f.kind == FindingKind::UnusedVolume || f.kind == FindingKind::UnusedImage ||
                   selected.count(f.subject) == 0;
        });
    }
    if (!all_hosts_known)
        for (auto& f : findings)
            f.automatic = f.automatic && f.kind != FindingKind::UnusedVolume && f.kind != FindingKind::UnusedImage;
    if (cli.has("json"))
        context.out() << findings_json(findings, prices).dump(2) << '\n';
    else
        context.out() << format_findings(findings, prices);
    return cli.has("fix") ? fix_all(context, findings, cli.has("yes"), elsewhere) : 0;
}

}  // namespace vmctl::cli::commands
