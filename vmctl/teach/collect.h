#pragma once

#include "vmctl/teach/lab.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/teach/progress_signature.h"

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

// `vmctl lab collect`: every student's lab progress in one table, for the
// instructor. Finding and reading the files is here; the renderers write to a
// stream, so tests run them in memory. Nothing here changes a file it reads.
namespace vmctl::teach {

// One progress file and what could be read from it.
struct ProgressFile {
    std::string path;
    std::string student;            // resolved by read_progress_file
    std::optional<LabState> state;  // nothing when it could not be read
    std::string problem;            // why not, when `state` is empty
    SignatureCheck signature = SignatureCheck::Unsigned;
};

// Where a progress file came from decides who it belongs to when it does not
// say: a file of this machine belongs to its owner; a file handed in (copied
// by the instructor, so owned by them) is named after itself.
enum class FileOrigin { ThisMachine, HandedIn };

// Reads a progress file (`vmctl lab status --json` reports too, which carry
// no signature) without changing it. The student is the file's "student"
// field, else (ThisMachine) its owner's user name, else the file's name
// ("alice.json": alice; ".../alice/state.json": alice).
ProgressFile read_progress_file(const std::string& path, FileOrigin origin);

// What a folder handed in holds: every *.json file under it, sorted; a file
// is itself. A path that does not exist is returned as is, so that reading
// it reports it.
std::vector<std::string> progress_files_under(const std::string& path);

// Where this machine keeps progress files.
struct LocalSources {
    bool root = false;
    std::string own_state;     // the caller's own state.json (lab_state_path)
    std::string root_state;    // root: root's own progress, wherever lab_state_path points under sudo
    std::string student;       // the caller's student name (student.h)
    std::vector<std::string> homes;  // root: the home folders of users with uid >= 1000
    std::string students_dir;  // progress of labs run under sudo, one file per student
};

// This machine's sources: getpwent for the homes, root's labs/students folder.
LocalSources this_machine(const std::string& own_state);

// The progress files of `sources` that exist: as root, its own state and root's, every
// home's .local/share/vmctl/labs/state.json and every students_dir/*.json;
// otherwise the caller's own state and students_dir/STUDENT.json.
std::vector<std::string> local_progress_files(const LocalSources& sources);

// A lab as a column group: its id, title and step titles.
struct LabColumns {
    std::string id;
    std::string title;
    std::vector<std::string> steps;
};

// One student: their files merged, per lab the one with more progress.
struct StudentRow {
    std::string student;
    std::map<std::string, LabProgress> labs;
    std::vector<std::string> files;
    std::size_t files_read = 0;
    SignatureCheck signature = SignatureCheck::Valid;  // the worst of the files read
};
// The student's evidence: "unread" when none of their files could be read,
// else the name of their worst signature.
const char* evidence_name(const StudentRow& student);

struct Collection {
    std::vector<LabColumns> labs;      // in `lab list` order, then labs the files name that are not here
    std::vector<StudentRow> students;  // by name
    std::vector<ProgressFile> files;   // every file, read or not
};

// Merges the files into one row per student.
Collection collect_progress(std::vector<LabColumns> labs, std::vector<ProgressFile> files);

// Every lab as a column group, in the order given (`lab list`'s).
std::vector<LabColumns> lab_columns(const std::vector<Lab>& labs);

// This machine's progress files (local_progress_files of this_machine),
// read and merged: what `lab collect` without FILE shows.
Collection collect_this_machine(std::vector<LabColumns> labs, const std::string& own_state);

// One step of one student.
struct StepCell {
    enum class State { NotStarted, InProgress, Done, SolvedBySolution };
    State state = State::NotStarted;
    std::optional<double> minutes;  // finished_at - started_at (so far, for the current step: nothing)
    unsigned hints = 0;
    unsigned failed_checks = 0;
    std::string last_failure;
    std::vector<std::string> seen;  // what its checks saw when it passed (a record of then, not of now)
};
StepCell step_cell(const StudentRow& student, const LabColumns& lab, std::size_t step);
const char* step_state_name(StepCell::State state);  // "done", "solved-by-solution", "in-progress", "not-started"

// A failed check and its reasons: the failures view.
struct FailureRow {
    std::string student;
    std::string lab;
    std::size_t step = 0;  // 1-based
    bool current = false;  // the step the student is on
    unsigned failed_checks = 0;
    std::string reason;
};
std::vector<FailureRow> failures(const Collection& collection);

// The renderers. Text: a table per lab someone began, the failures, and
// every file with its signature or why it could not be read. JSON: one document. CSV:
// a header and one row per student per step. HTML: one self-contained page
// (inline CSS, nothing loaded from elsewhere), everything from files escaped.
void write_collection_text(std::ostream& out, const Collection& collection);
void write_collection_json(std::ostream& out, const Collection& collection);
// The same document on one line (the class page's event stream).
std::string collection_json_line(const Collection& collection);
void write_collection_csv(std::ostream& out, const Collection& collection);
void write_collection_html(std::ostream& out, const Collection& collection, const std::string& generated_at);

// `text` with & < > " ' as HTML entities.
std::string html_escape(const std::string& text);
// One CSV field: quoted when it must be, and a leading = + - @ defused so that
// a spreadsheet never runs a formula a student wrote.
std::string csv_field(const std::string& text);

}  // namespace vmctl::teach
