#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_hint(Context& context, const Args& args) {
    CommandLine cli("lab hint", "Shows the next hint for the current step; each call gives a little more away.");
    cli.examples("  vmctl lab hint\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::Lab& lab = session.lab("");
    auto& out = context.out();
    if (auto hint = teach::next_hint(session.world(), lab)) {
        out << fmt::format("Hint {} of {}: {}\n", hint->number, hint->of, hint->text);
        if (hint->number < hint->of)
            out << "(ask again for another one)\n";
        return 0;
    }
    out << "No more hints for this step. Read the step again with 'vmctl lab show', and compare with\n"
           "what 'vmctl lab check' says; an instructor can run 'vmctl lab solve --step N'.\n";
    return 0;
}

}  // namespace vmctl::cli::commands
