#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_test(Context& context, const Args& args) {
    CommandLine cli("lab test [ID|--all] [--quiet]",
                    "For course maintainers: runs a lab's setup, proves every step unsolved before its solution\n"
                    "and solved after it, cleans up, and checks that nothing labelled is left. Your own progress\n"
                    "is not touched (the test keeps its own).");
    cli.positional("ID", 1, "the lab to test");
    cli.add()("all", "test every lab")("quiet,q", "hide the output of the lab's scripts");
    cli.examples("  vmctl lab test 01\n  vmctl lab test --all\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto id = cli.optional("ID");
    if (id.has_value() == cli.has("all"))
        throw Error(ErrorKind::Usage, "name one lab or give --all", "e.g. 'vmctl lab test 01' or 'vmctl lab test --all'");
    LabSession session(context);
    std::vector<const teach::Lab*> labs;
    if (id)
        labs.push_back(&session.lab(*id));
    else
        for (const auto& l : session.labs())
            labs.push_back(&l);
    if (cli.has("quiet"))
        session.world().script_output = nullptr;
    auto& out = context.out();
    auto progress = [&out](std::string_view line) { out << line << '\n' << std::flush; };
    std::vector<teach::LabTestReport> reports;
    for (const teach::Lab* l : labs)
        reports.push_back(teach::test_lab(session.world(), *l, progress));
    out << '\n';
    Table table({"LAB", "RESULT", "SECONDS", "PROBLEM"});
    std::size_t failed = 0;
    for (const auto& r : reports) {
        failed += r.passed ? 0 : 1;
        table.add_row({r.lab_id, r.passed ? "pass" : "FAIL", fmt::format("{:.0f}", r.seconds),
                       r.problems.empty() ? "" : r.problems.front()});
    }
    table.print(out);
    if (failed > 0)
        throw Error(ErrorKind::CheckFailed, fmt::format("{} of {} labs failed their test", failed, reports.size()),
                    "read the ✗ lines above; run one lab with 'vmctl lab test ID' to see its scripts' output");
    return 0;
}

}  // namespace vmctl::cli::commands
