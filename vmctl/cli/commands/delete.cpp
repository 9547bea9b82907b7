#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {
namespace {

void report(Context& context, const std::string& name, const ops::DeleteResult& result) {
    auto& out = context.out();
    out << fmt::format("VM '{}' deleted{}", name, result.was_running ? " (it was running and was stopped)" : "");
    out << fmt::format("; removed {} volume(s)\n", result.removed_volumes.size());
    for (const auto& disk : result.kept_disks)
        out << fmt::format("kept {}: it is not a vmctl volume\n", disk);
}

// A herd, by label: lists what goes, asks, and deletes all but pets.
int delete_by_label(Context& context, const std::string& selector, bool yes) {
    const auto [key, value] = parse_label(selector);
    auto& hv = context.hypervisor();
    const auto selected = ops::select_by_label(hv, key, value);
    if (selected.empty()) {
        context.out() << fmt::format("no VM has the label {}={}\n", key, value);
        return 0;
    }
    std::vector<std::string> doomed;
    for (const auto& vm : selected) {
        if (ops::is_pet(vm.metadata)) {
            context.out() << fmt::format("keeping '{}': it is a protected pet\n", vm.name);
            continue;
        }
        context.out() << fmt::format("will delete '{}' ({})\n", vm.name, state_name(vm.state));
        doomed.push_back(vm.name);
    }
    if (doomed.empty())
        return 0;
    if (!yes && !context.confirm(fmt::format("Delete these {} VM(s) and their disks?", doomed.size()), "--yes")) {
        context.out() << "nothing deleted\n";
        return 0;
    }
    for (const auto& name : doomed) {
        report(context, name, ops::delete_vm(hv, context.env(), name, true));
    }
    return 0;
}

}  // namespace

int remove(Context& context, const Args& args) {
    CommandLine cli("delete NAME [--force] | delete --label KEY=VALUE [--yes]",
                    "Removes a VM and the disk volumes vmctl made for it. A running VM needs --force.\n"
                    "With --label, removes every VM with that label (a herd), after listing them and asking;\n"
                    "protected pets are always kept.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("force", "stop the VM first if it is running")(
        "label", po::value<std::string>(), "delete every VM with this KEY=VALUE label")(
        "yes", "with --label: do not ask");
    cli.examples("  vmctl delete hello\n  vmctl delete hello --force\n  vmctl delete --label group=web\n");
    if (!cli.parse(args, context.out()))
        return 0;
    if (auto selector = cli.get_optional<std::string>("label")) {
        if (cli.has("NAME"))
            throw Error(ErrorKind::Usage, "give a VM name or --label, not both", "e.g. vmctl delete --label group=web");
        return delete_by_label(context, *selector, cli.has("yes"));
    }
    const std::string name = cli.required("NAME");
    report(context, name, ops::delete_vm(context.hypervisor(), context.env(), name, cli.has("force")));
    return 0;
}

}  // namespace vmctl::cli::commands
