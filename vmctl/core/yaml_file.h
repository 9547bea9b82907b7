#pragma once

#include "vmctl/core/error.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace vmctl {

// A YAML document written by a person (a deployment, a price sheet). Every
// mistake becomes one Error(FileInvalid) whose message starts with
// "FILE:LINE:COLUMN:" (1-based), so an editor can jump to it. Used only inside
// vmctl/core; callers get plain structs.
class YamlFile {
public:
    // Parses `text`; a syntax error is reported at yaml-cpp's position.
    YamlFile(std::string_view text, std::string file_name);

    const YAML::Node& root() const { return m_root; }
    const std::string& file_name() const { return m_file; }

    // "shop.yaml:12:5".
    std::string where(const YAML::Node& node) const;

    [[noreturn]] void fail(const YAML::Node& at, const std::string& problem, const std::string& hint) const;

    // Rethrows an Error from a value check (size, name, label) at `at`'s position.
    [[noreturn]] void fail_with(const YAML::Node& at, const Error& error) const;

    // `node` must be a mapping whose keys are all in `allowed`; an unknown key
    // is reported with the closest allowed one.
    void require_map(const YAML::Node& node, std::string_view what,
                     std::initializer_list<std::string_view> allowed) const;

    std::string text(const YAML::Node& node, std::string_view what) const;
    unsigned positive(const YAML::Node& node, std::string_view what, unsigned max) const;
    double number(const YAML::Node& node, std::string_view what) const;  // >= 0
    bool boolean(const YAML::Node& node, std::string_view what) const;
    std::uint64_t size(const YAML::Node& node, std::string_view what) const;

private:
    std::string m_file;
    YAML::Node m_root;
};

}  // namespace vmctl
