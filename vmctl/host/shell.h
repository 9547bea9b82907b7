#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vmctl::host {

struct ShellOptions {
    std::string directory;                       // working directory; empty: the current one
    std::map<std::string, std::string> env;      // added to (or replacing in) the environment
    std::chrono::seconds timeout{300};           // then the whole process group is killed
    // Called with output as it comes (stdout and stderr together); when not
    // set, output is only collected.
    std::function<void(std::string_view)> on_output;
    // Asked about five times a second; true kills the script's process group
    // (Ctrl-C in a demo).
    std::function<bool()> cancelled;
};

struct ShellResult {
    int exit_code = 0;  // the shell's exit status; 128+N when killed by signal N
    bool timed_out = false;
    bool cancelled = false;
    std::string output;  // stdout and stderr together
};

// Runs `script` with /bin/sh -c in a process group of its own, stdin from
// /dev/null so that it can never wait for a keyboard, and kills that group
// (by its id, nothing else) when `timeout` passes. Throws
// Error(OperationFailed) only when the shell cannot be started.
ShellResult run_shell(const std::string& script, const ShellOptions& options);

// `word` in single quotes for /bin/sh, for a script that names a path.
std::string shell_quote(const std::string& word);

// The directory holding the running vmctl binary, so that lab solutions and
// demos that say `vmctl` run this same build.
std::string own_binary_dir();

// $PATH with own_binary_dir() in front.
std::string path_with_own_binary();

}  // namespace vmctl::host
