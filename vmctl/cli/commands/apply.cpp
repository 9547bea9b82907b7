#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/ops/deploy.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int apply(Context& context, const Args& args) {
    CommandLine cli("apply -f FILE [--timeout S]",
                    "Makes the VMs match a deployment file: creates what is missing (a VM deleted by hand too),\n"
                    "changes sizes and labels in place, scales groups, and removes the VMs the deployment made\n"
                    "that the file no longer declares. Protected pets are never removed. Run it again: it does\n"
                    "only what is left, and says 'No changes' when all matches.");
    cli.add()("file,f", po::value<std::string>(), "the deployment file (YAML)")(
        "timeout", po::value<unsigned>()->default_value(180), "seconds to wait for new VMs to be ready");
    cli.examples("  vmctl apply -f shop.yaml\n  vmctl plan -f shop.yaml    # first see what it would do\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string file = deployment_file_option(cli.get_optional<std::string>("file"), "apply");
    const Deployment deployment = load_deployment(file);
    auto& hv = context.hypervisor();
    const Plan plan = ops::plan_on(hv, deployment);
    context.out() << format_plan(plan);
    if (!plan.has_changes())
        return 0;
    // Ctrl-C: no further step starts and VMs not yet ready are removed.
    const host::InterruptGuard interrupt;
    const auto report = ops::apply_plan(hv, context.env(), plan, context.progress(),
                                        std::chrono::seconds(cli.get<unsigned>("timeout")));
    context.out() << "Done:\n";
    return report_outcomes(report, fmt::format("vmctl apply -f {}", file), context.out(), context.err());
}

}  // namespace vmctl::cli::commands
