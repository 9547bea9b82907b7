#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace vmctl::cli::commands {
namespace {

std::string summary(const teach::StepCheck& check) {
    std::string text;
    for (const auto& r : check.results)
        text += (r.passed ? "+" : "-") + r.what + r.reason + "\n";
    return text;
}

}  // namespace

int lab_watch(Context& context, const Args& args) {
    CommandLine cli("lab watch [--timeout S]",
                    "Checks the current step whenever one of your VMs changes (libvirt events), and at least every\n"
                    "few seconds, printing the ✓/✗ lines when they change. Moves on by itself when a step passes.\n"
                    "Leave it running in a second terminal while you work; Ctrl-C stops it.");
    cli.add()("timeout", po::value<unsigned>(), "stop after this many seconds (for scripts)")(
        "interval", po::value<unsigned>()->default_value(5), "seconds between checks when nothing happens");
    cli.examples("  vmctl lab watch\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto interval = std::chrono::seconds(std::max(1u, cli.get<unsigned>("interval")));
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (auto timeout = cli.get_optional<unsigned>("timeout"))
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*timeout);

    LabSession session(context);
    const teach::Lab& lab = session.lab("");
    auto& out = context.out();
    out << fmt::format("Watching lab {}; every change to your VMs is checked. Ctrl-C stops.\n\n", lab.id);
    print_step(out, lab, teach::active_lab(session.world(), session.labs()).progress.step);
    std::string last;
    for (;;) {
        const teach::StepCheck check = teach::check_step(session.world(), lab, true);
        if (check.passed && check.results.empty())
            return 0;  // already finished
        const std::string now = summary(check);
        if (check.passed || now != last) {
            out << fmt::format("\nStep {}:\n", check.step + 1);
            print_results(out, check.results);
            out << std::flush;
            last = now;
        }
        if (check.passed) {
            print_progress_after(out, lab, check);
            out << std::flush;
            if (check.finished)
                return 0;
            last.clear();
            continue;
        }
        if (deadline && std::chrono::steady_clock::now() >= *deadline)
            throw Error(ErrorKind::CheckFailed, fmt::format("step {} is not done yet", check.step + 1),
                        "the watch timed out; fix the ✗ lines above");
        if (context.hypervisor().wait_for_event(interval))
            std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let a burst of events settle
    }
}

}  // namespace vmctl::cli::commands
