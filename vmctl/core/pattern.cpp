#include "vmctl/core/pattern.h"

#include <string>

namespace vmctl {

std::optional<std::string> pattern_problem(std::string_view pattern) {
    if (pattern.size() > kMaxPatternChars)
        return "it is longer than " + std::to_string(kMaxPatternChars) + " characters";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            // An escaped character (\{), or a back-reference: \1 to \99.
            std::size_t digits = 0;
            while (i + 1 + digits < pattern.size() && pattern[i + 1 + digits] >= '0' && pattern[i + 1 + digits] <= '9')
                ++digits;
            if (digits > 2)
                return std::string("a back-reference is over \\99");
            ++i;
            continue;
        }
        if (pattern[i] != '{')
            continue;
        // Each number of a count {n}, {n,} or {n,m}.
        for (std::size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
            std::size_t digits = 0;
            unsigned long value = 0;
            for (; j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9' && digits < 8; ++j, ++digits)
                value = value * 10 + static_cast<unsigned long>(pattern[j] - '0');
            if (digits == 8 || value > kMaxRepeat)
                return "a repetition count is over " + std::to_string(kMaxRepeat);
            if (j >= pattern.size() || pattern[j] == '}')
                break;
        }
    }
    try {
        const std::regex compiled{std::string(pattern)};
    } catch (const std::regex_error& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

bool search_lines(std::string_view text, const std::regex& pattern) {
    std::size_t start = 0;
    do {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(start, std::min(end - start, kMaxMatchedLine));
        if (std::regex_search(line.begin(), line.end(), pattern))
            return true;
        start = end + 1;
    } while (start <= text.size());
    return false;
}

}  // namespace vmctl
