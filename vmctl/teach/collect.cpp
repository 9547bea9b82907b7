#include "vmctl/teach/collect.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>

namespace vmctl::teach {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> user_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    if (pw == nullptr || pw->pw_name == nullptr)
        return std::nullopt;
    return std::string(pw->pw_name);
}

std::string name_from_path(const std::string& path) {
    const fs::path p(path);
    const std::string stem = p.stem().string();
    // ".../alice/state.json" names its folder, not "state".
    if (stem == "state" && p.has_parent_path() && !p.parent_path().filename().empty())
        return p.parent_path().filename().string();
    return stem;
}

// `lab status --json` writes labs as an array of reports; read them as progress.
std::optional<LabState> read_status_report(const nlohmann::json& doc) {
    try {
        LabState state;
        state.active = doc.value("active", "");
        for (const auto& l : doc.at("labs")) {
            if (!l.value("started", false))
                continue;
            LabProgress p;
            p.step = l.value("steps_done", std::size_t{0});
            p.failed_checks = l.value("failed_checks", 0u);
            p.hints_shown = l.value("hints_shown", 0u);
            p.started_at = l.value("started_at", "");
            p.finished_at = l.value("finished_at", "");
            p.last_failure = l.value("last_failure", "");
            for (const auto& h : l.value("history", nlohmann::json::array()))
                p.history.push_back(step_record_from_json(h));
            state.labs[l.at("id").get<std::string>()] = p;
        }
        return state;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::optional<long long> epoch_of(const std::string& iso) {
    std::tm tm{};
    char zone = 0;
    if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &zone) != 7 ||
        zone != 'Z')
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<long long>(::timegm(&tm));
}

std::optional<double> minutes_between(const std::string& from, const std::string& to) {
    const auto a = epoch_of(from);
    const auto b = epoch_of(to);
    if (!a || !b || *b < *a)
        return std::nullopt;
    return std::round(static_cast<double>(*b - *a) / 6.0) / 10.0;  // one decimal
}

// More progress: further on, then more finished steps on record.
bool more_progress(const LabProgress& a, const LabProgress& b) {
    if (a.step != b.step)
        return a.step > b.step;
    if (a.finished_at.empty() != b.finished_at.empty())
        return !a.finished_at.empty();
    return a.history.size() > b.history.size();
}

// A file in a student's home, read as root: never through a link the student
// planted, never a FIFO that would hang the instructor's command, never more
// than a progress file could be.
struct StudentsFile {
    std::string text;
    uid_t owner = 0;
    std::string problem;  // why it was not read; the rest is empty then
};
constexpr off_t kMaxProgressBytes = 16 << 20;

StudentsFile read_students_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
    if (fd < 0)
        return {{}, 0, errno == ELOOP ? std::string("not read: a symbolic link (vmctl never makes one)")
                                      : fmt::format("cannot be read: {}", std::strerror(errno))};
    struct stat st {};
    std::string problem;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        problem = "not read: not a regular file";
    else if (st.st_size > kMaxProgressBytes)
        problem = fmt::format("not read: {} bytes, more than a progress file can be", st.st_size);
    StudentsFile read{{}, st.st_uid, {}};
    char buffer[8192];
    for (ssize_t n = 0; problem.empty() && (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            problem = fmt::format("cannot be read: {}", std::strerror(errno));
        else
            read.text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (!problem.empty())
        return {{}, 0, problem};
    return read;
}

}  // namespace

ProgressFile read_progress_file(const std::string& path, FileOrigin origin) {
    ProgressFile file;
    file.path = path;
    file.student = name_from_path(path);
    std::string text;
    if (origin == FileOrigin::HandedIn) {
        try {
            text = host::read_named_file(path, "progress file");  // under sudo, as the instructor
        } catch (const Error& e) {
            file.problem = e.what();
            return file;
        }
    } else {
        StudentsFile read = read_students_file(path);
        if (!read.problem.empty()) {
            file.problem = read.problem;
            return file;
        }
        file.student = user_name(read.owner).value_or(file.student);
        text = std::move(read.text);
    }
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_object())
        if (const auto student = doc.find("student"); student != doc.end() && student->is_string() &&
                                                        !student->get<std::string>().empty())
            file.student = student->get<std::string>();
    if (doc.is_object() && doc.contains("labs") && doc["labs"].is_array()) {
        file.state = read_status_report(doc);
        file.signature = SignatureCheck::Unsigned;  // a report, not the signed file
    } else {
        file.state = read_lab_state(text, verification_keys(path));
        if (file.state)
            file.signature = file.state->signature;
    }
    if (!file.state)
        file.problem = text.empty() ? "damaged: the file is empty" : "damaged: not a vmctl progress file";
    return file;
}

std::vector<std::string> progress_files_under(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return {path};
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->path().extension() == ".json" && it->is_regular_file(ec))
            files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    return files;
}

LocalSources this_machine(const std::string& own_state) {
    LocalSources sources;
    sources.root = ::geteuid() == 0;
    sources.own_state = own_state;
    sources.student = student_name();
    // Where `sudo vmctl` keeps each student's progress (lab_state.h).
    sources.students_dir = sudo_progress_dir(host::system_data_dir());
    if (sources.root) {
        sources.root_state = host::system_data_dir() + "/labs/state.json";
        ::setpwent();
        while (const passwd* pw = ::getpwent())
            if (pw->pw_uid >= 1000 && pw->pw_uid != 65534 && pw->pw_dir != nullptr)  // 65534: nobody
                sources.homes.emplace_back(pw->pw_dir);
        ::endpwent();
    }
    return sources;
}

