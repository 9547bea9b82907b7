#include "vmctl/teach/lab.h"

#include "vmctl/core/error.h"
#include "vmctl/core/pattern.h"
#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"
#include "vmctl/core/yaml_file.h"
#include "vmctl/teach/checks/check_kinds.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <regex>

namespace vmctl::teach {
namespace {

// Reads a lab file's parts into plain structs; positions and errors come
// from YamlFile, shared with deployment files and price sheets.
class Reader {
public:
    explicit Reader(const YamlFile& file) : m_file(file) {}

    SourceLocation where(const YAML::Node& node) const {
        const YAML::Mark mark = node.Mark();
        return {m_file.file_name(), mark.line + 1, mark.column + 1};
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& problem, const std::string& fix) const {
        m_file.fail(node, problem, fix);
    }

    [[noreturn]] void fail_with(const YAML::Node& node, const Error& error) const { m_file.fail_with(node, error); }

    // Refuses keys not in `allowed`, suggesting the closest one.
    void only_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) const {
        for (const auto& entry : map) {
            const std::string key = entry.first.as<std::string>();
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
                continue;
            std::string fix = fmt::format("{} takes: {}", what, fmt::join(allowed, ", "));
            if (auto close = closest_match(key, allowed))
                fix = fmt::format("did you mean '{}'? ({})", *close, fix);
            fail(entry.first, fmt::format("unknown key '{}' in {}", key, what), fix);
        }
    }

    YAML::Node map(const YAML::Node& node, const std::string& what) const {
        if (!node.IsMap())
            fail(node, fmt::format("{} must be a mapping of keys to values", what),
                 "write it as 'key: value' lines, indented under it");
        return node;
    }

    std::string text(const YAML::Node& parent, const std::string& key, bool required) const {
        const YAML::Node node = parent[key];
        if (!node) {
            if (required)
                fail(parent, fmt::format("'{}' is missing", key), fmt::format("add a '{}:' line here", key));
            return {};
        }
        if (!node.IsScalar())
            fail(node, fmt::format("'{}' must be text", key), "write it on one line, or as a '|' block");
        return node.as<std::string>();
    }

    unsigned number(const YAML::Node& parent, const std::string& key, unsigned min, unsigned max) const {
        const YAML::Node node = parent[key];
        unsigned value = 0;
        try {
            if (!node.IsScalar())
                throw YAML::BadConversion(node.Mark());
            const long long parsed = node.as<long long>();
            if (parsed < min || parsed > max)
                throw YAML::BadConversion(node.Mark());
            value = static_cast<unsigned>(parsed);
        } catch (const YAML::BadConversion&) {
            fail(node, fmt::format("'{}' must be a whole number from {} to {}", key, min, max),
                 fmt::format("write e.g. '{}: {}'", key, std::max(min, 1u)));
        }
        return value;
    }

    std::vector<std::string> texts(const YAML::Node& parent, const std::string& key) const {
        std::vector<std::string> out;
        const YAML::Node node = parent[key];
        if (!node)
            return out;
        if (!node.IsSequence())
            fail(node, fmt::format("'{}' must be a list", key), "write each item on its own '- ' line");
        for (const auto& item : node) {
            if (!item.IsScalar())
                fail(item, fmt::format("each item of '{}' must be text", key), "write it on one '- ' line");
            out.push_back(item.as<std::string>());
        }
        return out;
    }

    void regex(const YAML::Node& node, const std::string& pattern) const {
        if (const auto problem = pattern_problem(pattern))
            fail(node, fmt::format("'{}' is not a usable regular expression: {}", pattern, *problem),
                 kPatternFix);
    }

    std::unique_ptr<Check> check(const YAML::Node& node) const;  // after Arguments, which it uses

    Step step(const YAML::Node& node, std::size_t number) const {
        map(node, fmt::format("step {}", number));
        only_keys(node, {"title", "text", "hints", "checks", "solution"}, fmt::format("step {}", number));
        Step step;
        step.title = text(node, "title", true);
        step.text = text(node, "text", true);
        step.hints = texts(node, "hints");
        step.solution = text(node, "solution", true);
        const YAML::Node checks = node["checks"];
        if (!checks || !checks.IsSequence() || checks.size() == 0)
            fail(checks ? checks : node, fmt::format("step {} needs a list of 'checks'", number),
                 "add 'checks:' with at least one predicate, e.g. '- vm_exists: web'");
        for (const auto& item : checks)
            step.checks.push_back(check(item));
        return step;
    }

