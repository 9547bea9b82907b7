#include "vmctl/cli/table.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::cli {

Table::Table(std::vector<std::string> headers) { m_rows.push_back(std::move(headers)); }

void Table::add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }

void Table::print(std::ostream& out) const {
    std::vector<std::size_t> widths;
    for (const auto& row : m_rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : m_rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i + 1 == row.size())
                line += row[i];
            else
                line += fmt::format("{:<{}}  ", row[i], widths[i]);
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    }
}

std::string format_duration(long seconds) {
    if (seconds >= 86400)
        return fmt::format("{}d {:02}h", seconds / 86400, (seconds % 86400) / 3600);
    if (seconds >= 3600)
        return fmt::format("{}h {:02}m", seconds / 3600, (seconds % 3600) / 60);
    if (seconds >= 60)
        return fmt::format("{}m {:02}s", seconds / 60, seconds % 60);
    return fmt::format("{}s", seconds);
}

}  // namespace vmctl::cli
