#include "vmctl/core/lab.h"

#include "vmctl/core/error.h"
#include "vmctl/core/pattern.h"
#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"
#include "vmctl/core/yaml_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <regex>

namespace vmctl::lab {
namespace {

struct KindInfo {
    CheckKind kind;
    const char* name;
    std::vector<std::string> keys;      // keys its map may have
    std::vector<std::string> required;  // keys it must have
    const char* scalar_key;             // the key a plain scalar value means, or nullptr
};

const std::vector<KindInfo>& kinds() {
    static const std::vector<KindInfo> table{
        {CheckKind::VmExists, "vm_exists", {"vm", "host"}, {"vm"}, "vm"},
        {CheckKind::VmAbsent, "vm_absent", {"vm", "host"}, {"vm"}, "vm"},
        {CheckKind::VmState, "vm_state", {"vm", "state", "host"}, {"vm", "state"}, nullptr},
        {CheckKind::VmCpus, "vm_cpus", {"vm", "count", "host"}, {"vm", "count"}, nullptr},
        {CheckKind::VmMemory, "vm_memory", {"vm", "size", "host"}, {"vm", "size"}, nullptr},
        {CheckKind::SnapshotExists, "snapshot_exists", {"vm", "snapshot", "host"}, {"vm", "snapshot"}, nullptr},
        {CheckKind::SnapshotCurrent, "snapshot_current", {"vm", "snapshot", "host"}, {"vm", "snapshot"}, nullptr},
        {CheckKind::VmOnHost, "vm_on_host", {"vm", "host"}, {"vm", "host"}, nullptr},
        {CheckKind::Migrated, "migrated", {"vm", "to"}, {"vm"}, nullptr},
        {CheckKind::Label, "label", {"vm", "key", "value", "host"}, {"vm", "key"}, nullptr},
        {CheckKind::LabelCount, "vms_with_label", {"label", "count", "host"}, {"label", "count"}, nullptr},
        {CheckKind::SerialLog, "serial_log", {"vm", "pattern", "within", "host"}, {"vm", "pattern"}, nullptr},
        {CheckKind::GuestCommand, "guest_command", {"vm", "run", "pattern", "host"}, {"vm", "run", "pattern"},
         nullptr},
        {CheckKind::Answer, "answer", {"key", "equals", "pattern", "equals_command"}, {"key"}, nullptr},
        {CheckKind::Script, "script", {"run"}, {"run"}, "run"},
    };
    return table;
}

const std::array<const char*, 3> kStates{"running", "shut off", "paused"};

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

    Check check(const YAML::Node& node) const {
        map(node, "a check");
        Check check;
        check.where = where(node);
        const KindInfo* info = nullptr;
        YAML::Node args;
        std::vector<std::string> names{"because"};
        for (const KindInfo& k : kinds())
            names.emplace_back(k.name);
        only_keys(node, names, "a check");
        for (const KindInfo& k : kinds()) {
            if (!node[k.name])
                continue;
            if (info != nullptr)
                fail(node, fmt::format("this check has two predicates, '{}' and '{}'", info->name, k.name),
                     "write each predicate as its own '- ' item of 'checks'");
            info = &k;
            args = node[k.name];
        }
        if (info == nullptr)
            fail(node, "this check names no predicate", fmt::format("use one of: {}", fmt::join(names.begin() + 1,
                                                                                                 names.end(), ", ")));
        check.kind = info->kind;
        check.because = text(node, "because", false);

        if (args.IsScalar() && info->scalar_key != nullptr) {
            YAML::Node expanded;
            expanded[info->scalar_key] = args.as<std::string>();
            assign(check, expanded, args);
            return check;
        }
        if (!args.IsMap())
            fail(args, fmt::format("'{}' needs its arguments as a mapping", info->name),
                 fmt::format("write e.g. '{}: {{{}: ...}}'", info->name, info->required.front()));
        only_keys(args, info->keys, fmt::format("'{}'", info->name));
        for (const std::string& key : info->required)
            if (!args[key])
                fail(args, fmt::format("'{}' needs '{}'", info->name, key),
                     fmt::format("add '{}: ...' to it", key));
        assign(check, args, args);
        return check;
    }

    // Copies and validates the arguments of one predicate.
    void assign(Check& check, const YAML::Node& args, const YAML::Node& at) const {
        auto get = [&](const char* key) { return args[key] ? text(args, key, true) : std::string{}; };
        check.vm = get("vm");
        check.host = get("host");
        check.snapshot = get("snapshot");
        check.key = get("key");
        check.value = get("value");
        check.pattern = get("pattern");
        check.run = get("run");
        if (check.kind == CheckKind::Migrated)
            check.host = get("to");
        if (args["state"]) {
            check.state = get("state");
            if (std::find(kStates.begin(), kStates.end(), check.state) == kStates.end())
                fail(args["state"], fmt::format("'{}' is not a VM state", check.state),
                     fmt::format("use one of: {}", fmt::join(kStates, ", ")));
        }
        if (args["count"])
            check.count = number(args, "count", 0, 1000);
        if (args["within"])
            check.within = std::chrono::seconds(number(args, "within", 1, 3600));
        if (args["size"]) {
            try {
                check.bytes = parse_size(get("size"), "size");
            } catch (const Error& e) {
                m_file.fail_with(args["size"], e);
            }
        }
        if (args["label"]) {
            const std::string label = get("label");
            const auto equals = label.find('=');
            if (equals == std::string::npos || equals == 0)
                fail(args["label"], fmt::format("'{}' is not a KEY=VALUE label", label), "write e.g. 'group=web'");
            check.key = label.substr(0, equals);
            check.value = label.substr(equals + 1);
        }
        if (check.kind == CheckKind::Answer) {
            const int given = (args["equals"] ? 1 : 0) + (args["pattern"] ? 1 : 0) + (args["equals_command"] ? 1 : 0);
            if (given != 1)
                fail(at, "'answer' needs exactly one of 'equals', 'pattern' or 'equals_command'",
                     "say what the right answer is, e.g. 'equals: tcg'");
            check.value = get("equals");
            if (args["equals_command"])
                check.run = get("equals_command");
        }
        if (!check.pattern.empty())
            regex(args["pattern"], check.pattern);
    }

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

}  // namespace vmctl::lab