    Lab lab(const YAML::Node& root, const std::string& id) const {
        map(root, "a lab file");
        only_keys(root, {"title", "slides", "minutes", "intro", "setup", "cleanup", "outro", "steps"}, "a lab file");
        Lab lab;
        lab.id = id;
        lab.title = text(root, "title", true);
        lab.slides = text(root, "slides", true);
        if (!root["minutes"])
            fail(root, "'minutes' is missing", "add 'minutes: 15', the time a student needs");
        lab.minutes = number(root, "minutes", 1, 240);
        lab.intro = text(root, "intro", false);
        lab.setup = text(root, "setup", false);
        lab.cleanup = text(root, "cleanup", false);
        lab.outro = text(root, "outro", false);
        const YAML::Node steps = root["steps"];
        if (!steps || !steps.IsSequence() || steps.size() == 0)
            fail(steps ? steps : root, "a lab needs a list of 'steps'", "add 'steps:' with at least one step");
        for (std::size_t i = 0; i < steps.size(); ++i)
            lab.steps.push_back(step(steps[i], i + 1));
        return lab;
    }

private:
    const YamlFile& m_file;
};

// A check's arguments as its kind reads them, with every mistake reported
// at its place in the file.
class Arguments final : public CheckArgs {
public:
    // `args` holds the values; `at` is where they were written (the same
    // node, except for a plain value like "vm_exists: web").
    Arguments(const Reader& reader, YAML::Node args, YAML::Node at)
        : m_reader(reader), m_args(std::move(args)), m_at(std::move(at)) {}

    bool has(const std::string& key) const override { return static_cast<bool>(m_args[key]); }

    std::string text(const std::string& key) const override { return has(key) ? m_reader.text(m_args, key, true) : ""; }

    unsigned number(const std::string& key, unsigned min, unsigned max) const override {
        return m_reader.number(m_args, key, min, max);
    }

    std::uint64_t size(const std::string& key) const override {
        try {
            return parse_size(text(key), key);
        } catch (const Error& e) {
            m_reader.fail_with(place(key), e);
        }
    }

    std::string pattern(const std::string& key) const override {
        const std::string value = text(key);
        if (!value.empty())
            m_reader.regex(place(key), value);
        return value;
    }

    std::vector<std::string> texts(const std::string& key) const override {
        if (has(key) && m_args[key].IsScalar())
            return {text(key)};
        return m_reader.texts(m_args, key);
    }

    std::vector<std::pair<std::string, std::string>> mapping(const std::string& key) const override {
        std::vector<std::pair<std::string, std::string>> out;
        if (!has(key))
            return out;
        const YAML::Node node = m_reader.map(m_args[key], fmt::format("'{}'", key));
        for (const auto& entry : node) {
            if (!entry.second.IsScalar())
                fail(key, fmt::format("each value of '{}' must be text", key), "write it on one line, or as a '|' block");
            out.emplace_back(entry.first.as<std::string>(), entry.second.as<std::string>());
        }
        return out;
    }

    [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& fix) const override {
        m_reader.fail(place(key), problem, fix);
    }

private:
    YAML::Node place(const std::string& key) const {
        if (!key.empty() && m_at.IsMap() && m_at[key])
            return m_at[key];
        return m_at;
    }

    const Reader& m_reader;
    YAML::Node m_args;
    YAML::Node m_at;
};

std::unique_ptr<Check> Reader::check(const YAML::Node& node) const {
    map(node, "a check");
    const CheckKind* kind = nullptr;
    YAML::Node args;
    std::vector<std::string> names{"because"};
    for (const CheckKind& k : check_kinds())
        names.push_back(k.name);
    only_keys(node, names, "a check");
    for (const CheckKind& k : check_kinds()) {
        if (!node[k.name])
            continue;
        if (kind != nullptr)
            fail(node, fmt::format("this check has two predicates, '{}' and '{}'", kind->name, k.name),
                 "write each predicate as its own '- ' item of 'checks'");
        kind = &k;
        args = node[k.name];
    }
    if (kind == nullptr)
        fail(node, "this check names no predicate", fmt::format("use one of: {}", fmt::join(names.begin() + 1,
                                                                                             names.end(), ", ")));
    const bool plain = args.IsScalar() && !kind->scalar_key.empty();  // "vm_exists: web" is {vm: web}
    if (!plain) {
        if (!args.IsMap())
            fail(args, fmt::format("'{}' needs its arguments as a mapping", kind->name),
                 fmt::format("write e.g. '{}: {{{}: ...}}'", kind->name, kind->required.front()));
        only_keys(args, kind->keys, fmt::format("'{}'", kind->name));
        for (const std::string& key : kind->required)
            if (!args[key])
                fail(args, fmt::format("'{}' needs '{}'", kind->name, key), fmt::format("add '{}: ...' to it", key));
    }
    YAML::Node expanded;
    if (plain)
        expanded[kind->scalar_key] = args.as<std::string>();
    std::unique_ptr<Check> check = kind->read(Arguments(*this, plain ? expanded : args, args));
    check->kind = kind->name;
    check->because = text(node, "because", false);
    check->where = where(node);
    return check;
}

}  // namespace

Lab parse_lab(const std::string& text, const std::string& file, const std::string& id) {
    const YamlFile yaml(text, file);  // a syntax error or a document that is no mapping is reported here
    return Reader(yaml).lab(yaml.root(), id);
}

bool lab_id_matches(const std::string& id, const std::string& wanted) {
    if (wanted.empty())
        return false;
    if (id == wanted)
        return true;
    const auto dash = id.find('-');
    const std::string number = id.substr(0, dash);
    const std::string slug = dash == std::string::npos ? std::string{} : id.substr(dash + 1);
    if (wanted == slug)
        return true;
    if (wanted.size() <= 4 && std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        number.size() <= 4 &&
        std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }) && !number.empty())
        return std::stoul(wanted) == std::stoul(number);
    return false;
}

}  // namespace vmctl::teach
