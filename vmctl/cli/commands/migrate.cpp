#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/migration_view.h"
#include "vmctl/core/error.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/migrate.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {

int migrate(Context& context, const Args& args) {
    CommandLine cli("migrate NAME --to HOST [options]",
                    "Moves a VM to another host while it keeps running (live migration): its memory is copied\n"
                    "across while the guest runs, then it pauses for a moment and continues on the destination.\n"
                    "Ctrl-C cancels it; the VM stays where it was.");
    cli.positional("NAME", 1, "the VM (on --host, or the default host)");
    cli.add()("to", po::value<std::string>(), "the destination host (see 'vmctl hosts list')")(
        "offline", "move a stopped VM's definition only")("copy-storage", "copy the disks too (no shared storage)")(
        "max-downtime", po::value<std::uint64_t>(), "longest pause allowed at the switch-over, in ms")(
        "bandwidth", po::value<std::uint64_t>(), "cap the transfer, in MiB/s")(
        "auto-converge", "slow the guest's vCPUs if it dirties memory faster than it can be sent")(
        "postcopy", "switch to post-copy after the first pass: run on the destination, fetch pages on demand")(
        "precopy", "live pre-copy even under TCG on QEMU before 9.0, where it can lose the guest's memory\n"
                   "writes (there vmctl pauses the guest for the copy unless told this)")(
        "no-heartbeat-check", "skip checking that the guest kept running (same boot, heartbeat went on)")(
        "json", "print the report as JSON");
    cli.examples("  vmctl --host host-a migrate web --to host-b\n"
                 "  vmctl --host host-b migrate web --to host-a --max-downtime 100\n"
                 "  vmctl --host host-a migrate web --to host-b --precopy\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto to = cli.get_optional<std::string>("to");
    if (!to)
        throw Error(ErrorKind::Usage, "missing --to HOST", "see the hosts with 'vmctl hosts list'");
    if (cli.has("precopy") && cli.has("postcopy"))
        throw Error(ErrorKind::Usage, "--precopy and --postcopy exclude each other", "choose one of them");

    const auto& env = context.env();
    const host::HostEntry dest = host::find_host(env.paths.data_dir, *to);
    host::HostEntry source = host::host_by_uri(env.paths.data_dir, context.uri()).value_or(host::HostEntry{});
    source.name = context.host_name();
    source.uri = context.uri();
    ops::MigrateOptions options = ops::options_between(cli.required("NAME"), source, dest, cli.has("offline"));
    options.request.copy_storage = cli.has("copy-storage");
    options.check_heartbeat = !cli.has("no-heartbeat-check");
    options.request.auto_converge = cli.has("auto-converge");
    options.request.postcopy = cli.has("postcopy");
    options.force_precopy = cli.has("precopy");
    options.request.bandwidth_mib_s = cli.get_optional<std::uint64_t>("bandwidth");
    options.request.max_downtime_ms = cli.get_optional<std::uint64_t>("max-downtime");

    auto dest_hv = context.connect(dest.uri);
    MigrationView view(context.err(), !cli.has("json"));
    const auto report = ops::migrate_vm(context.hypervisor(), *dest_hv, env, options,
                                        [&](const MigrationJob& job) { return view.progress(job); });
    view.finish();
    if (cli.has("json"))
        context.out() << report_json(options, report).dump(2) << '\n';
    else
        print_report(context.out(), options, report);
    return 0;
}

}  // namespace vmctl::cli::commands
