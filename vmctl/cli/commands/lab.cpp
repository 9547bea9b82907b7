#include "vmctl/cli/command_group.h"
#include "vmctl/cli/commands/commands.h"

#include <array>

namespace vmctl::cli::commands {

int lab(Context& context, const Args& args) {
    static constexpr std::array<Subcommand, 12> kVerbs{{
        {"list", "the labs, their steps and your progress", lab_list},
        {"start", "start a lab (or go on with one you began)", lab_start},
        {"show", "show what to do in the current step", lab_show},
        {"check", "check your work on the current step; moves on when it passes", lab_check},
        {"hint", "the next hint for the current step", lab_hint},
        {"watch", "check again whenever a VM changes, and move on by itself", lab_watch},
        {"answer", "answer a question of the lab: KEY=VALUE", lab_answer},
        {"reset", "remove everything the lab made and start it over", lab_reset},
        {"solve", "run the reference solution (instructors: fast-forward)", lab_solve},
        {"status", "progress in every lab (--json for an instructor to collect)", lab_status},
        {"collect", "every student's progress in one table (instructors; --html for class)", lab_collect},
        {"test", "prove labs unsolved at the start and solved by their solution", lab_test},
    }};
    return run_group(context, args, "lab",
                     "Guided labs that follow the lecture's slides and check your work on the real hypervisor.\n"
                     "Start with 'vmctl lab list', then 'vmctl lab start 01'.",
                     kVerbs);
}

}  // namespace vmctl::cli::commands
