#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"
#include "vmctl/ops/lifecycle.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int destroy(Context& context, const Args& args) {
    CommandLine cli("destroy NAME",
                    "Pulls the plug: the VM stops at once, as a server does when its power cord is pulled.\n"
                    "Nothing is deleted: the VM and its disk stay, and 'vmctl start NAME' boots it again.\n"
                    "(To delete a deployment's VMs: 'vmctl teardown -f FILE'.)");
    cli.positional("NAME", 1, "the VM");
    // The old spelling of teardown, kept working: it deletes, where destroy NAME keeps everything.
    cli.add()("file,f", po::value<std::string>(), "old spelling of 'vmctl teardown -f FILE'")(
        "yes", "with -f: do not ask")("pets", "with -f: delete protected pets too");
    cli.examples("  vmctl destroy hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    if (auto file = cli.get_optional<std::string>("file")) {
        if (cli.has("NAME"))
            throw Error(ErrorKind::Usage, "give a VM name or -f FILE, not both", "e.g. vmctl teardown -f shop.yaml");
        context.err() << "note: 'vmctl destroy -f FILE' is now 'vmctl teardown -f FILE': destroy NAME pulls one "
                         "VM's plug and keeps everything, teardown deletes a deployment's VMs\n";
        return teardown_deployment(context, *file, cli.has("yes"), cli.has("pets"));
    }
    if (cli.has("yes") || cli.has("pets"))
        throw Error(ErrorKind::Usage, "--yes and --pets go with 'vmctl teardown -f FILE'",
                    "e.g. vmctl teardown -f shop.yaml --yes");
    const std::string name = cli.required("NAME");
    const auto result = ops::destroy_vm(context.hypervisor(), context.env(), name);
    if (result.already_stopped) {
        context.out() << fmt::format("VM '{}' is already stopped\n", name);
    } else {
        context.out() << fmt::format("VM '{}' was powered off (its disk is kept)\n", name);
    }
    return 0;
}

}  // namespace vmctl::cli::commands
