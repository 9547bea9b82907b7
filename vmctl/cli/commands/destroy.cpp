#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"
#include "vmctl/ops/deploy.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/lifecycle.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {
namespace {

// Everything a deployment manages goes: lists it, asks, and keeps pets unless --pets.
int destroy_deployment(Context& context, const std::string& file, bool yes, bool pets) {
    const Deployment deployment = load_deployment(file);
    auto& hv = context.hypervisor();
    const auto vms = ops::deployment_vms(hv, deployment.name);
    if (vms.empty()) {
        context.out() << fmt::format("deployment '{}' has no VMs: nothing to destroy\n", deployment.name);
        return 0;
    }
    std::size_t doomed = 0;
    for (const auto& vm : vms) {
        const bool pet = ops::is_pet(vm.metadata);
        context.out() << fmt::format("{} '{}' ({}){}\n", pet && !pets ? "will keep" : "will delete", vm.name,
                                     state_name(vm.state), pet ? (pets ? ", a pet: --pets" : ": a protected pet") : "");
        doomed += !pet || pets ? 1 : 0;
    }
    if (doomed == 0) {
        context.out() << "nothing to delete: every VM left is a protected pet (add --pets to delete them too)\n";
        return 0;
    }
    if (!yes && !context.confirm(fmt::format("Delete these {} VM(s) of deployment '{}' and their disks?", doomed,
                                             deployment.name),
                                 "--yes")) {
        context.out() << "nothing deleted\n";
        return 0;
    }
    const auto report = ops::destroy_deployment(hv, context.env(), deployment.name, pets);
    return report_outcomes(report, fmt::format("vmctl destroy -f {} --yes", file), context.out(), context.err());
}

}  // namespace

int destroy(Context& context, const Args& args) {
    CommandLine cli("destroy NAME | destroy -f FILE [--yes] [--pets]",
                    "Pulls the plug: the VM stops at once, as a server does when its power cord is pulled.\n"
                    "Nothing is deleted: the VM and its disk stay, and 'vmctl start NAME' boots it again.\n"
                    "With -f FILE, deletes every VM the deployment in FILE manages (label deployment=NAME),\n"
                    "after listing them and asking; protected pets are kept unless --pets.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("file,f", po::value<std::string>(), "a deployment file: delete all its VMs")(
        "yes", "with -f: do not ask")("pets", "with -f: delete protected pets too");
    cli.examples("  vmctl destroy hello\n  vmctl destroy -f shop.yaml\n  vmctl destroy -f shop.yaml --yes --pets\n");
    if (!cli.parse(args, context.out()))
        return 0;
    if (auto file = cli.get_optional<std::string>("file")) {
        if (cli.has("NAME"))
            throw Error(ErrorKind::Usage, "give a VM name or -f FILE, not both", "e.g. vmctl destroy -f shop.yaml");
        return destroy_deployment(context, *file, cli.has("yes"), cli.has("pets"));
    }
    if (cli.has("yes") || cli.has("pets"))
        throw Error(ErrorKind::Usage, "--yes and --pets go with -f FILE", "e.g. vmctl destroy -f shop.yaml --yes");
    const std::string name = cli.required("NAME");
    const auto result = ops::destroy_vm(context.hypervisor(), name);
    if (result.already_stopped) {
        context.out() << fmt::format("VM '{}' is already stopped\n", name);
    } else {
        ops::record_usage(context.hypervisor(), context.env(), name, "stop");
        context.out() << fmt::format("VM '{}' was powered off (its disk is kept)\n", name);
    }
    return 0;
}

}  // namespace vmctl::cli::commands
