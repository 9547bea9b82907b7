#include "vmctl/core/suggest.h"

#include <algorithm>
#include <numeric>

namespace vmctl {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        // A prefix ("cre" for "create") is a likely abbreviation too.
        const bool prefix = word.size() >= 2 && candidate.rfind(word, 0) == 0;
        const std::size_t score = prefix ? 1 : distance;
        if (score < best_distance) {
            best_distance = score;
            best = candidate;
        }
    }
    return best;
}

}  // namespace vmctl
