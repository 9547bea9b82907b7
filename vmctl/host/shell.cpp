#include "vmctl/host/shell.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

extern "C" char** environ;

namespace vmctl::host {
namespace {

// This process's environment with `overrides` set, as "KEY=VALUE" strings:
// made before fork, since a child of a process with threads may call only
// async-signal-safe functions (setenv may deadlock on a lock another thread held).
std::vector<std::string> environment_with(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> entries;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        if (overrides.count(std::string(text.substr(0, text.find('=')))) == 0)
            entries.emplace_back(text);
    }
    for (const auto& [key, value] : overrides)
        entries.push_back(key + "=" + value);
    return entries;
}

}  // namespace

ShellResult run_shell(const std::string& script, const ShellOptions& options) {
    const std::vector<std::string> env_entries = environment_with(options.env);
    std::vector<char*> envp;
    for (const auto& entry : env_entries)
        envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    const char* argv[] = {"sh", "-c", script.c_str(), nullptr};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error(ErrorKind::OperationFailed, "could not create a pipe for a shell", "check the open file limit");
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw Error(ErrorKind::OperationFailed, "could not start /bin/sh", "check the process limit");
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, STDIN_FILENO);
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        if (!options.directory.empty() && ::chdir(options.directory.c_str()) != 0)
            ::_exit(126);
        ::execve("/bin/sh", const_cast<char* const*>(argv), envp.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here, so the group exists before any kill
    ::close(fds[1]);

    ShellResult result;
    int status = 0;
    bool exited = false;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::array<char, 4096> buffer{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                                std::chrono::steady_clock::now());
        if (left.count() <= 0 || (options.cancelled && options.cancelled())) {
            (left.count() <= 0 ? result.timed_out : result.cancelled) = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        pollfd pfd{fds[0], POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready == 0) {
            // A daemon the script started may hold the pipe open after the
            // script itself ended: the script's exit ends the wait.
            if (!exited && ::waitpid(pid, &status, WNOHANG) == pid)
                exited = true;
            else if (exited)
                break;
            continue;
        }
        if (ready < 0)
            continue;
        const ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;  // every writer closed the pipe: the script is done
        const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
        result.output.append(chunk);
        if (options.on_output)
            options.on_output(chunk);
    }
    ::close(fds[0]);
    while (!exited && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = 128 + WTERMSIG(status);
    return result;
}

std::string own_binary_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string{} : exe.parent_path().string();
}

std::string path_with_own_binary() {
    const char* path = std::getenv("PATH");
    return own_binary_dir() + ":" + (path != nullptr && *path != '\0' ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
}

std::string shell_quote(const std::string& word) {
    std::string quoted = "'";
    for (char c : word)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace vmctl::host
