#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include "vmctl/host/serial_log.h"

namespace vmctl::cli::commands {

int logs(Context& context, const Args& args) {
    CommandLine cli("logs NAME [-f]",
                    "Prints the VM's serial console log: kernel messages, the ready line, the heartbeat.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("follow,f", "keep printing new lines as they come (Ctrl-C stops)");
    cli.examples("  vmctl logs hello\n  vmctl logs hello -f\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const DomainFacts facts = parse_domain_xml(context.hypervisor().domain_xml(name));
    if (facts.serial_log.empty())
        throw Error(ErrorKind::Unsupported, fmt::format("VM '{}' does not log its serial console", name),
                    fmt::format("attach to it instead with 'vmctl console {}'", name));
    host::copy_log(facts.serial_log, context.out(), cli.has("follow"), {});
    return 0;
}

}  // namespace vmctl::cli::commands
