#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/exec.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int exec(Context& context, const Args& args) {
    // Everything after "--" belongs to the guest's command, options included.
    const auto [own, command] = split_at_double_dash(args);

    CommandLine cli("exec NAME [--timeout S] -- COMMAND [ARGS...]",
                    "Runs a command inside the guest through the QEMU guest agent and returns its output and exit\n"
                    "code as vmctl's own, as if it ran here.");
    cli.positional("NAME", 1, "the VM (running)");
    cli.add()("timeout", po::value<unsigned>()->default_value(60), "seconds the command may take");
    cli.examples("  vmctl exec hello -- uname -r\n  vmctl exec hello -- sh -c 'free -m; nproc'\n");
    if (!cli.parse(own, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    if (command.empty())
        throw Error(ErrorKind::Usage, "no command to run in the guest", fmt::format("e.g. vmctl exec {} -- uname -a", name));
    ops::ExecOptions options;
    options.command = command;
    options.timeout = std::chrono::seconds(cli.get<unsigned>("timeout"));
    const ExecStatus status = ops::exec_in_guest(context.hypervisor(), name, options);
    context.out() << status.out << std::flush;
    context.err() << status.err << std::flush;
    if (status.truncated)
        context.err() << "(output truncated by the guest agent)" << std::endl;
    if (status.signal != 0)
        return 128 + status.signal;
    return status.exit_code;
}

}  // namespace vmctl::cli::commands
