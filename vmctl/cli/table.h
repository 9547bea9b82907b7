#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace vmctl::cli {

// A plain text table with left-aligned columns sized to their content.
class Table {
public:
    explicit Table(std::vector<std::string> headers);
    void add_row(std::vector<std::string> cells);
    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> m_rows;
};

// "1h 02m", "3m 05s", "42s".
std::string format_duration(long seconds);

}  // namespace vmctl::cli
