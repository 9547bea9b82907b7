#pragma once

#include "vmctl/teach/demo.h"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace vmctl::teach {

struct DemoOptions {
    bool auto_play = false;  // no waiting for Enter: for rehearsals and CI
    double speed = 1.0;      // typing and pause speed: 2 is twice as fast, 0 is instant
    std::chrono::seconds command_timeout{300};  // no command may hang the class
    bool keep_going = false;  // go on after a failed command instead of stopping
    std::string directory;    // where commands run (the demo file's folder)
    bool color = false;       // ANSI colours for narration and typed commands
};

// The presenter's side: where text goes, how to wait, how Ctrl-C is seen,
// and where a VM's console log is (for `expect`).
struct DemoTerminal {
    std::function<void(std::string_view)> write;
    std::function<void()> wait_for_enter;
    std::function<void(std::chrono::milliseconds)> sleep;
    std::function<bool()> cancelled;
    std::function<std::string(const std::string& vm)> serial_log;
};

struct DemoResult {
    int commands = 0;  // commands run, hidden ones included
    int failures = 0;  // with keep_going: the commands that did not do as expected
    double seconds = 0;
};

// Plays the script: narration, typed commands run after Enter (or at once in
// auto mode), hidden set-up, `expect` waits on a VM's console with a time
// limit, and the cleanup lines at the end whatever happened. Throws
// Error(OperationFailed/Timeout) naming the line that failed, after the
// cleanup ran; Ctrl-C stops it the same way.
DemoResult play_demo(const DemoScript& script, const DemoOptions& options, const DemoTerminal& terminal);

}  // namespace vmctl::teach
