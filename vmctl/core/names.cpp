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
