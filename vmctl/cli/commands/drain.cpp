#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/migration_view.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/error.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/ops/migrate.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int drain(Context& context, const Args& args) {
    CommandLine cli("drain HOST [--to HOST]",
                    "Empties a host for maintenance: moves every VM on it, one after another (live if running,\n"
                    "its definition if stopped), to --to or to the host with the most free memory.");
    cli.positional("HOST", 1, "the host to empty");
    cli.add()("to", po::value<std::string>(), "the destination for all of them");
    cli.examples("  vmctl drain host-a\n  vmctl drain host-a --to host-b\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto& env = context.env();
    const host::HostEntry from = host::find_host(env.paths.data_dir, cli.required("HOST"));
    const auto connect = [&](const std::string& uri) { return context.connect(uri); };
    host::HostEntry to;
    if (auto name = cli.get_optional<std::string>("to")) {
        to = host::find_host(env.paths.data_dir, *name);
    } else {
        std::optional<ops::HostStatus> best;
        for (auto& status : ops::hosts_status(env, connect))
            if (status.reachable && status.entry.name != from.name &&
                (!best || status.node.free_memory_bytes > best->node.free_memory_bytes))
                best = status;
        if (!best)
            throw Error(ErrorKind::InvalidState, fmt::format("there is no other host to move the VMs of '{}' to", from.name),
                        "bring one up with 'vmctl hosts up --count 2'");
        to = best->entry;
    }
    if (to.name == from.name)
        throw Error(ErrorKind::InvalidArgument, "a host cannot be drained onto itself", "choose another --to");

    auto source = connect(from.uri);
    auto dest = connect(to.uri);
    Table summary({"VM", "FROM", "TO", "RESULT", "TIME", "DOWNTIME", "PROBES LOST", "LONGEST GAP", "TCP"});
    int failures = 0;
    for (const auto& vm : source->list_domains()) {
        const ops::MigrateOptions options =
            ops::options_between(vm.name, from, to, vm.state == DomainState::ShutOff);
        context.out() << fmt::format("moving '{}' ({}) to {}...\n", vm.name, state_name(vm.state), to.name);
        try {
            MigrationView view(context.err(), true);
            const auto report = ops::migrate_vm(*source, *dest, env, options,
                                                [&](const MigrationJob& job) { return view.progress(job); });
            view.finish();
            print_report(context.out(), options, report);
            const auto& net = report.network;
            summary.add_row({vm.name, from.name, to.name,
                             options.request.offline ? "moved (stopped)" : report.kept_running ? "moved, kept running" : "moved",
                             fmt::format("{:.1f} s", report.wall_seconds),
                             report.job && report.job->downtime_ms ? fmt::format("{} ms", *report.job->downtime_ms) : "-",
                             net ? fmt::format("{}/{}", net->probes.lost(), net->probes.sent) : "-",
                             net ? fmt::format("{:.0f} ms", net->probes.longest_gap_ms) : "-",
                             !net || !net->tcp_kept ? "-" : *net->tcp_kept ? "kept" : "LOST"});
        } catch (const Error& e) {
            ++failures;
            context.err() << "error: " << e.line() << std::endl;
            summary.add_row({vm.name, from.name, to.name, "FAILED: stays on " + from.name, "-", "-", "-", "-", "-"});
        }
    }
    context.out() << '\n';
    summary.print(context.out());
    if (failures > 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("{} VM(s) could not be moved off '{}'", failures, from.name),
                    "read the errors above; the VMs that failed are still running there");
    context.out() << fmt::format("host '{}' is empty: it can go down for maintenance\n", from.name);
    return 0;
}

}  // namespace vmctl::cli::commands
