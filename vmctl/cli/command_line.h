#pragma once

#include "vmctl/cli/command.h"

#include <boost/program_options.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace vmctl::cli {

namespace po = boost::program_options;

// Splits argv at the first "--": vmctl's own arguments, and the command to
// run elsewhere (in the guest), whose options are not vmctl's.
struct SplitArgs {
    Args own;
    Args command;
};
SplitArgs split_at_double_dash(const Args& args);

// Boost.Program_options set up the same way for every subcommand: --help,
// positional arguments, and errors that become Error(Usage) with a
// suggestion. A subcommand declares its options, calls parse(), then reads
// the values.
class CommandLine {
public:
    // `usage` is the synopsis after "vmctl", e.g. "create NAME [options]".
    CommandLine(std::string usage, std::string summary);

    po::options_description_easy_init add() { return m_options.add_options(); }

    // Declares a positional argument; -1 count means "all the rest".
    void positional(const char* name, int count, std::string description);

    // Extra text shown after the options in --help (examples).
    void examples(std::string text) { m_examples = std::move(text); }

    // Parses; prints help and returns false when --help was asked for.
    bool parse(const Args& args, std::ostream& out);

    bool has(const char* name) const { return m_values.count(name) != 0; }

    template <typename T>
    T get(const char* name) const {
        return m_values[name].as<T>();
    }

    template <typename T>
    std::optional<T> get_optional(const char* name) const {
        if (!has(name))
            return std::nullopt;
        return m_values[name].as<T>();
    }

    // A positional argument that must be present; Error(Usage) naming it otherwise.
    std::string required(const char* name) const;
    // A positional argument that may be left out.
    std::optional<std::string> optional(const char* name) const;

    void print_help(std::ostream& out) const;

private:
    std::string m_usage;
    std::string m_summary;
    std::string m_examples;
    po::options_description m_options;
    po::positional_options_description m_positional;
    std::vector<std::pair<std::string, std::string>> m_positional_help;
    po::variables_map m_values;
};

}  // namespace vmctl::cli
