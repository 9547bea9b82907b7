#pragma once

#include "vmctl/cli/context.h"
#include "vmctl/core/error.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl::cli {

using Args = std::vector<std::string>;

// One row of the command table. `run` parses its own arguments and returns
// the exit code; errors are thrown as vmctl::Error and reported by run_cli.
struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(Context& context, const Args& args);
};

// Every subcommand, in the order `vmctl help` lists them.
std::span<const Command> command_table();

// The table row for `name`, or nullptr.
const Command* find_command(std::string_view name);

// The error for a command that is not in the table, with a "did you mean".
Error unknown_command(std::string_view name);

// Runs vmctl with argv (without the program name): global options, dispatch,
// and the one place where errors become a message and an exit code.
int run_cli(const Args& argv, std::ostream& out, std::ostream& err, const HypervisorFactory& factory);

}  // namespace vmctl::cli
