#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int demo(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 2> kVerbs{{
        {"play", "play a demo script: narration, typed commands, console waits", demo_play},
        {"list", "the demo scripts that come with vmctl, one per slide section", demo_list},
    }};
    return run_group(context, args, "demo",
                     "Instructor demos: plain-text scripts played in front of a class, that never hang\n"
                     "(every command and every wait has a time limit) and always clean up.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
