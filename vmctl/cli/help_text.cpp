#include "vmctl/cli/help_text.h"

#include "vmctl/cli/command.h"

#include <fmt/format.h>

namespace vmctl::cli {

void print_help(std::ostream& out) {
    out << "vmctl: real virtual machines on libvirt/QEMU, for learning how the cloud works.\n\n"
           "Usage: vmctl [global options] COMMAND [arguments]\n\nCommands:\n";
    for (const Command& command : command_table())
        out << fmt::format("  {:<10} {}\n", command.name, command.summary);
    out << "\nGlobal options:\n"
           "  -c, --connect URI   libvirt URI (default: VMCTL_URI, LIBVIRT_DEFAULT_URI, then\n"
           "                      qemu:///system for root, qemu:///session for other users)\n"
           "  --host NAME         a host from 'vmctl hosts list' (lab hosts, or real ones)\n"
           "  -v, --verbose       say more (-vv for debug)\n"
           "  --version           show the version\n\n"
           "Start with:  vmctl doctor   then   vmctl create hello\n"
           "Help on one command:  vmctl COMMAND --help\n";
}

}  // namespace vmctl::cli
