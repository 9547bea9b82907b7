#pragma once

#include <cstddef>
#include <regex>
#include <string_view>

namespace vmctl {

// libstdc++'s std::regex recurses once per character a repetition matches:
// a lab pattern on a 100,000-character guest line overflowed the stack
// (SIGSEGV). Text is matched line by line, each line cut to this many
// characters, which keeps the recursion shallow.
inline constexpr std::size_t kMaxMatchedLine = 4096;

// Whether `pattern` matches within some line of `text` (lines cut as above).
bool search_lines(std::string_view text, const std::regex& pattern);

}  // namespace vmctl
