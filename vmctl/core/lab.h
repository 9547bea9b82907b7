#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace vmctl::lab {

// Where something was written in a lab file, for error messages.
struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based
};

// The predicates a lab step can check. Each one looks at real state: the
// hypervisor, a serial log, the guest agent, the student's answers, or a
// script (the escape hatch).
enum class CheckKind {
    VmExists,         // vm_exists: NAME
    VmAbsent,         // vm_absent: NAME
    VmState,          // vm_state: {vm, state}
    VmCpus,           // vm_cpus: {vm, count}          (live)
    VmMemory,         // vm_memory: {vm, size}         (live)
    SnapshotExists,   // snapshot_exists: {vm, snapshot}
    SnapshotCurrent,  // snapshot_current: {vm, snapshot}
    VmOnHost,         // vm_on_host: {vm, host}
    Migrated,         // migrated: {vm, to}            (a completed migration since the lab started)
    Label,            // label: {vm, key, value}
    LabelCount,       // vms_with_label: {label: KEY=VALUE, count}
    SerialLog,        // serial_log: {vm, pattern, within}
    GuestCommand,     // guest_command: {vm, run, pattern}
    Answer,           // answer: {key, equals | pattern | equals_command}
    Script,           // script: {run}
};

// One check, with only the fields its kind uses filled in.
struct Check {
    CheckKind kind = CheckKind::Script;
    std::string vm;
    std::string host;             // which host to ask; empty: the default connection
    std::string state;            // vm_state: "running", "shut off", "paused"
    unsigned count = 0;           // vm_cpus, vms_with_label
    std::uint64_t bytes = 0;      // vm_memory
    std::string snapshot;
    std::string key;              // label, answer, vms_with_label
    std::string value;            // label (empty: any value), answer equals, vms_with_label
    std::string pattern;          // serial_log, guest_command, answer: an ECMAScript regex
    std::string run;              // guest_command, script, answer equals_command: shell text
    std::chrono::seconds within{0};  // serial_log: how long to wait for the line
    std::string because;          // the author's own reason, shown when the check fails
    SourceLocation where;
};

struct Step {
    std::string title;
    std::string text;                // Markdown
    std::vector<std::string> hints;  // progressive: the first is the gentlest
    std::vector<Check> checks;
    std::string solution;            // shell: the reference solution
};

struct Lab {
    std::string id;       // the folder name, "01-first-vm"
    std::string dir;      // the folder
    std::string work_dir; // the student's own folder for the lab's files: $VMCTL_LAB_WORK, {work} in text
    std::string title;
    std::string slides;   // the slide section it follows
    unsigned minutes = 0; // estimated time
    std::string intro;    // Markdown, shown by `lab start`
    std::string setup;    // shell, run by `lab start`, `lab reset` and `lab test`
    std::string cleanup;  // shell, run by `lab reset` and `lab test` after labelled VMs are removed
    std::string outro;    // Markdown, shown when the last step passes
    std::vector<Step> steps;
};

// Parses a lab.yaml text. `file` names it in errors, which are
// Error(FileInvalid) saying "FILE:LINE:COLUMN: what is wrong; how to fix it".
Lab parse_lab(const std::string& text, const std::string& file, const std::string& id);

// "01", "1", "01-first-vm" and "first-vm" all name the lab "01-first-vm".
bool lab_id_matches(const std::string& id, const std::string& wanted);

}  // namespace vmctl::lab
