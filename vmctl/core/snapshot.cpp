#include "vmctl/core/snapshot.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <sstream>

namespace vmctl {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

void validate_snapshot_name(std::string_view name) {
    const std::string rule = "use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, "
                             "e.g. before-upgrade";
    if (name.empty())
        throw Error(ErrorKind::InvalidArgument, "the snapshot name is empty", rule);
    if (name.size() > 63)
        throw Error(ErrorKind::InvalidArgument, fmt::format("the snapshot name is {} characters long", name.size()),
                    rule);
    if (!is_alnum(name.front()))
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("the snapshot name '{}' does not start with a letter or digit", name), rule);
    for (char c : name)
        if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("the snapshot name '{}' contains a character that is not allowed", name), rule);
}

std::string safety_snapshot_name(std::string_view utc_stamp) {
    return std::string(kSafetyPrefix) + std::string(utc_stamp);
}

std::string build_snapshot_xml(const std::string& name, const std::string& description) {
    pugi::xml_document doc;
    pugi::xml_node snapshot = doc.append_child("domainsnapshot");
    snapshot.append_child("name").text().set(name.c_str());
    if (!description.empty())
        snapshot.append_child("description").text().set(description.c_str());
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
    return out.str();
}

SnapshotInfo parse_snapshot_xml(const std::string& xml) {
    pugi::xml_document doc;
    if (!doc.load_string(xml.c_str()))
        throw Error(ErrorKind::Internal, "libvirt returned snapshot XML that does not parse");
    const pugi::xml_node root = doc.child("domainsnapshot");
    SnapshotInfo info;
    info.name = root.child("name").text().as_string();
    info.parent = root.child("parent").child("name").text().as_string();
    info.description = root.child("description").text().as_string();
    info.created = root.child("creationTime").text().as_llong();
    info.state = root.child("state").text().as_string();
    // The VM's size when the snapshot was taken, read as any domain is.
    if (const pugi::xml_node domain = root.child("domain")) {
        std::ostringstream text;
        domain.print(text);
        const DomainFacts facts = parse_domain_xml(text.str());
        info.vcpus = facts.vcpus;
        info.memory_bytes = facts.memory_bytes;
    }
    return info;
}

std::string format_utc(long long epoch_seconds, const char* pattern) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, pattern, &utc);
    return buffer;
}

std::vector<std::string> render_snapshot_tree(const std::vector<SnapshotInfo>& snapshots) {
    std::map<std::string, std::vector<const SnapshotInfo*>> children;
    std::vector<const SnapshotInfo*> roots;
    for (const auto& s : snapshots) {
        const bool parent_known = std::any_of(snapshots.begin(), snapshots.end(),
                                              [&](const SnapshotInfo& other) { return other.name == s.parent; });
        (parent_known ? children[s.parent] : roots).push_back(&s);
    }
    const auto by_time = [](const SnapshotInfo* a, const SnapshotInfo* b) {
        return a->created != b->created ? a->created < b->created : a->name < b->name;
    };
    std::sort(roots.begin(), roots.end(), by_time);
    for (auto& [name, list] : children)
        std::sort(list.begin(), list.end(), by_time);

    std::vector<std::string> lines;
    std::function<void(const SnapshotInfo*, const std::string&, const std::string&)> walk =
        [&](const SnapshotInfo* s, const std::string& lead, const std::string& indent) {
            lines.push_back(fmt::format("{}{}  ({}, {}){}", lead, s->name, format_utc(s->created),
                                        s->state == "running" ? "with memory" : "disk only",
                                        s->current ? "  <- current" : ""));
            const auto& kids = children[s->name];
            for (std::size_t i = 0; i < kids.size(); ++i) {
                const bool last = i + 1 == kids.size();
                walk(kids[i], indent + (last ? "└─ " : "├─ "), indent + (last ? "   " : "│  "));
            }
        };
    for (const SnapshotInfo* root : roots)
        walk(root, "", "");
    return lines;
}

}  // namespace vmctl
