#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/host/files.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int hosts_fail(Context& context, const Args& args) {
    CommandLine cli("hosts fail NAME",
                    "Pulls the plug of a simulated host, as a dead power supply would: its VMs and its daemon are\n"
                    "killed at once, nothing is shut down or saved, no VM can move away any more. Its files stay.\n"
                    "'vmctl hosts up --name NAME' repairs it; 'vmctl hosts down NAME' retires it.");
    cli.positional("NAME", 1, "a simulated host in 'vmctl hosts list'");
    cli.examples("  sudo vmctl hosts fail alice-host\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    // A student given sudo for the labs may kill their own host, never one
    // that runs a classmate's VMs; root itself may kill any.
    const host::InvokingUser user = host::invoking_user();
    const Labels owner = user.via_sudo && user.uid != 0 ? Labels{{teach::kStudentLabelKey, teach::student_name()}}
                                                         : Labels{};
    const auto lost = ops::hosts_fail(context.env(), name, owner,
                                      [&](const std::string& uri) { return context.connect(uri); },
                                      context.progress());
    context.out() << fmt::format("{} failed", name);
    if (lost.empty())
        context.out() << ": no VM was running on it\n";
    else
        context.out() << fmt::format(": its VMs stopped dead with it: {}\n", fmt::join(lost, ", "));
    context.out() << fmt::format("repair it with 'vmctl hosts up --name {}', or retire it with 'vmctl hosts down {}'\n",
                                 name, name);
    return 0;
}

}  // namespace vmctl::cli::commands
