#include "vmctl/teach/demo_player.h"

#include "vmctl/core/error.h"
#include "vmctl/core/pattern.h"
#include "vmctl/host/serial_log.h"
#include "vmctl/host/shell.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>

namespace vmctl::teach {
namespace {

class Player {
public:
    Player(const DemoScript& script, const DemoOptions& options, const DemoTerminal& terminal)
        : m_script(script), m_options(options), m_terminal(terminal) {}

    DemoResult play() {
        const auto started = std::chrono::steady_clock::now();
        // A folder of this run's own for the files it makes ($DEMO_WORK):
        // never a fixed name another user could have made first.
        char pattern[] = "/tmp/vmctl-demo-XXXXXX";
        if (::mkdtemp(pattern) == nullptr)
            throw Error(ErrorKind::OperationFailed, "could not make a work folder for the demo under /tmp",
                        "check that /tmp is writable");
        m_work_dir = pattern;
        // Every cleanup line counts, wherever it is written: a demo stopped
        // early still removes what it may have made.
        for (const DemoAction& action : m_script.actions)
            if (action.kind == DemoActionKind::Cleanup)
                m_cleanups.push_back(&action);
        std::optional<Error> failure;
        try {
            for (const DemoAction& action : m_script.actions) {
                if (m_terminal.cancelled())
                    throw Error(ErrorKind::OperationFailed, "the demo was stopped (Ctrl-C)", "its cleanup ran");
                step(action);
            }
        } catch (const Error& e) {
            failure = e;
        }
        run_cleanups();
        std::error_code ec;
        std::filesystem::remove_all(m_work_dir, ec);
        m_result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (failure)
            throw *failure;
        if (m_result.failures > 0)
            throw Error(ErrorKind::OperationFailed,
                        fmt::format("{}: {} command(s) did not do what the demo expected", m_script.file,
                                    m_result.failures),
                        "see the ✗ lines above");
        return m_result;
    }

private:
    std::string paint(const std::string& text, const char* code) const {
        return m_options.color ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
    }

    void pace(std::chrono::milliseconds at_speed_one) const {
        if (m_options.speed <= 0)
            return;
        m_terminal.sleep(std::chrono::milliseconds(static_cast<long long>(at_speed_one.count() / m_options.speed)));
    }

    // Types the command out character by character, as a person would.
    void type(const std::string& command) const {
        m_terminal.write(paint("$ ", "1;32"));
        for (char c : command) {
            m_terminal.write(std::string_view(&c, 1));
            pace(std::chrono::milliseconds(25));
        }
        if (m_options.auto_play) {
            pace(std::chrono::milliseconds(400));
            m_terminal.write("\n");
        } else {
            m_terminal.wait_for_enter();  // the presenter's Enter also ends the line on screen
        }
    }

    host::ShellOptions shell_options() const {
        host::ShellOptions shell;
        shell.directory = m_options.directory;
        shell.timeout = m_options.command_timeout;
        shell.env["PATH"] = host::path_with_own_binary();
        shell.env["DEMO_WORK"] = m_work_dir;
        return shell;
    }

    host::ShellResult run(const std::string& command, bool show_output) {
        host::ShellOptions shell = shell_options();
        shell.cancelled = m_terminal.cancelled;
        if (show_output)
            shell.on_output = m_terminal.write;
        ++m_result.commands;
        return host::run_shell(command, shell);
    }

    // A command that did not do what the script said: stop, or note it and go on.
    void problem(const DemoAction& action, ErrorKind kind, const std::string& what) {
        const std::string message = fmt::format("{}:{}: {}", m_script.file, action.line, what);
        if (!m_options.keep_going)
            throw Error(kind, message, "fix the demo line, or the host ('vmctl doctor'), and play it again");
        m_terminal.write(paint(fmt::format("✗ {}\n", message), "1;31"));
        ++m_result.failures;
    }

    void check_ran(const DemoAction& action, const host::ShellResult& result, bool meant_to_fail) {
        if (result.cancelled)
            throw Error(ErrorKind::OperationFailed, "the demo was stopped (Ctrl-C)", "its cleanup ran");
        if (result.timed_out)
            problem(action, ErrorKind::Timeout,
                    fmt::format("'{}' took longer than {} s and was stopped", action.text,
                                m_options.command_timeout.count()));
        else if (meant_to_fail && result.exit_code == 0)
            problem(action, ErrorKind::OperationFailed, fmt::format("'{}' was meant to fail, and it worked", action.text));
        else if (!meant_to_fail && result.exit_code != 0)
            problem(action, ErrorKind::OperationFailed,
                    fmt::format("'{}' failed (exit {})", action.text, result.exit_code));
    }

    void step(const DemoAction& action) {
        switch (action.kind) {
        case DemoActionKind::Narrate:
            m_terminal.write(action.text.empty() ? "\n" : paint(action.text, "1;36") + "\n");
            pace(std::chrono::milliseconds(action.text.empty() ? 0 : 300));
            return;
        case DemoActionKind::Pause:
            if (m_options.auto_play)
                pace(std::chrono::milliseconds(1000));
            else
                m_terminal.wait_for_enter();
            return;
        case DemoActionKind::Run:
        case DemoActionKind::RunExpectFailure: {
            type(action.text);
            const auto result = run(action.text, true);
            check_ran(action, result, action.kind == DemoActionKind::RunExpectFailure);
            m_terminal.write("\n");
            return;
        }
        case DemoActionKind::Hidden: {
            const auto result = run(action.text, false);
            if (result.exit_code != 0 && !result.timed_out && !result.cancelled)
                m_terminal.write(result.output);
            check_ran(action, result, false);
            return;
        }
        case DemoActionKind::Expect: {
            m_terminal.write(paint(fmt::format("(waiting for '{}' on the console of {}...)", action.text, action.vm),
                                   "2"));
            const std::string log = m_terminal.serial_log(action.vm);
            const std::regex pattern(action.text);
            const auto line = host::wait_for_line(
                log, [&](const std::string& text) { return search_lines(text, pattern); },
                std::chrono::duration_cast<std::chrono::milliseconds>(action.within),
                [this] { return !m_terminal.cancelled(); });
            if (line) {
                m_terminal.write(fmt::format(" {}\n", *line));
                return;
            }
            m_terminal.write("\n");
            if (m_terminal.cancelled())
                throw Error(ErrorKind::OperationFailed, "the demo was stopped (Ctrl-C)", "its cleanup ran");
            problem(action, ErrorKind::Timeout,
                    fmt::format("no console line of '{}' matched '{}' within {} s", action.vm, action.text,
                                action.within.count()));
            return;
        }
        case DemoActionKind::Cleanup:
            return;  // collected before the start
        }
    }

    // Cleanup lines run in the order they are written, each once, even after a failure.
    void run_cleanups() {
        for (auto it = m_cleanups.begin(); it != m_cleanups.end(); ++it) {
            const host::ShellOptions shell = shell_options();
            // Quiet: a cleanup of something the demo never made fails harmlessly.
            host::run_shell((*it)->text, shell);
        }
    }

    const DemoScript& m_script;
    const DemoOptions& m_options;
    const DemoTerminal& m_terminal;
    DemoResult m_result;
    std::vector<const DemoAction*> m_cleanups;
    std::string m_work_dir;
};

}  // namespace

DemoResult play_demo(const DemoScript& script, const DemoOptions& options, const DemoTerminal& terminal) {
    Player player(script, options, terminal);
    return player.play();
}

}  // namespace vmctl::teach
