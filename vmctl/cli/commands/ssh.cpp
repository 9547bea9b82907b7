#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/host/spawn.h"
#include "vmctl/ops/network.h"

namespace vmctl::cli::commands {

int ssh(Context& context, const Args& args) {
    // Everything after "--" is the command to run in the guest, options included.
    const auto [own, command] = split_at_double_dash(args);

    CommandLine cli("ssh NAME [-- COMMAND [ARGS...]]",
                    "Logs in to the VM as root over SSH, at its address on the VM network, with the key pair\n"
                    "vmctl made for you (handed to each new VM, never a password). With a command, runs it and\n"
                    "exits with its exit code (255: SSH itself failed).");
    cli.positional("NAME", 1, "the VM (running, with a network interface)");
    cli.examples("  vmctl ssh web\n  vmctl ssh web -- uname -r\n  vmctl ssh web -- 'cat /www/index.html'\n");
    if (!cli.parse(own, context.out()))
        return 0;
    const ops::SshTarget target = ops::ssh_target(context.hypervisor(), context.env(), cli.required("NAME"));

    // VMs are made and thrown away under the same names and addresses, each
    // with a fresh host key: recording host keys would only ever warn.
    std::vector<std::string> argv{"ssh",
                                  "-i", target.key_path,
                                  "-o", "IdentitiesOnly=yes",
                                  "-o", "BatchMode=yes",
                                  "-o", "StrictHostKeyChecking=no",
                                  "-o", "UserKnownHostsFile=/dev/null",
                                  "-o", "LogLevel=ERROR",
                                  "-o", "ConnectTimeout=10"};
    if (!target.control_path.empty()) {
        // The first call logs in and leaves the connection open for 30 s
        // after the last one; the calls in between skip the login (a
        // key exchange costs a TCG guest 100 ms and more). A connection
        // whose VM went away ends after 10 s without an answer.
        const std::string shared[] = {"ControlMaster=auto", "ControlPath=" + target.control_path,
                                      "ControlPersist=30", "ServerAliveInterval=5", "ServerAliveCountMax=2"};
        for (const std::string& option : shared)
            argv.insert(argv.end(), {"-o", option});
    }
    argv.push_back("root@" + target.ip);
    if (!command.empty()) {
        argv.emplace_back("--");
        argv.insert(argv.end(), command.begin(), command.end());
    }
    context.out().flush();
    return host::run_program(argv, host::Stdio::Inherit);
}

}  // namespace vmctl::cli::commands
