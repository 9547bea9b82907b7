#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// The edit distance (insertions, deletions, substitutions) between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo
// (distance at most a third of the word, at least 1); nothing otherwise.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vmctl
