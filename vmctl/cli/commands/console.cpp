#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <termios.h>
#include <unistd.h>

#include <ostream>

namespace vmctl::cli::commands {
namespace {

// Puts the terminal in raw mode for the session and restores it after, even
// when the console fails.
class RawTerminal {
public:
    explicit RawTerminal(int fd) : m_fd(fd) {
        m_active = ::isatty(fd) == 1 && ::tcgetattr(fd, &m_saved) == 0;
        if (m_active) {
            termios raw = m_saved;
            ::cfmakeraw(&raw);
            ::tcsetattr(fd, TCSAFLUSH, &raw);
        }
    }
    ~RawTerminal() {
        if (m_active)
            ::tcsetattr(m_fd, TCSAFLUSH, &m_saved);
    }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

private:
    int m_fd;
    bool m_active = false;
    termios m_saved{};
};

}  // namespace

int console(Context& context, const Args& args) {
    CommandLine cli("console NAME", "Attaches your terminal to the VM's serial console (a root shell in the tiny "
                                    "image).\nPress Ctrl-] to leave; the VM keeps running.");
    cli.positional("NAME", 1, "the VM");
    cli.examples("  vmctl console hello\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    auto& hv = context.hypervisor();
    context.err() << fmt::format("Connected to the console of '{}'. Press Ctrl-] to leave.", name) << std::endl;
    {
        RawTerminal raw(STDIN_FILENO);
        hv.attach_console(name, STDIN_FILENO, STDOUT_FILENO, 0x1d);
    }
    // The guest may have powered itself off from the console (poweroff), or
    // someone deleted it meanwhile.
    DomainState state = DomainState::Other;
    try {
        state = hv.domain_state(name);
    } catch (const Error&) {
        context.err() << fmt::format("\nThe console closed: '{}' is gone.", name) << std::endl;
        return 0;
    }
    if (state == DomainState::Running)
        context.err() << "\nLeft the console; the VM keeps running." << std::endl;
    else
        context.err() << fmt::format("\nThe console closed: '{}' is {} now; 'vmctl start {}' starts it again.", name,
                                     state_name(state), name)
                      << std::endl;
    return 0;
}

}  // namespace vmctl::cli::commands
