#include "vmctl/core/size.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace vmctl {
namespace {

struct Unit {
    std::string_view suffix;
    std::uint64_t factor;
};

// Longest suffixes first so "MiB" is not read as "M" followed by junk.
constexpr std::array<Unit, 12> kUnits{{
    {"KiB", KiB}, {"MiB", MiB}, {"GiB", GiB}, {"TiB", TiB},
    {"KB", KiB},  {"MB", MiB},  {"GB", GiB},  {"TB", TiB},
    {"K", KiB},   {"M", MiB},   {"G", GiB},   {"T", TiB},
}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

Error bad_size(std::string_view text, std::string_view what) {
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("{} '{}' is not a size", what, text),
                 "write a number with a unit, e.g. 512M, 2G or 1.5GiB");
}

}  // namespace

std::uint64_t parse_size(std::string_view text, std::string_view what) {
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
        ++end;
    std::string_view number = text.substr(0, end);
    std::string_view suffix = text.substr(end);
    while (!suffix.empty() && suffix.front() == ' ')
        suffix.remove_prefix(1);
    if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 || number.front() == '.' ||
        number.back() == '.')
        throw bad_size(text, what);
    if (suffix.empty())
        throw Error(ErrorKind::InvalidArgument, fmt::format("{} '{}' has no unit", what, text),
                    fmt::format("add one, e.g. {}M or {}G", number, number));

    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
        if (iequals(suffix, candidate.suffix)) {
            unit = &candidate;
            break;
        }
    }
    if (unit == nullptr)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("{} '{}' has an unknown unit '{}'", what, text, suffix),
                    "use K, M, G or T (binary units; KiB, MiB, GiB, TiB also work)");

    double value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size())
        throw bad_size(text, what);
    const double bytes = std::round(value * static_cast<double>(unit->factor));
    if (bytes > 1e18)
        throw Error(ErrorKind::InvalidArgument, fmt::format("{} '{}' is far too large", what, text),
                    "use a size below a few TiB");
    return static_cast<std::uint64_t>(bytes);
}

void check_size_range(std::uint64_t bytes, std::uint64_t min, std::uint64_t max, std::string_view what) {
    if (bytes < min || bytes > max)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("{} {} is out of range", what, format_size(bytes)),
                    fmt::format("choose between {} and {}", format_size(min), format_size(max)));
}

std::string format_size_arg(std::uint64_t bytes) {
    if (bytes % GiB == 0)
        return fmt::format("{}G", bytes / GiB);
    if (bytes % MiB == 0)
        return fmt::format("{}M", bytes / MiB);
    return fmt::format("{}K", (bytes + KiB - 1) / KiB);
}

std::string format_size(std::uint64_t bytes) {
    constexpr std::array<std::pair<std::uint64_t, const char*>, 4> kSteps{{
        {TiB, "TiB"}, {GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}}};
    for (auto [factor, name] : kSteps) {
        if (bytes >= factor) {
            if (bytes % factor == 0)
                return fmt::format("{} {}", bytes / factor, name);
            return fmt::format("{:.1f} {}", static_cast<double>(bytes) / static_cast<double>(factor), name);
        }
    }
    return fmt::format("{} B", bytes);
}

}  // namespace vmctl