std::vector<std::string> local_progress_files(const LocalSources& sources) {
    std::vector<std::string> candidates{sources.own_state};
    std::error_code ec;
    if (sources.root) {
        if (!sources.root_state.empty())
            candidates.push_back(sources.root_state);
        for (const auto& home : sources.homes)
            candidates.push_back(home + "/.local/share/vmctl/labs/state.json");
        if (fs::is_directory(sources.students_dir, ec))
            for (const auto& entry : fs::directory_iterator(sources.students_dir, ec))
                if (entry.path().extension() == ".json")
                    candidates.push_back(entry.path().string());
    } else if (!sources.student.empty()) {
        candidates.push_back(sources.students_dir + "/" + sources.student + ".json");
    }
    std::vector<std::string> files;
    std::set<std::string> seen;
    for (const auto& c : candidates) {
        const std::string key = fs::weakly_canonical(c, ec).string();
        if (fs::is_regular_file(c, ec) && seen.insert(ec ? c : key).second)
            files.push_back(c);
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<LabColumns> lab_columns(const std::vector<Lab>& labs) {
    std::vector<LabColumns> columns;
    for (const auto& l : labs) {
        LabColumns lab{l.id, l.title, {}};
        for (const auto& step : l.steps)
            lab.steps.push_back(step.title);
        columns.push_back(std::move(lab));
    }
    return columns;
}

Collection collect_this_machine(std::vector<LabColumns> labs, const std::string& own_state) {
    std::vector<ProgressFile> files;
    for (const auto& path : local_progress_files(this_machine(own_state)))
        files.push_back(read_progress_file(path, FileOrigin::ThisMachine));
    return collect_progress(std::move(labs), std::move(files));
}

Collection collect_progress(std::vector<LabColumns> labs, std::vector<ProgressFile> files) {
    Collection c;
    std::map<std::string, StudentRow> rows;
    std::set<std::string> known;
    for (const auto& l : labs)
        known.insert(l.id);
    std::map<std::string, std::size_t> unknown_steps;  // labs the files name that are not here
    for (const auto& f : files) {
        StudentRow& row = rows[f.student];
        row.student = f.student;
        row.files.push_back(f.path);
        if (!f.state)
            continue;
        ++row.files_read;
        if (signature_check_severity(f.signature) > signature_check_severity(row.signature))
            row.signature = f.signature;
        for (const auto& [id, p] : f.state->labs) {
            const auto had = row.labs.find(id);
            if (had == row.labs.end() || more_progress(p, had->second))
                row.labs[id] = p;
            if (!known.count(id))
                unknown_steps[id] = std::max(unknown_steps[id], p.step + (p.finished_at.empty() ? 1 : 0));
        }
    }
    for (const auto& [id, steps] : unknown_steps) {
        LabColumns l{id, "(not a lab on this machine)", {}};
        for (std::size_t i = 0; i < steps; ++i)
            l.steps.push_back(fmt::format("step {}", i + 1));
        labs.push_back(l);
    }
    c.labs = std::move(labs);
    for (auto& [name, row] : rows)
        c.students.push_back(std::move(row));
    c.files = std::move(files);
    return c;
}

StepCell step_cell(const StudentRow& student, const LabColumns& lab, std::size_t step) {
    StepCell cell;
    const auto found = student.labs.find(lab.id);
    if (found == student.labs.end())
        return cell;
    const LabProgress& p = found->second;
    if (step < p.step) {
        cell.state = StepCell::State::Done;
        for (const auto& r : p.history) {
            if (r.step != step)
                continue;
            cell.state = r.solved_by_solution ? StepCell::State::SolvedBySolution : StepCell::State::Done;
            cell.minutes = minutes_between(r.started_at, r.finished_at);
            cell.hints = r.hints_shown;
            cell.failed_checks = r.failed_checks;
            cell.last_failure = r.last_failure;
            cell.seen = r.seen;
        }
    } else if (step == p.step && p.finished_at.empty()) {
        cell.state = StepCell::State::InProgress;
        cell.hints = p.hints_shown;
        cell.failed_checks = p.failed_checks;
        cell.last_failure = p.last_failure;
    }
    return cell;
}

const char* evidence_name(const StudentRow& student) {
    return student.files_read == 0 ? "unread" : signature_check_name(student.signature);
}

const char* step_state_name(StepCell::State state) {
    switch (state) {
    case StepCell::State::NotStarted: return "not-started";
    case StepCell::State::InProgress: return "in-progress";
    case StepCell::State::Done: return "done";
    case StepCell::State::SolvedBySolution: return "solved-by-solution";
    }
    return "not-started";
}

std::vector<FailureRow> failures(const Collection& collection) {
    std::vector<FailureRow> rows;
    for (const auto& s : collection.students)
        for (const auto& l : collection.labs)
            for (std::size_t i = 0; i < l.steps.size(); ++i) {
                const StepCell cell = step_cell(s, l, i);
                if (cell.last_failure.empty())
                    continue;
                rows.push_back({s.student, l.id, i + 1, cell.state == StepCell::State::InProgress,
                                cell.failed_checks, cell.last_failure});
            }
    return rows;
}

}  // namespace vmctl::teach
