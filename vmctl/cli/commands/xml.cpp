#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"

namespace vmctl::cli::commands {

int xml(Context& context, const Args& args) {
    CommandLine cli("xml NAME", "Prints the libvirt domain XML of a VM: what vmctl asked the hypervisor for.\n"
                                "The same as 'virsh dumpxml NAME'.");
    cli.positional("NAME", 1, "the VM");
    cli.examples("  vmctl xml hello\n  vmctl xml hello | grep -A3 '<os>'\n");
    if (!cli.parse(args, context.out()))
        return 0;
    context.out() << context.hypervisor().domain_xml(cli.required("NAME"));
    return 0;
}

}  // namespace vmctl::cli::commands
