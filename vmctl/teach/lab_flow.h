#pragma once

#include "vmctl/ops/environment.h"
#include "vmctl/teach/check.h"
#include "vmctl/teach/lab.h"
#include "vmctl/teach/lab_state.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace vmctl::teach {

// Where the labs are: VMCTL_LABS, else the labs/ folder of vmctl's sources.
std::string labs_dir();

// Every NN-slug/lab.yaml under `dir`, in order, as `student` does it: each
// `$student` in the file reads as the student's name (see student.h). A lab
// file with a mistake throws Error(FileInvalid) with its file, line and column.
// `work_root` holds each lab's work folder (WORK_ROOT/ID): vmctl makes it
// afresh for the user, private (0700), when the lab starts; its scripts get
// it as $VMCTL_LAB_WORK, and "{work}" in the lab's text reads as its path.
std::vector<Lab> load_labs(const std::string& dir, const std::string& work_root, const std::string& student);

// The lab `id` names ("01", "first-vm", "01-first-vm"); Error(NotFound) otherwise.
const Lab& find_lab(const std::vector<Lab>& labs, const std::string& id);

// What the lab commands need from outside: checks' access to hosts, every
// host to clean up, the progress file, and where to write a script's output.
struct LabWorld {
    CheckEnvironment checks;  // its `progress` is filled in by each operation
    // The local hypervisor and every registered host that answers, by name.
    std::function<std::vector<std::pair<std::string, Hypervisor*>>()> all_hosts;
    const ops::Environment* env = nullptr;
    std::string state_path;
    std::function<void(std::string_view)> script_output;  // a script's output as it runs; null: hidden
};

// Runs one of the lab's shell texts (setup, cleanup, a solution, a check) in
// the lab's folder, with this vmctl first on PATH and VMCTL_LAB/VMCTL_LAB_DIR set.
host::ShellResult run_lab_script(const Lab& lab, const std::string& script,
                                 const std::function<void(std::string_view)>& on_output,
                                 std::chrono::seconds timeout = std::chrono::seconds(600));

struct StartResult {
    bool resumed = false;  // the lab was already in progress: it goes on where it was
    std::size_t step = 0;
};

// Makes the lab the active one and runs its setup; a lab in progress is resumed.
StartResult start_lab(LabWorld& world, const Lab& lab);

// The active lab (Error(NotFound) telling to start one) and its progress.
struct ActiveLab {
    const Lab* lab = nullptr;
    LabProgress progress;
};
ActiveLab active_lab(const LabWorld& world, const std::vector<Lab>& labs);

struct StepCheck {
    std::size_t step = 0;  // the step that was checked
    std::vector<CheckResult> results;
    bool passed = false;
    bool finished = false;       // that was the last step
    bool suggest_hint = false;   // three failed checks in a row on this step
};

// Checks the current step of the active lab; when it passes, moves on. A
// failure counts toward offering a hint, except when `watching` (`lab watch`
// checks again and again, and does not wait for console lines either).
StepCheck check_step(LabWorld& world, const Lab& lab, bool watching = false);

// The next hint of the current step, and its number; nothing when all were shown.
struct Hint {
    std::size_t number = 0;  // 1-based
    std::size_t of = 0;
    std::string text;
};
std::optional<Hint> next_hint(LabWorld& world, const Lab& lab);

// Records an answer (`vmctl lab answer KEY=VALUE`) for the active lab, with
// the step it was given on. A prediction (a `predict` check's key) is not
// judged, only kept, and is refused with Error(InvalidState) once the first
// step that asks for it is past (its result may have shown since), or
// Error(InvalidArgument) when it cannot be one (not one of its options).
// Returns whether the answer was a prediction.
bool record_answer(LabWorld& world, const Lab& lab, const std::string& key, const std::string& value);

// Every VM of the lab's student labelled lab=ID on every host, as "host/name".
std::vector<std::string> lab_vms(LabWorld& world, const Lab& lab);

// Removes every VM the lab made for its student (pets too: the lab made
// them; another student's VMs stay) on every host,
// runs the lab's cleanup, forgets its progress. Returns what was removed.
std::vector<std::string> clean_lab(LabWorld& world, const Lab& lab);

// The instructor's fast-forward: runs the reference solution of each step
// from the current one through `through` (1-based; 0: to the end), checking
// each. Throws Error(CheckFailed) when a solution does not make its step pass.
std::size_t solve_lab(LabWorld& world, const Lab& lab, std::size_t through);

// `vmctl lab test`: on a progress file of its own, clean, set up, and for
// every step: the checks must fail, the solution runs, the checks must pass;
// then clean up and make sure nothing labelled is left.
struct LabTestReport {
    std::string lab_id;
    bool passed = false;
    double seconds = 0;
    std::vector<std::string> problems;
};
LabTestReport test_lab(LabWorld& world, const Lab& lab, const std::function<void(std::string_view)>& progress);

}  // namespace vmctl::teach
