#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/deployment_view.h"

namespace vmctl::cli::commands {

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
    const std::string file = deployment_file_option(cli.get_optional<std::string>("file"), "teardown");
    return teardown_deployment(context, file, cli.has("yes"), cli.has("pets"));
}

}  // namespace vmctl::cli::commands
