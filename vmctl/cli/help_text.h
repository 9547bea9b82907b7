#pragma once

#include <ostream>

namespace vmctl::cli {

// `vmctl help`: the command table, the global options and where to start.
void print_help(std::ostream& out);

}  // namespace vmctl::cli
