#include "vmctl/core/names.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <cctype>

namespace vmctl {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_label_char(char c) { return is_lower_alnum(c) || c == '-' || c == '_'; }

}  // namespace

void validate_name(std::string_view what, std::string_view name) {
    const std::string rule = "use 1 to 63 lowercase letters, digits or '-', starting with a letter, e.g. web-1";
    if (name.empty())
        throw Error(ErrorKind::InvalidArgument, fmt::format("the {} name is empty", what), rule);
    if (name.size() > 63)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("the {} name '{}...' is {} characters long", what, name.substr(0, 20), name.size()),
                    rule);
    for (char c : name)
        if (c >= 'A' && c <= 'Z')
            throw Error(ErrorKind::InvalidArgument, fmt::format("the {} name '{}' has uppercase letters", what, name),
                        rule);
    if (!(name.front() >= 'a' && name.front() <= 'z'))
        throw Error(ErrorKind::InvalidArgument, fmt::format("the {} name '{}' does not start with a letter", what, name),
                    rule);
    for (char c : name) {
        if (!is_lower_alnum(c) && c != '-')
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("the {} name '{}' contains '{}', which is not allowed", what, name,
                                    std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                                 : fmt::format("\\x{:02x}", c)),
                        rule);
    }
    if (name.back() == '-')
        throw Error(ErrorKind::InvalidArgument, fmt::format("the {} name '{}' ends with '-'", what, name), rule);
}

void validate_vm_name(std::string_view name) { validate_name("VM", name); }

void validate_text(std::string_view what, std::string_view text, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++chars) {
        const auto c = static_cast<unsigned char>(text[i]);
        // The length of the UTF-8 sequence this byte starts, and the lowest
        // code point of that length (shorter forms are invalid).
        const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        char32_t code = length == 1 ? c : length == 2 ? (c & 0x1f) : length == 3 ? (c & 0x0f) : (c & 0x07);
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            valid = (next & 0xc0) == 0x80;
            code = (code << 6) | (next & 0x3f);
        }
        static constexpr char32_t kLowest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (!valid || code < kLowest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            throw Error(ErrorKind::InvalidArgument, fmt::format("the {} is not valid UTF-8 text (at byte {})", what, i + 1),
                        "type it again in a UTF-8 terminal, or use plain ASCII");
        if (code < 0x20 || code == 0x7f || (code >= 0x80 && code < 0xa0))
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("the {} contains a control character (\\x{:02x}) at byte {}", what,
                                    static_cast<unsigned>(code), i + 1),
                        "write it on one line, without tabs or escape sequences");
        i += length;
    }
    if (chars > max_chars)
        throw Error(ErrorKind::InvalidArgument, fmt::format("the {} is {} characters long", what, chars),
                    fmt::format("keep it to {} characters", max_chars));
}

bool has_pet_label(const Labels& labels) {
    const auto kind = labels.find("kind");
    return kind != labels.end() && kind->second == "pet";
}

std::pair<std::string, std::string> parse_label(std::string_view text) {
    const std::string rule =
        "write KEY=VALUE with lowercase letters, digits, '-' or '_', the key starting with a letter, e.g. "
        "--label owner=alice";
    const auto eq = text.find('=');
    if (eq == std::string_view::npos)
        throw Error(ErrorKind::InvalidArgument, fmt::format("the label '{}' has no '='", text), rule);
    std::string_view key = text.substr(0, eq);
    std::string_view value = text.substr(eq + 1);
    if (key.empty() || key.size() > 63 || !(key.front() >= 'a' && key.front() <= 'z'))
        throw Error(ErrorKind::InvalidArgument, fmt::format("the label key '{}' is not valid", key), rule);
    for (char c : key)
        if (!is_label_char(c))
            throw Error(ErrorKind::InvalidArgument, fmt::format("the label key '{}' is not valid", key), rule);
    if (value.size() > 63)
        throw Error(ErrorKind::InvalidArgument, fmt::format("the value of label '{}' is longer than 63", key),
                    rule);
    for (char c : value)
        if (!is_label_char(c))
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("the value '{}' of label '{}' is not valid", value, key), rule);
    return {std::string(key), std::string(value)};
}

Labels parse_labels(const std::vector<std::string>& texts) {
    Labels labels;
    for (const auto& text : texts) {
        auto [key, value] = parse_label(text);
        if (labels.count(key) != 0)
            throw Error(ErrorKind::InvalidArgument, fmt::format("the label '{}' is given twice", key),
                        "give each label key once");
        labels.emplace(std::move(key), std::move(value));
    }
    return labels;
}

}  // namespace vmctl
