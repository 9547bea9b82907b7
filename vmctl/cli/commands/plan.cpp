#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"
#include "vmctl/ops/deploy.h"

namespace vmctl::cli::commands {

int plan(Context& context, const Args& args) {
    CommandLine cli("plan -f FILE",
                    "Compares a deployment file with the VMs that exist and says what 'vmctl apply' would\n"
                    "create, change (live or at the next restart), re-create and remove. Changes nothing.");
    cli.add()("file,f", po::value<std::string>(), "the deployment file (YAML)");
    cli.examples("  vmctl plan -f shop.yaml\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string file = deployment_file_option(cli.get_optional<std::string>("file"), "plan");
    const Deployment deployment = load_deployment(file);
    context.out() << format_plan(ops::plan_on(context.hypervisor(), deployment));
    return 0;
}

}  // namespace vmctl::cli::commands
