#pragma once

#include <string>
#include <vector>

namespace vmctl::host {

// How the program's standard streams are connected.
enum class Stdio {
    Inherit,  // the terminal vmctl runs in: an interactive `ssh`
    Quiet,    // stdin, stdout and stderr from/to /dev/null
};

// Runs argv[0] (searched on $PATH) with exactly these arguments, no shell in
// between, and waits for it. Returns its exit status, or 128+N when signal N
// ended it. While it runs, vmctl ignores SIGINT and SIGQUIT so that Ctrl-C
// goes to the program (it shares the terminal's process group). Throws
// Error(OperationFailed) when the program cannot be started.
int run_program(const std::vector<std::string>& argv, Stdio stdio);

}  // namespace vmctl::host
