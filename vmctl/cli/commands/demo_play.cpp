#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/teach/demo.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/teach/demo_player.h"

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

namespace vmctl::cli::commands {
namespace {

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted = true; }

}  // namespace

int demo_play(Context& context, const Args& args) {
    CommandLine cli("demo play FILE [--auto] [--speed N]",
                    "Plays a demo script in front of a class: narration, commands typed out and run when you press\n"
                    "Enter, hidden set-up, and waits for a VM's console instead of fixed sleeps. Every command\n"
                    "and wait has a time limit; Ctrl-C stops the demo and runs its cleanup lines.");
    cli.positional("FILE", 1, "the demo script (see 'vmctl demo list')");
    cli.add()("auto", "do not wait for Enter (rehearsals, CI)")(
        "speed", po::value<double>()->default_value(1.0), "typing and pause speed: 2 is twice as fast, 0 instant")(
        "timeout", po::value<unsigned>()->default_value(300), "seconds any one command may take")(
        "keep-going", "go on after a command fails, and report the failures at the end");
    cli.examples("  vmctl demo play scripts/demos/01-hypervisor.demo\n"
                 "  vmctl demo play scripts/demos/06-reliability.demo --auto --speed 0\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string file = cli.required("FILE");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(ErrorKind::NotFound, fmt::format("there is no demo script '{}'", file),
                    "see the demos with 'vmctl demo list'");
    const teach::DemoScript script = teach::parse_demo(host::read_named_file(file, "demo file"), file);

    teach::DemoOptions options;
    options.auto_play = cli.has("auto");
    options.speed = cli.get<double>("speed");
    if (options.speed < 0 || options.speed > 100)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--speed {} is out of range", options.speed),
                    "choose between 0 (instant) and 100");
    options.command_timeout = std::chrono::seconds(std::max(1u, cli.get<unsigned>("timeout")));
    options.keep_going = cli.has("keep-going");
    options.directory = std::filesystem::absolute(file).parent_path().string();
    options.color = ::isatty(STDOUT_FILENO) == 1;
    if (!options.auto_play && ::isatty(STDIN_FILENO) != 1)
        throw Error(ErrorKind::Usage, "there is no terminal to wait for Enter on",
                    "add --auto to play the demo without waiting");

    auto& out = context.out();
    teach::DemoTerminal terminal;
    terminal.write = [&out](std::string_view text) { out << text << std::flush; };
    terminal.wait_for_enter = [] {
        std::string line;
        std::getline(std::cin, line);
    };
    terminal.sleep = [](std::chrono::milliseconds ms) { std::this_thread::sleep_for(ms); };
    terminal.cancelled = [] { return g_interrupted.load(); };
    terminal.serial_log = [&context](const std::string& vm) {
        std::string log;
        try {
            log = parse_domain_xml(context.hypervisor().domain_xml(vm)).serial_log;
        } catch (const Error& e) {
            // A VM on a lab host: those share vmctl's data directory, logs included.
            const std::string shared = context.env().paths.logs_dir + "/" + vm + ".serial.log";
            if (e.kind() != ErrorKind::NotFound || !std::filesystem::exists(shared))
                throw;
            log = shared;
        }
        if (log.empty())
            throw Error(ErrorKind::Unsupported, fmt::format("VM '{}' has no console log to wait on", vm),
                        "expect works with VMs made by vmctl");
        return log;
    };

    struct sigaction action {};
    action.sa_handler = on_interrupt;
    struct sigaction previous {};
    ::sigaction(SIGINT, &action, &previous);
    try {
        const teach::DemoResult result = teach::play_demo(script, options, terminal);
        ::sigaction(SIGINT, &previous, nullptr);
        context.err() << fmt::format("demo finished: {} commands in {:.0f} s\n", result.commands, result.seconds);
    } catch (...) {
        ::sigaction(SIGINT, &previous, nullptr);
        throw;
    }
    return 0;
}

}  // namespace vmctl::cli::commands
