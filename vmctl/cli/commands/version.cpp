#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"

#ifndef VMCTL_VERSION
#define VMCTL_VERSION "0.0.0"
#endif

namespace vmctl::cli::commands {

int version(Context& context, const Args& args) {
    CommandLine cli("version", "Shows vmctl's version.");
    if (!cli.parse(args, context.out()))
        return 0;
    context.out() << "vmctl " << VMCTL_VERSION << '\n';
    return 0;
}

}  // namespace vmctl::cli::commands
