#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/help_text.h"
#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int help(Context& context, const Args& args) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        print_help(context.out());
        return 0;
    }
    const Command* command = find_command(args.front());
    if (command == nullptr)
        throw unknown_command(args.front());
    if (command->run == help) {
        print_help(context.out());
        return 0;
    }
    return command->run(context, {"--help"});
}

}  // namespace vmctl::cli::commands
