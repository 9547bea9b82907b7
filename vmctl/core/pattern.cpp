#include "vmctl/core/pattern.h"

namespace vmctl {

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
