#pragma once

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace vmctl {

// libstdc++'s std::regex recurses once per character a repetition matches:
// a lab pattern on a 100,000-character guest line overflowed the stack
// (SIGSEGV). Text is matched line by line, each line cut to this many
// characters, which keeps the recursion shallow.
inline constexpr std::size_t kMaxMatchedLine = 4096;

// Lab and demo patterns: at most this long, with repetition counts ({n,m})
// of at most kMaxRepeat, back-references \1 to \99. libstdc++'s regex
// compiler overflows a `long` on a count such as {999999999999999999} or a
// back-reference such as \3333333333333333333 (both found by fuzzing), and
// recurses once per nested group.
inline constexpr std::size_t kMaxPatternChars = 500;
inline constexpr unsigned long kMaxRepeat = 1000;

// The fix an error about a pattern suggests.
inline constexpr const char* kPatternFix =
    "escape special characters such as ( [ . * with a backslash, and keep counts such as {3} to 1000";

// Why `pattern` cannot be used as a lab or demo pattern, or nothing when it
// compiles within the limits above.
std::optional<std::string> pattern_problem(std::string_view pattern);

// Whether `pattern` matches within some line of `text` (lines cut as above).
bool search_lines(std::string_view text, const std::regex& pattern);

}  // namespace vmctl
