#include "vmctl/cli/command.h"
#include "vmctl/cli/help_text.h"
#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <ostream>

namespace vmctl::cli {
namespace {

struct GlobalOptions {
    std::string uri;
    std::string host;
    int verbosity = 0;
    bool version = false;
    Args rest;  // the command and its arguments
};

// Global options may stand anywhere before "--", so `vmctl list -v` and
// `vmctl -v list` both work.
GlobalOptions take_global_options(const Args& argv) {
    GlobalOptions global;
    bool after_separator = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (after_separator) {
            global.rest.push_back(arg);
            continue;
        }
        if (arg == "--") {
            after_separator = true;
            global.rest.push_back(arg);
        } else if (arg == "--connect" || arg == "-c") {
            if (i + 1 >= argv.size())
                throw Error(ErrorKind::Usage, "--connect needs a URI", "e.g. --connect qemu:///system");
            global.uri = argv[++i];
        } else if (arg.rfind("--connect=", 0) == 0) {
            global.uri = arg.substr(10);
        } else if (arg == "--host") {
            if (i + 1 >= argv.size())
                throw Error(ErrorKind::Usage, "--host needs a host name", "see them with 'vmctl hosts list'");
            global.host = argv[++i];
        } else if (arg.rfind("--host=", 0) == 0) {
            global.host = arg.substr(7);
        } else if (arg == "-v" || arg == "--verbose") {
            ++global.verbosity;
        } else if (arg == "-vv") {
            global.verbosity += 2;
        } else if (arg == "--version" && global.rest.empty()) {
            global.version = true;
        } else {
            global.rest.push_back(arg);
        }
    }
    return global;
}

void set_up_logging(int verbosity) {
    static auto logger = spdlog::stderr_color_mt("vmctl");
    logger->set_pattern("%^[%l]%$ %v");
    logger->set_level(verbosity >= 2 ? spdlog::level::debug
                      : verbosity == 1 ? spdlog::level::info
                                       : spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

int dispatch(const GlobalOptions& global, std::ostream& out, std::ostream& err, const HypervisorFactory& factory) {
    Context context(out, err, global.uri, global.host, factory);
    if (global.version)
        return find_command("version")->run(context, {});
    if (global.rest.empty() || global.rest.front() == "--help" || global.rest.front() == "-h") {
        print_help(out);
        return global.rest.empty() ? exit_code(ErrorKind::Usage) : 0;
    }
    const std::string& name = global.rest.front();
    const Command* command = find_command(name);
    if (command == nullptr)
        throw unknown_command(name);
    return command->run(context, Args(global.rest.begin() + 1, global.rest.end()));
}

}  // namespace

int run_cli(const Args& argv, std::ostream& out, std::ostream& err, const HypervisorFactory& factory) {
    try {
        const GlobalOptions global = take_global_options(argv);
        set_up_logging(global.verbosity);
        return dispatch(global, out, err, factory);
    } catch (const Error& e) {
        out.flush();
        err << "error: " << e.line() << std::endl;
        return exit_code(e.kind());
    } catch (const std::exception& e) {
        out.flush();
        err << "error: unexpected failure: " << e.what() << "; please report it with the command you ran"
            << std::endl;
        return exit_code(ErrorKind::Internal);
    }
}

}  // namespace vmctl::cli
