#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/cli/table.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_list(Context& context, const Args& args) {
    CommandLine cli("lab list [--steps]", "Lists the labs with your progress, and the steps of the lab you are in.");
    cli.add()("steps", "show the steps of every lab, not only of the active one");
    cli.examples("  vmctl lab list\n  vmctl lab list --steps\n");
    if (!cli.parse(args, context.out()))
        return 0;
    LabSession session(context);
    const teach::LabState state = teach::load_lab_state(session.world().state_path);
    auto& out = context.out();
    Table table({"", "LAB", "TITLE", "MINUTES", "PROGRESS", "SLIDES"});
    for (const auto& l : session.labs()) {
        const auto p = state.labs.find(l.id);
        std::string progress = "not started";
        if (p != state.labs.end())
            progress = !p->second.finished_at.empty() ? "done"
                                                      : fmt::format("step {}/{}", p->second.step + 1, l.steps.size());
        table.add_row({state.active == l.id ? ">" : "", l.id, l.title, std::to_string(l.minutes), progress, l.slides});
    }
    table.print(out);
    for (const auto& l : session.labs()) {
        if (!cli.has("steps") && state.active != l.id)
            continue;
        const auto p = state.labs.find(l.id);
        const std::size_t at = p == state.labs.end() ? 0 : p->second.step;
        const bool started = p != state.labs.end();
        out << fmt::format("\n{}: {}\n", l.id, l.title);
        for (std::size_t i = 0; i < l.steps.size(); ++i) {
            const char* mark = started && i < at ? "✓" : (started && i == at ? "▶" : "·");
            out << fmt::format("  {} {}. {}\n", mark, i + 1, l.steps[i].title);
        }
    }
    if (state.active.empty())
        out << "\nStart with: vmctl lab start " << (session.labs().empty() ? "ID" : session.labs().front().id) << '\n';
    return 0;
}

}  // namespace vmctl::cli::commands
