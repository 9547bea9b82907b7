#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"
#include "vmctl/ops/deploy.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int teardown_deployment(Context& context, const std::string& file, bool yes, bool pets) {
    const Deployment deployment = load_deployment(file);
    auto& hv = context.hypervisor();
    const auto vms = ops::deployment_vms(hv, deployment.name);
    if (vms.empty()) {
        context.out() << fmt::format("deployment '{}' has no VMs: nothing to tear down\n", deployment.name);
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
    return report_outcomes(report, fmt::format("vmctl teardown -f {} --yes", file), context.out(), context.err());
}

int teardown(Context& context, const Args& args) {
    CommandLine cli("teardown -f FILE [--yes] [--pets]",
                    "Deletes every VM the deployment in FILE manages (label deployment=NAME) and their disks,\n"
                    "after listing them and asking: the opposite of 'vmctl apply -f FILE'. Protected pets are\n"
                    "kept unless --pets. VMs the deployment does not manage are never touched.");
    cli.add()("file,f", po::value<std::string>(), "the deployment file")("yes", "do not ask")(
        "pets", "delete protected pets too");
    cli.examples("  vmctl teardown -f shop.yaml\n  vmctl teardown -f shop.yaml --yes --pets\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto file = cli.get_optional<std::string>("file");
    if (!file)
        throw Error(ErrorKind::Usage, "teardown needs the deployment file", "e.g. vmctl teardown -f shop.yaml");
    return teardown_deployment(context, *file, cli.has("yes"), cli.has("pets"));
}

}  // namespace vmctl::cli::commands
