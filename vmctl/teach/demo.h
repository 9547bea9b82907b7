#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace vmctl::teach {

// One line of a demo script. The format is plain text, one action per line:
//
//   # a comment                       ignored
//   > narration                       printed for the class to read
//   $ vmctl create demo-web           shown as if typed, run after Enter
//   $! vmctl delete demo-db           the same, but it is meant to fail (an error message to show)
//   @ vmctl delete demo-web --force   hidden set-up: run silently, must succeed
//   expect demo-web 60 HB boot=       wait up to 60 s for a console line of the VM matching the regex
//   pause                             wait for Enter (a moment in --auto)
//   cleanup vmctl delete demo-web --force   run at the end in written order, even after a failure or Ctrl-C
enum class DemoActionKind { Narrate, Run, RunExpectFailure, Hidden, Expect, Pause, Cleanup };

struct DemoAction {
    DemoActionKind kind = DemoActionKind::Narrate;
    std::string text;    // the narration, the command, or the expect pattern
    std::string vm;      // expect: the VM whose console is watched
    std::chrono::seconds within{0};  // expect: how long to wait
    int line = 0;        // 1-based, for messages
};

struct DemoScript {
    std::string file;
    std::vector<DemoAction> actions;
};

// Parses a demo script; a mistake is Error(FileInvalid) "FILE:LINE: ...; fix".
DemoScript parse_demo(const std::string& text, const std::string& file);

}  // namespace vmctl::teach
