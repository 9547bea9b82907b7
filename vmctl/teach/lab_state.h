#pragma once

#include "vmctl/teach/progress_signature.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::teach {

// How one finished step went: the instructor's evidence (`lab status --json`).
struct StepRecord {
    std::size_t step = 0;              // 0-based
    std::string started_at;            // ISO 8601 UTC
    std::string finished_at;
    unsigned failed_checks = 0;        // `lab check`s that failed on it
    unsigned hints_shown = 0;
    bool solved_by_solution = false;   // `lab solve` did it, not the student
    std::string last_failure;          // what the last failed check said, if any failed
    // What its checks saw when it passed, at finished_at ("the ping kept
    // answering during the migration"): a record of that moment, which stays
    // true of it; what is true now (the VM still runs on host-b?) is for a
    // new `lab check` to say.
    std::vector<std::string> seen;
};

// A student's progress in one lab.
struct LabProgress {
    std::size_t step = 0;             // index of the current step; == the number of steps when finished
    unsigned failed_checks = 0;       // failed `lab check`s of the current step (hints are offered after 3)
    unsigned hints_shown = 0;         // hints of the current step already shown
    std::map<std::string, std::string> answers;  // `vmctl lab answer KEY=VALUE`
    std::map<std::string, std::size_t> answered_in;  // the step (0-based) each answer was last given on
    std::string started_at;           // ISO 8601 UTC, when `lab start` ran
    std::string step_started_at;
    std::string finished_at;          // empty until the last step passes
    std::string last_failure;         // the current step's last failed check, with its reasons
    std::vector<StepRecord> history;  // the finished steps, in order
};

// Every lab's progress, and which lab is active: VMs created while a lab is
// active get its label, so `lab reset` finds them.
struct LabState {
    std::string active;
    std::map<std::string, LabProgress> labs;
    // What the file's signature said when it was loaded. Saving a state that
    // was not Valid keeps that verdict in the file ("unproven"), signed, so
    // the next command does not make a hand edit look like vmctl's work.
    SignatureCheck signature = SignatureCheck::Valid;
};

// The history as the progress file and `lab status --json` write it, and
// one of its records read back (throws nlohmann::json::exception for a field
// of the wrong type).
nlohmann::json step_history_json(const std::vector<StepRecord>& history);
StepRecord step_record_from_json(const nlohmann::json& record);

// VMCTL_LAB_STATE, else <data_dir>/labs/state.json; under sudo, the
// student's file in root's folder (sudo_progress_path), which the student
// can read but not change. `lab test` points VMCTL_LAB_STATE at a file of
// its own so it never touches a student's progress.
std::string lab_state_path(const std::string& data_dir);

// <data_dir>/labs/students/STUDENT.json: the progress of the labs a student
// ran with sudo (data_dir is root's then, /var/lib/vmctl), in one folder.
std::string sudo_progress_dir(const std::string& data_dir);
std::string sudo_progress_path(const std::string& data_dir, const std::string& student);

// An absent file is an empty state. A damaged one (not JSON, or a field of
// the wrong type) is set aside as PATH.damaged with a warning, and the state
// is empty: a damaged file never stops a command.
LabState load_lab_state(const std::string& path);

// The progress in a file's text, with its signature checked against `keys`;
// nothing when the text is not a progress file. Changes nothing on disk:
// `lab collect` reads other people's files with it.
std::optional<LabState> read_lab_state(const std::string& text, const std::vector<SigningKey>& keys);

// Reads, changes and writes the progress file under a lock (PATH.lock), so
// that two vmctl runs at once (`lab watch` and `lab answer`) lose nothing.
void update_lab_state(const std::string& path, const std::function<void(LabState&)>& change);
// Writes the file signed (progress_signature.h).
void save_lab_state(const std::string& path, const LabState& state);

// The labels every VM made while a lab is active carries: lab=ID and
// student=NAME (see student.h); none when no lab is active.
std::vector<std::pair<std::string, std::string>> active_lab_labels(const std::string& data_dir);

inline constexpr const char* kLabLabelKey = "lab";

}  // namespace vmctl::teach
