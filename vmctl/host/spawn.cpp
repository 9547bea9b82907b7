#include "vmctl/host/spawn.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace vmctl::host {
namespace {

// Restores a signal's disposition when it goes out of scope.
class IgnoredSignal {
public:
    explicit IgnoredSignal(int signal) : m_signal(signal) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        ::sigaction(m_signal, &ignore, &m_saved);
    }
    ~IgnoredSignal() { ::sigaction(m_signal, &m_saved, nullptr); }
    IgnoredSignal(const IgnoredSignal&) = delete;
    IgnoredSignal& operator=(const IgnoredSignal&) = delete;

private:
    int m_signal;
    struct sigaction m_saved {};
};

struct FileActions {
    posix_spawn_file_actions_t actions{};
    FileActions() { posix_spawn_file_actions_init(&actions); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
};

struct SpawnAttributes {
    posix_spawnattr_t attributes{};
    SpawnAttributes() { posix_spawnattr_init(&attributes); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

}  // namespace

int run_program(const std::vector<std::string>& argv, Stdio stdio) {
    if (argv.empty())
        throw Error(ErrorKind::Internal, "run_program called without a program");
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    FileActions files;
    if (stdio == Stdio::Quiet) {
        posix_spawn_file_actions_addopen(&files.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&files.actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&files.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    // The child starts with the default SIGINT/SIGQUIT handling, whatever
    // vmctl does with them meanwhile.
    SpawnAttributes attributes;
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes.attributes, &defaults);
    posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETSIGDEF);

    const IgnoredSignal no_interrupt(SIGINT);
    const IgnoredSignal no_quit(SIGQUIT);
    pid_t pid = 0;
    const int failed = ::posix_spawnp(&pid, args[0], &files.actions, &attributes.attributes, args.data(), environ);
    if (failed != 0)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("could not run {}: {}", argv[0], std::strerror(failed)),
                    fmt::format("install it (it is in Debian's packages) and try again"));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw Error(ErrorKind::OperationFailed, fmt::format("lost track of {}", argv[0]));
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

}  // namespace vmctl::host
