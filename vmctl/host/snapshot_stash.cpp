#include "vmctl/host/snapshot_stash.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace vmctl::host {
namespace {

std::string stash_path(const std::string& data_dir, const std::string& vm) {
    return snapshot_stash_dir(data_dir) + "/" + vm + ".json";
}

}  // namespace

std::string snapshot_stash_dir(const std::string& data_dir) { return data_dir + "/moving"; }

std::string snapshot_stash_lock(const std::string& data_dir, const std::string& vm) {
    return snapshot_stash_dir(data_dir) + "/" + vm + ".lock";
}

void save_snapshot_stash(const std::string& data_dir, const SnapshotStash& stash) {
    nlohmann::json snapshots = nlohmann::json::array();
    for (const auto& s : stash.snapshots)
        snapshots.push_back({{"name", s.name}, {"xml", s.xml}, {"current", s.current}});
    const nlohmann::json doc = {
        {"vm", stash.vm}, {"source", stash.source_uri}, {"dest", stash.dest_uri}, {"snapshots", snapshots}};
    make_private_dir(snapshot_stash_dir(data_dir));
    write_file_atomically(stash_path(data_dir, stash.vm), doc.dump(2) + '\n');
}

void remove_snapshot_stash(const std::string& data_dir, const std::string& vm) {
    std::error_code ec;
    std::filesystem::remove(stash_path(data_dir, vm), ec);
}

bool has_snapshot_stash(const std::string& data_dir, const std::string& vm) {
    std::error_code ec;
    return std::filesystem::exists(stash_path(data_dir, vm), ec);
}

std::vector<std::string> stashed_vms(const std::string& data_dir) {
    std::vector<std::string> vms;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(snapshot_stash_dir(data_dir), ec))
        if (entry.path().extension() == ".json")
            vms.push_back(entry.path().stem().string());
    return vms;
}

SnapshotStash load_snapshot_stash(const std::string& data_dir, const std::string& vm) {
    const std::string path = stash_path(data_dir, vm);
    const auto doc = nlohmann::json::parse(read_file_or(path, ""), nullptr, false);
    SnapshotStash stash;
    try {
        if (doc.is_discarded() || !doc.is_object())
            throw nlohmann::json::other_error::create(501, "not a JSON object", nullptr);
        stash.vm = doc.at("vm").get<std::string>();
        stash.source_uri = doc.at("source").get<std::string>();
        stash.dest_uri = doc.at("dest").get<std::string>();
        for (const auto& s : doc.at("snapshots"))
            stash.snapshots.push_back(
                {s.at("name").get<std::string>(), s.at("xml").get<std::string>(), s.value("current", false)});
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorKind::FileInvalid, fmt::format("{}: the snapshots set aside for a move are damaged", path),
                    "see 'vmctl snapshot list' on each host; remove the file once nothing is missing");
    }
    if (stash.vm != vm)
        throw Error(ErrorKind::FileInvalid, fmt::format("{}: it is about VM '{}'", path, stash.vm),
                    "remove the file");
    return stash;
}

}  // namespace vmctl::host
