#include "vmctl/teach/demo.h"

#include "vmctl/core/error.h"
#include "vmctl/core/pattern.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <regex>
#include <sstream>

namespace vmctl::teach {
namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& problem, const std::string& fix) {
    throw Error(ErrorKind::FileInvalid, fmt::format("{}:{}: {}", file, line, problem), fix);
}

DemoAction expect_action(const std::string& rest, const std::string& file, int line) {
    std::istringstream in(rest);
    DemoAction action;
    action.kind = DemoActionKind::Expect;
    std::string seconds;
    in >> action.vm >> seconds;
    std::getline(in, action.text);
    action.text = trim(action.text);
    const std::string usage = "write 'expect VM SECONDS PATTERN', e.g. 'expect demo-web 60 vmctl-guest: ready'";
    if (action.vm.empty() || seconds.empty() || action.text.empty())
        fail(file, line, "'expect' needs a VM, a time limit and a pattern", usage);
    if (seconds.find_first_not_of("0123456789") != std::string::npos || seconds.size() > 4 || std::stoi(seconds) < 1)
        fail(file, line, fmt::format("'{}' is not a number of seconds", seconds), usage);
    action.within = std::chrono::seconds(std::stoi(seconds));
    if (const auto problem = pattern_problem(action.text))
        fail(file, line, fmt::format("'{}' is not a usable regular expression: {}", action.text, *problem),
             kPatternFix);
    return action;
}

}  // namespace

DemoScript parse_demo(const std::string& text, const std::string& file) {
    DemoScript script;
    script.file = file;
    std::istringstream in(text);
    int number = 0;
    for (std::string raw; std::getline(in, raw);) {
        ++number;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#')
            continue;
        DemoAction action;
        action.line = number;
        auto after = [&](std::size_t n) { return trim(line.substr(n)); };
        if (line.rfind("$!", 0) == 0) {
            action.kind = DemoActionKind::RunExpectFailure;
            action.text = after(2);
        } else if (line[0] == '$') {
            action.kind = DemoActionKind::Run;
            action.text = after(1);
        } else if (line[0] == '>') {
            action.kind = DemoActionKind::Narrate;
            action.text = after(1);
            script.actions.push_back(action);
            continue;  // an empty narration line is a blank line
        } else if (line[0] == '@') {
            action.kind = DemoActionKind::Hidden;
            action.text = after(1);
        } else if (line == "pause") {
            action.kind = DemoActionKind::Pause;
            script.actions.push_back(action);
            continue;
        } else if (line.rfind("expect ", 0) == 0) {
            action = expect_action(after(7), file, number);
            action.line = number;
            script.actions.push_back(action);
            continue;
        } else if (line.rfind("cleanup ", 0) == 0) {
            action.kind = DemoActionKind::Cleanup;
            action.text = after(8);
        } else {
            const std::string word = line.substr(0, line.find(' '));
            std::string fix = "start the line with '>', '$', '$!', '@', '#', or use 'expect', 'pause', 'cleanup'";
            if (auto close = closest_match(word, {"expect", "pause", "cleanup"}))
                fix = fmt::format("did you mean '{}'? ({})", *close, fix);
            fail(file, number, fmt::format("'{}' is not a demo action", word), fix);
        }
        if (action.text.empty())
            fail(file, number, "this line has no command", "write the command after the sign, e.g. '$ vmctl list'");
        script.actions.push_back(action);
    }
    if (script.actions.empty())
        throw Error(ErrorKind::FileInvalid, fmt::format("{}: the demo is empty", file),
                    "write at least one '>' narration or '$' command line");
    return script;
}

}  // namespace vmctl::teach
