#include "vmctl/core/guest_protocol.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace vmctl {
namespace {

// Splits "k=v k=v" after a fixed prefix into a map.
std::optional<std::map<std::string, std::string, std::less<>>> fields_after(std::string_view line,
                                                                           std::string_view prefix) {
    if (line.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    line.remove_prefix(prefix.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
        line.remove_suffix(1);
    std::map<std::string, std::string, std::less<>> fields;
    while (!line.empty()) {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\r'))
            line.remove_prefix(1);
        const auto end = std::min(line.find(' '), line.size());
        std::string_view word = line.substr(0, end);
        line.remove_prefix(end);
        const auto eq = word.find('=');
        if (eq != std::string_view::npos)
            fields.emplace(std::string(word.substr(0, eq)), std::string(word.substr(eq + 1)));
    }
    return fields;
}

template <typename T>
bool to_number(const std::string& text, T& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::optional<ReadyLine> parse_ready_line(std::string_view line) {
    auto fields = fields_after(line, kReadyPrefix);
    if (!fields || !fields->count("boot"))
        return std::nullopt;
    ReadyLine ready;
    ready.boot_id = (*fields)["boot"];
    ready.kernel = (*fields)["kernel"];
    if (!to_number((*fields)["cpus"], ready.cpus) || !to_number((*fields)["mem_kb"], ready.mem_kb))
        return std::nullopt;
    return ready;
}

std::optional<Heartbeat> parse_heartbeat(std::string_view line) {
    // The heartbeat shares the console with the shell, so it may follow a prompt.
    const auto at = line.find("HB boot=");
    if (at == std::string_view::npos)
        return std::nullopt;
    auto fields = fields_after(line.substr(at), "HB");
    if (!fields || !fields->count("boot") || !fields->count("seq"))
        return std::nullopt;
    Heartbeat beat;
    beat.boot_id = (*fields)["boot"];
    if (!to_number((*fields)["seq"], beat.seq))
        return std::nullopt;
    return beat;
}

std::string drop_cursor_queries(std::string_view chunk, std::string& carry) {
    static constexpr std::string_view kQuery = "\x1b[6n";
    std::string text = carry;
    text.append(chunk);
    carry.clear();
    for (auto at = text.find(kQuery); at != std::string::npos; at = text.find(kQuery, at))
        text.erase(at, kQuery.size());
    for (std::size_t n = std::min(kQuery.size() - 1, text.size()); n > 0; --n)
        if (std::string_view(text).substr(text.size() - n) == kQuery.substr(0, n)) {
            carry = text.substr(text.size() - n);
            text.resize(text.size() - n);
            break;
        }
    return text;
}

}  // namespace vmctl
