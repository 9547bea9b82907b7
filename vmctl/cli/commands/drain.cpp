#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/migration_view.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/drain.h"
#include "vmctl/ops/hosts.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <exception>
#include <optional>

namespace vmctl::cli::commands {
namespace {

// Marks a host in the registry as being drained (into `to`, by this process)
// for as long as it lives, so that `vmctl dashboard` shows the host emptying.
// Best effort: a registry that cannot be written costs the picture, never
// the drain; a drain killed before it clears the mark leaves one that names a
// process gone, which counts as none (host::draining).
class DrainMark {
public:
    DrainMark(std::string data_dir, std::string host, const std::string& to)
        : m_data_dir(std::move(data_dir)), m_host(std::move(host)) {
        mark(to, ::getpid());
    }
    ~DrainMark() { mark("", 0); }
    DrainMark(const DrainMark&) = delete;
    DrainMark& operator=(const DrainMark&) = delete;

private:
    void mark(const std::string& to, int pid) noexcept {
        try {
            host::update_hosts(m_data_dir, [&](std::vector<host::HostEntry>& hosts) {
                for (auto& h : hosts)
                    if (h.name == m_host && (pid != 0 || h.draining_pid == ::getpid())) {
                        h.draining_to = to;
                        h.draining_pid = pid;
                    }
            });
        } catch (const std::exception&) {
        }
    }

    std::string m_data_dir;
    std::string m_host;
};

}  // namespace

int drain(Context& context, const Args& args) {
    CommandLine cli("drain HOST [--to HOST] [--label KEY=VALUE]...",
                    "Empties a host for maintenance: moves every VM on it, one after another (live if running,\n"
                    "its definition if stopped), to --to or to the host with the most free memory. With --label,\n"
                    "only the VMs that have those labels move: your own, on a host a class shares.");
    cli.positional("HOST", 1, "the host to empty");
    cli.add()("to", po::value<std::string>(), "the destination for all of them")(
        "label", po::value<std::vector<std::string>>(), "move only the VMs with this label (repeatable)");
    cli.examples("  vmctl drain host-a\n  vmctl drain host-a --to host-b\n"
                 "  vmctl drain host-b --to host-a --label student=alice\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const Labels only = parse_labels(cli.get_optional<std::vector<std::string>>("label").value_or(Args{}));
    const auto& env = context.env();
    const host::HostEntry from = host::find_host(env.paths.data_dir, cli.required("HOST"));
    const auto connect = [&](const std::string& uri) { return context.connect(uri); };
    const auto to_name = cli.get_optional<std::string>("to");
    const host::HostEntry to = to_name ? host::find_host(env.paths.data_dir, *to_name)
                                       : ops::choose_drain_target(ops::hosts_status(env, connect), from.name);

    auto source = connect(from.uri);
    auto dest = connect(to.uri);
    Table summary({"VM", "FROM", "TO", "RESULT", "TIME", "DOWNTIME", "PROBES LOST", "LONGEST GAP", "TCP"});
    std::optional<MigrationView> view;
    ops::DrainObserver observer;
    observer.starting = [&](const std::string& vm, DomainState state) {
        context.out() << fmt::format("moving '{}' ({}) to {}...\n", vm, state_name(state), to.name);
        view.emplace(context.err(), true);
    };
    observer.progress = [&](const MigrationJob& job) { return view->progress(job); };
    observer.finished = [&](const ops::DrainMove& move) {
        if (move.gone) {
            view->finish();
            context.out() << fmt::format("'{}' left {} before its turn (moved or deleted by someone else)\n", move.vm,
                                         from.name);
            summary.add_row({move.vm, from.name, "-", "gone before its turn", "-", "-", "-", "-", "-"});
            return;
        }
        if (move.error) {
            context.err() << "error: " << move.error->line() << std::endl;
            summary.add_row({move.vm, from.name, to.name, "FAILED: stays on " + from.name, "-", "-", "-", "-", "-"});
            return;
        }
        view->finish();
        const auto& report = *move.report;
        print_report(context.out(), move.options, report);
        const auto& net = report.network;
        summary.add_row({move.vm, from.name, to.name,
                         move.options.request.offline ? "moved (stopped)"
                         : report.kept_running        ? "moved, kept running"
                                                      : "moved",
                         fmt::format("{:.1f} s", report.wall_seconds),
                         report.job && report.job->downtime_ms ? fmt::format("{} ms", *report.job->downtime_ms) : "-",
                         net ? fmt::format("{}/{}", net->probes.lost(), net->probes.sent) : "-",
                         net ? fmt::format("{:.0f} ms", net->probes.longest_gap_ms) : "-",
                         !net || !net->tcp_kept ? "-" : *net->tcp_kept ? "kept" : "LOST"});
    };
    const auto moves = [&] {
        // Only a drain of the whole host empties it: a student's --label
        // drain on a host a class shares must not show it emptying.
        std::optional<DrainMark> mark;
        if (only.empty())
            mark.emplace(env.paths.data_dir, from.name, to.name);
        return ops::drain_host(*source, *dest, env, from, to, only, observer);
    }();
    const auto failures = std::count_if(moves.begin(), moves.end(), [](const ops::DrainMove& m) { return m.error.has_value(); });
    context.out() << '\n';
    summary.print(context.out());
    if (failures > 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("{} VM(s) could not be moved off '{}'", failures, from.name),
                    "read the errors above; the VMs that failed are still running there");
    if (only.empty()) {
        context.out() << fmt::format("host '{}' is empty: it can go down for maintenance\n", from.name);
        return 0;
    }
    std::vector<std::string> wanted;
    for (const auto& [key, value] : only)
        wanted.push_back(key + "=" + value);
    context.out() << fmt::format("{} on '{}' with {}\n", moves.empty() ? "there was no VM" : "no VM is left",
                                 from.name, fmt::join(wanted, ", "));
    return 0;
}

}  // namespace vmctl::cli::commands
