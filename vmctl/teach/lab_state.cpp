#include "vmctl/teach/lab_state.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vmctl::teach {

std::string lab_state_path(const std::string& data_dir) {
    if (const char* path = std::getenv("VMCTL_LAB_STATE"); path != nullptr && *path != '\0')
        return path;
    if (host::invoking_user().via_sudo)
        return sudo_progress_path(data_dir, student_name());
    return data_dir + "/labs/state.json";
}

std::string sudo_progress_dir(const std::string& data_dir) { return data_dir + "/labs/students"; }

std::string sudo_progress_path(const std::string& data_dir, const std::string& student) {
    return sudo_progress_dir(data_dir) + "/" + student + ".json";
}

namespace {

// The progress in a file's text; nothing when the text is not a progress
// file (not JSON, or a field of the wrong type).
std::optional<LabState> parse_lab_state(const nlohmann::json& doc) {
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    try {
        LabState state;
        state.active = doc.value("active", "");
        const nlohmann::json labs = doc.value("labs", nlohmann::json::object());
        if (!labs.is_object())
            return std::nullopt;
        for (const auto& [id, l] : labs.items()) {
            LabProgress p;
            p.step = l.value("step", std::size_t{0});
            p.failed_checks = l.value("failed_checks", 0u);
            p.hints_shown = l.value("hints_shown", 0u);
            p.answers = l.value("answers", std::map<std::string, std::string>{});
            p.answered_in = l.value("answered_in", std::map<std::string, std::size_t>{});
            p.started_at = l.value("started_at", "");
            p.step_started_at = l.value("step_started_at", "");
            p.finished_at = l.value("finished_at", "");
            p.last_failure = l.value("last_failure", "");
            for (const auto& h : l.value("history", nlohmann::json::array()))
                p.history.push_back(step_record_from_json(h));
            state.labs[id] = p;
        }
        return state;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::optional<LabState> read_lab_state(const std::string& text, const std::vector<SigningKey>& keys) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    auto state = parse_lab_state(doc);
    if (state)
        state->signature = check_progress_signature(doc, keys);
    return state;
}

nlohmann::json step_history_json(const std::vector<StepRecord>& history) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : history)
        out.push_back({{"step", r.step},
                       {"started_at", r.started_at},
                       {"finished_at", r.finished_at},
                       {"failed_checks", r.failed_checks},
                       {"hints_shown", r.hints_shown},
                       {"solved_by_solution", r.solved_by_solution},
                       {"last_failure", r.last_failure},
                       {"seen", r.seen}});
    return out;
}

StepRecord step_record_from_json(const nlohmann::json& h) {
    StepRecord r;
    r.step = h.value("step", std::size_t{0});
    r.started_at = h.value("started_at", "");
    r.finished_at = h.value("finished_at", "");
    r.failed_checks = h.value("failed_checks", 0u);
    r.hints_shown = h.value("hints_shown", 0u);
    r.solved_by_solution = h.value("solved_by_solution", false);
    r.last_failure = h.value("last_failure", "");
    r.seen = h.value("seen", std::vector<std::string>{});
    return r;
}

LabState load_lab_state(const std::string& path) {
    const std::string text = host::read_file_or(path, "");
    if (text.empty())
        return {};
    if (auto state = read_lab_state(text, verification_keys(path)))
        return *state;
    // Set aside, not deleted (someone may want to read it), and the labs
    // start over; no command stops on it.
    const std::string aside = path + ".damaged";
    std::error_code ec;
    std::filesystem::rename(path, aside, ec);
    spdlog::warn("the lab progress file {} was damaged; {}, and the labs start over", path,
                 ec ? "it is left where it is" : "it is set aside as " + aside);
    return {};
}

void save_lab_state(const std::string& path, const LabState& state) {
    nlohmann::json doc = {{"student", student_name()}, {"active", state.active}, {"labs", nlohmann::json::object()}};
    for (const auto& [id, p] : state.labs) {
        doc["labs"][id] = {{"step", p.step},
                           {"failed_checks", p.failed_checks},
                           {"hints_shown", p.hints_shown},
                           {"answers", p.answers},
                           {"answered_in", p.answered_in},
                           {"started_at", p.started_at},
                           {"step_started_at", p.step_started_at},
                           {"finished_at", p.finished_at},
                           {"last_failure", p.last_failure},
                           {"history", step_history_json(p.history)}};
    }
    // Last, so that the signature covers every field above.
    if (state.signature != SignatureCheck::Valid)
        doc[kUnprovenField] = signature_check_name(state.signature);
    if (const auto key = signing_key(path))
        sign_progress(doc, *key);
    host::write_file_atomically(path, doc.dump(2) + '\n');
    // Under sudo the progress stays in root's folder, where the student
    // cannot change it, and is readable by the student alone (their group),
    // so that `vmctl lab status` without sudo shows it too.
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (const auto user = host::invoking_user(); user.via_sudo && std::filesystem::path(dir).filename() == "students") {
        if (::chmod(dir.c_str(), 0711) != 0 || ::chown(path.c_str(), 0, user.gid) != 0 ||
            ::chmod(path.c_str(), 0640) != 0)
            spdlog::warn("could not let {} read their progress file {}", user.name, path);
    }
}

void update_lab_state(const std::string& path, const std::function<void(LabState&)>& change) {
    host::make_dirs(std::filesystem::path(path).parent_path().string());
    const host::FileLock lock(path + ".lock");
    LabState state = load_lab_state(path);
    change(state);
    save_lab_state(path, state);
}

std::vector<std::pair<std::string, std::string>> active_lab_labels(const std::string& data_dir) {
    // Every command asks this at its start: only the active lab is read,
    // without checking the signature (no key is read) and without setting a
    // damaged file aside, which the lab commands do. An unreadable progress
    // file must not stop `vmctl create`.
    const auto state = read_lab_state(host::read_file_or(lab_state_path(data_dir), ""), {});
    if (!state || state->active.empty())
        return {};
    return {{kLabLabelKey, state->active}, {kStudentLabelKey, student_name()}};
}

}  // namespace vmctl::teach
