#include "vmctl/core/yaml_file.h"

#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace vmctl {
namespace {

std::string position(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null())
        return file;
    return fmt::format("{}:{}:{}", file, mark.line + 1, mark.column + 1);
}

// Nodes the key check visits before it gives up: aliases can make a
// small file a huge tree ("billion laughs"), and no vmctl file needs that many.
constexpr int kMaxNodes = 100000;

// Every key must be a plain word, once per mapping. yaml-cpp keeps both
// entries of a repeated key and answers lookups with the first, so a second
// 'memory:' would be silently ignored; and a list or a mapping as a key
// ("? [a, b]") made the lab reader throw a yaml-cpp conversion error (found
// by fuzzing).
void check_keys(const YAML::Node& node, const std::string& file, int& budget) {
    if (--budget < 0)
        throw Error(ErrorKind::FileInvalid, fmt::format("{}: the file has too many values or aliases", file),
                    "write the values out; vmctl files need no more than a few hundred");
    if (node.IsSequence()) {
        for (const auto& item : node)
            check_keys(item, file, budget);
        return;
    }
    if (!node.IsMap())
        return;
    std::vector<std::string> seen;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar())
            throw Error(ErrorKind::FileInvalid,
                        fmt::format("{}: a key must be a plain word, not a list, a mapping or nothing",
                                    position(file, entry.first.Mark())),
                        "write each entry as 'key: value'");
        const std::string& key = entry.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            throw Error(ErrorKind::FileInvalid,
                        fmt::format("{}: the key '{}' appears twice in the same mapping",
                                    position(file, entry.first.Mark()), key),
                        "keep one of them; YAML would silently ignore the second");
        seen.push_back(key);
        check_keys(entry.second, file, budget);
    }
}

}  // namespace

YamlFile::YamlFile(std::string_view text, std::string file_name) : m_file(std::move(file_name)) {
    try {
        m_root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        throw Error(ErrorKind::FileInvalid, fmt::format("{}: {}", position(m_file, e.mark), e.msg),
                    "this is not valid YAML; check the indentation and the ':' after each key");
    }
    if (!m_root.IsMap())
        throw Error(ErrorKind::FileInvalid, fmt::format("{}:1:1: the file is not a YAML mapping", m_file),
                    "start it with a key, e.g. 'deployment: NAME'");
    int budget = kMaxNodes;
    check_keys(m_root, m_file, budget);
}

std::string YamlFile::where(const YAML::Node& node) const { return position(m_file, node.Mark()); }

void YamlFile::fail(const YAML::Node& at, const std::string& problem, const std::string& hint) const {
    throw Error(ErrorKind::FileInvalid, fmt::format("{}: {}", where(at), problem), hint);
}

void YamlFile::fail_with(const YAML::Node& at, const Error& error) const { fail(at, error.what(), error.hint()); }

void YamlFile::require_map(const YAML::Node& node, std::string_view what,
                           std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap())
        fail(node, fmt::format("{} must be a mapping of 'key: value' lines", what),
             fmt::format("the keys of {} are: {}", what, fmt::join(allowed, ", ")));
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        bool known = false;
        for (const auto& name : names)
            known = known || name == key;
        if (known)
            continue;
        std::string hint = fmt::format("the keys of {} are: {}", what, fmt::join(names, ", "));
        if (auto close = closest_match(key, names))
            hint = fmt::format("did you mean '{}'? ({})", *close, hint);
        fail(entry.first, fmt::format("unknown key '{}' in {}", key, what), hint);
    }
}

std::string YamlFile::text(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar())
        fail(node, fmt::format("{} must be a single value", what), "write it on the same line, after the ':'");
    return node.Scalar();
}

unsigned YamlFile::positive(const YAML::Node& node, std::string_view what, unsigned max) const {
    const std::string value = text(node, what);
    char* end = nullptr;
    const long number = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || number < 1 || number > static_cast<long>(max))
        fail(node, fmt::format("{} is '{}'", what, value), fmt::format("write a whole number from 1 to {}", max));
    return static_cast<unsigned>(number);
}

double YamlFile::number(const YAML::Node& node, std::string_view what) const {
    const std::string value = text(node, what);
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(number >= 0))
        fail(node, fmt::format("{} is '{}', not a number", what, value), "write a number such as 0.02");
    return number;
}

bool YamlFile::boolean(const YAML::Node& node, std::string_view what) const {
    const std::string value = text(node, what);
    if (value == "true" || value == "yes")
        return true;
    if (value == "false" || value == "no")
        return false;
    fail(node, fmt::format("{} is '{}'", what, value), "write true or false");
}

std::uint64_t YamlFile::size(const YAML::Node& node, std::string_view what) const {
    const std::string value = text(node, what);
    try {
        return parse_size(value, what);
    } catch (const Error& e) {
        fail_with(node, e);
    }
}

}  // namespace vmctl
