#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace vmctl::cli::commands {

int snapshot_list(Context& context, const Args& args) {
    CommandLine cli("snapshot list NAME [--tree] [--json]", "Lists the VM's snapshots: name, time, state, description.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("tree", "draw parents and children, with the current snapshot marked")("json", "print JSON for scripts");
    cli.examples("  vmctl snapshot list web\n  vmctl snapshot list web --tree\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string vm = cli.required("NAME");
    auto snapshots = context.hypervisor().list_snapshots(vm);
    std::sort(snapshots.begin(), snapshots.end(),
              [](const auto& a, const auto& b) { return a.created != b.created ? a.created < b.created : a.name < b.name; });
    auto& out = context.out();
    if (cli.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& s : snapshots)
            rows.push_back({{"name", s.name},
                            {"parent", s.parent},
                            {"created", format_utc(s.created)},
                            {"state", s.state},
                            {"with_memory", s.state == "running"},
                            {"description", s.description},
                            {"current", s.current}});
        out << rows.dump(2) << '\n';
        return 0;
    }
    if (snapshots.empty()) {
        out << fmt::format("VM '{}' has no snapshots. Take one with: vmctl snapshot create {} NAME\n", vm, vm);
        return 0;
    }
    if (cli.has("tree")) {
        for (const auto& line : render_snapshot_tree(snapshots))
            out << line << '\n';
        return 0;
    }
    Table table({"NAME", "CREATED (UTC)", "STATE", "CURRENT", "DESCRIPTION"});
    for (const auto& s : snapshots)
        table.add_row({s.name, format_utc(s.created), s.state == "running" ? "running (with memory)" : "shut off",
                       s.current ? "*" : "", s.description});
    table.print(out);
    return 0;
}

}  // namespace vmctl::cli::commands
