#include "vmctl/teach/lab_flow.h"

#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"
#include "vmctl/host/files.h"
#include "vmctl/host/host_facts.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/labels.h"
#include "vmctl/teach/checks/predict.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace vmctl::teach {
namespace {

namespace fs = std::filesystem;

LabState load_state(const LabWorld& world) { return load_lab_state(world.state_path); }

// Runs a script that must succeed (setup, a solution); throws with its last line.
void run_required(LabWorld& world, const Lab& lab, const std::string& script, const std::string& what) {
    if (host::trim(script).empty())
        return;
    const host::ShellResult result = run_lab_script(lab, script, world.script_output);
    if (result.timed_out)
        throw Error(ErrorKind::Timeout, fmt::format("lab {}: the {} took longer than 10 minutes", lab.id, what),
                    fmt::format("run 'vmctl lab reset {}' and try again", lab.id));
    if (result.exit_code != 0)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("lab {}: the {} failed (exit {}): {}", lab.id, what, result.exit_code,
                                host::last_line(result.output)),
                    fmt::format("fix what it says, then run 'vmctl lab reset {}'", lab.id));
}

// The check environment with this lab's progress and scripts.
CheckEnvironment checks_for(const LabWorld& world, const Lab& lab, const LabProgress& progress,
                            bool patient) {
    CheckEnvironment env = world.checks;
    env.progress = &progress;
    env.patient = patient;
    env.slowness = std::clamp(host::load_per_cpu(), 1.0, 8.0);
    env.student = lab.student;
    env.run_script = [&lab, limit = std::chrono::seconds(static_cast<long>(120 * env.slowness))](
                         const std::string& script) { return run_lab_script(lab, script, nullptr, limit); };
    return env;
}

// Points VMCTL_LAB_STATE (ours and our children's) at a file for the length of a scope.
class StateFileScope {
public:
    StateFileScope(LabWorld& world, std::string path) : m_world(world), m_saved_path(world.state_path) {
        if (const char* old = std::getenv("VMCTL_LAB_STATE"))
            m_saved_env = old;
        ::setenv("VMCTL_LAB_STATE", path.c_str(), 1);
        m_world.state_path = std::move(path);
    }
    ~StateFileScope() {
        std::error_code ec;
        fs::remove(m_world.state_path, ec);
        fs::remove(m_world.state_path + ".lock", ec);
        m_world.state_path = m_saved_path;
        if (m_saved_env)
            ::setenv("VMCTL_LAB_STATE", m_saved_env->c_str(), 1);
        else
            ::unsetenv("VMCTL_LAB_STATE");
    }
    StateFileScope(const StateFileScope&) = delete;
    StateFileScope& operator=(const StateFileScope&) = delete;

private:
    LabWorld& m_world;
    std::string m_saved_path;
    std::optional<std::string> m_saved_env;
};

// Closes the current step into the history, with what its checks saw
// (`passed`), and moves on to the next.
void advance(LabProgress& progress, const Lab& lab, const std::vector<CheckResult>& passed,
             bool by_solution = false) {
    StepRecord done;
    done.step = progress.step;
    done.started_at = progress.step_started_at;
    done.finished_at = ops::now_iso8601();
    done.failed_checks = progress.failed_checks;
    done.hints_shown = progress.hints_shown;
    done.solved_by_solution = by_solution;
    done.last_failure = progress.last_failure;
    for (const auto& r : passed)
        done.seen.push_back(r.what);
    progress.history.push_back(done);
    ++progress.step;
    progress.failed_checks = 0;
    progress.hints_shown = 0;
    progress.last_failure.clear();
    progress.step_started_at = done.finished_at;
    if (progress.step >= lab.steps.size())
        progress.finished_at = progress.step_started_at;
}

// "{work}" in a text the student reads becomes the lab's work folder.
void name_work_dir(Lab& lab) {
    const auto fill = [&](std::string& text) {
        for (std::size_t at; (at = text.find("{work}")) != std::string::npos;)
            text.replace(at, 6, lab.work_dir);
    };
    fill(lab.intro);
    fill(lab.outro);
    for (Step& step : lab.steps) {
        fill(step.text);
        for (std::string& hint : step.hints)
            fill(hint);
        for (auto& check : step.checks)
            fill(check->because);
    }
}

// A mount point inside `dir` (a container's /proc, a bind mount): deleting
// the folder would reach through it. Empty when there is none.
std::string mount_under(const std::string& dir) {
    std::istringstream mounts(host::read_file_or("/proc/self/mountinfo", ""));
    const std::string inside = dir + "/";
    for (std::string line; std::getline(mounts, line);) {
        std::istringstream fields(line);
        std::string id, parent, device, root, point;
        fields >> id >> parent >> device >> root >> point;
        if (point.rfind(inside, 0) == 0)
            return point;
    }
    return {};
}

// A new start of the lab gets an empty work folder: nothing an earlier run
// (or anyone) left in it is used.
void fresh_work_dir(const Lab& lab) {
    if (lab.work_dir.empty())
        return;
    if (const std::string mount = mount_under(lab.work_dir); !mount.empty())
        throw Error(ErrorKind::InvalidState, fmt::format("lab {}: {} is still mounted in its folder", lab.id, mount),
                    fmt::format("stop what uses it (a container of the lab?), or 'umount {}', then try again", mount));
    std::error_code ec;
    fs::remove_all(lab.work_dir, ec);  // a link in its place goes, not what it points to
    host::make_private_dir(lab.work_dir);
}

// The VMs on one host that this lab made for its student.
std::vector<DomainSummary> students_lab_vms(Hypervisor& hv, const Lab& lab) {
    auto vms = ops::select_by_label(hv, kLabLabelKey, lab.id);
    std::erase_if(vms, [&](const DomainSummary& vm) {
        return !ops::has_label(vm.metadata.labels, kStudentLabelKey, lab.student);
    });
    return vms;
}

// Whether the state's active lab is started and not finished.
bool in_progress(const LabState& state) {
    const auto active = state.labs.find(state.active);
    return active != state.labs.end() && active->second.finished_at.empty();
}

std::string results_text(const std::vector<CheckResult>& results) {
    std::string text;
    for (const auto& r : results)
        if (!r.passed)
            text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", r.what, r.reason);
    return text;
}

}  // namespace

std::string labs_dir() {
    if (const char* dir = std::getenv("VMCTL_LABS"); dir != nullptr && *dir != '\0')
        return dir;
    return host::source_dir() + "/labs";
}

std::vector<Lab> load_labs(const std::string& dir, const std::string& work_root, const std::string& student) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorKind::NotFound, fmt::format("there is no labs folder at {}", dir),
                    "set VMCTL_LABS to the folder that holds the NN-name/lab.yaml folders");
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "lab.yaml"))
            folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    std::vector<Lab> labs;
    for (const auto& folder : folders) {
        const std::string file = (folder / "lab.yaml").string();
        Lab parsed = parse_lab(with_student_values(host::read_file_or(file, ""), student, folder.filename().string()), file,
                               folder.filename().string());
        parsed.dir = folder.string();
        parsed.student = student;
        parsed.work_dir = work_root + "/" + parsed.id;
        name_work_dir(parsed);
        labs.push_back(std::move(parsed));
    }
    return labs;
}

const Lab& find_lab(const std::vector<Lab>& labs, const std::string& id) {
    for (const auto& l : labs)
        if (lab_id_matches(l.id, id))
            return l;
    // A typo of an id or of its name part ("flies" for "01-files").
    std::vector<std::string> names;
    for (const auto& l : labs) {
        names.push_back(l.id);
        names.push_back(l.id.substr(l.id.find('-') + 1));
    }
    std::string hint = "see 'vmctl lab list'";
    if (auto close = closest_match(id, names)) {
        const auto it = std::find(names.begin(), names.end(), *close);
        const std::string& lab_id = labs[static_cast<std::size_t>(it - names.begin()) / 2].id;
        hint = fmt::format("did you mean '{}'? ({})", lab_id, hint);
    }
    throw Error(ErrorKind::NotFound, fmt::format("there is no lab '{}'", id), hint);
}

host::ShellResult run_lab_script(const Lab& lab, const std::string& script,
                                 const std::function<void(std::string_view)>& on_output,
                                 std::chrono::seconds timeout) {
    host::ShellOptions options;
    options.directory = lab.dir;
    options.timeout = timeout;
    options.on_output = on_output;
    options.env["PATH"] = host::path_with_own_binary();
    options.env["VMCTL_LAB"] = lab.id;
    options.env["VMCTL_LAB_DIR"] = lab.dir;
    options.env["VMCTL_STUDENT"] = lab.student;
    if (!lab.work_dir.empty()) {
        options.env["VMCTL_LAB_WORK"] = lab.work_dir;
        host::make_private_dir(lab.work_dir);
    }
    return host::run_shell("set -e\n" + script, options);
}

StartResult start_lab(LabWorld& world, const Lab& lab) {
    LabState state = load_state(world);
    StartResult result;
    const auto existing = state.labs.find(lab.id);
    if (existing != state.labs.end() && existing->second.finished_at.empty()) {
        state.active = lab.id;
        save_lab_state(world.state_path, state);
        result.resumed = true;
        result.step = existing->second.step;
        return result;
    }
    LabProgress progress;
    progress.started_at = ops::now_iso8601();
    progress.step_started_at = progress.started_at;
    state.active = lab.id;
    state.labs[lab.id] = progress;
    // Saved before the setup, so that what the setup creates carries the lab's label.
    save_lab_state(world.state_path, state);
    fresh_work_dir(lab);
    run_required(world, lab, lab.setup, "setup");
    return result;
}

ActiveLab active_lab(const LabWorld& world, const std::vector<Lab>& labs) {
    const LabState state = load_state(world);
    // A lab started with sudo keeps its progress in root's folder, which the
    // student can read: when it is the one in progress, its commands need sudo too.
    if (!host::is_root() && !labs.empty() && !in_progress(state)) {
        // Read only: root's file is not the student's to set aside.
        const auto as_root = read_lab_state(
            host::read_file_or(sudo_progress_path(host::system_data_dir(), labs.front().student), ""), {});
        if (as_root && in_progress(*as_root))
            throw Error(ErrorKind::InvalidState,
                        fmt::format("lab {} was started with sudo, and runs as root", as_root->active),
                        "give its commands with sudo too: e.g. 'sudo vmctl lab check'");
    }
    if (state.active.empty())
        throw Error(ErrorKind::NotFound, "no lab is started", "pick one in 'vmctl lab list', then 'vmctl lab start ID'");
    ActiveLab active;
    active.lab = &find_lab(labs, state.active);
    if (auto p = state.labs.find(state.active); p != state.labs.end())
        active.progress = p->second;
    return active;
}

StepCheck check_step(LabWorld& world, const Lab& lab, bool watching) {
    LabState state = load_state(world);
    LabProgress& progress = state.labs[lab.id];
    StepCheck check;
    check.step = progress.step;
    if (progress.step >= lab.steps.size()) {
        check.passed = true;
        check.finished = true;
        return check;
    }
    check.results = evaluate_checks(lab.steps[progress.step].checks, checks_for(world, lab, progress, !watching));
    check.passed = all_passed(check.results);
    // The checks took a while: apply the outcome to the progress as it is
    // now (an answer may have come in meanwhile), under the file's lock.
    update_lab_state(world.state_path, [&](LabState& now) {
        LabProgress& p = now.labs[lab.id];
        if (p.step != check.step)
            return;  // another vmctl moved the lab on meanwhile
        if (check.passed) {
            advance(p, lab, check.results);
            check.finished = p.step >= lab.steps.size();
        } else if (!watching) {
            ++p.failed_checks;
            p.last_failure = results_text(check.results);
            check.suggest_hint = p.failed_checks >= 3 && p.hints_shown < lab.steps[check.step].hints.size();
        }
    });
    return check;
}

std::optional<Hint> next_hint(LabWorld& world, const Lab& lab) {
    LabState state = load_state(world);
    LabProgress& progress = state.labs[lab.id];
    if (progress.step >= lab.steps.size())
        return std::nullopt;
    const auto& hints = lab.steps[progress.step].hints;
    if (progress.hints_shown >= hints.size())
        return std::nullopt;
    Hint hint{progress.hints_shown + 1, hints.size(), hints[progress.hints_shown]};
    update_lab_state(world.state_path, [&](LabState& now) {
        LabProgress& p = now.labs[lab.id];
        if (p.step == progress.step)
            p.hints_shown = std::max(p.hints_shown, static_cast<decltype(p.hints_shown)>(hint.number));
    });
    return hint;
}

bool record_answer(LabWorld& world, const Lab& lab, const std::string& key, const std::string& value) {
    // The predict checks of this key, and the first step that asks for it.
    std::vector<const Prediction*> predictions;
    std::size_t asked_on = lab.steps.size();
    for (std::size_t i = 0; i < lab.steps.size(); ++i)
        for (const auto& check : lab.steps[i].checks)
            if (const Prediction* p = as_prediction(*check); p != nullptr && p->prediction_key() == key) {
                predictions.push_back(p);
                asked_on = std::min(asked_on, i);
            }
    for (const Prediction* p : predictions)
        if (auto why = p->refused(value))
            throw Error(ErrorKind::InvalidArgument, *why, "see the step's text for what to predict");
    update_lab_state(world.state_path, [&](LabState& state) {
        LabProgress& progress = state.labs[lab.id];
        if (!predictions.empty() && progress.step > asked_on)
            throw Error(ErrorKind::InvalidState,
                        fmt::format("'{}' is a prediction, asked on step {}; you are on step {}, and its result may "
                                    "have shown since",
                                    key, asked_on + 1, progress.step + 1),
                        "a prediction counts only before its result; your earlier one (if any) is kept, and "
                        "'vmctl lab reset' starts the lab over");
        progress.answers[key] = value;
        progress.answered_in[key] = progress.step;
    });
    return !predictions.empty();
}

std::vector<std::string> lab_vms(LabWorld& world, const Lab& lab) {
    std::vector<std::string> found;
    for (const auto& [name, hv] : world.all_hosts())
        for (const auto& vm : students_lab_vms(*hv, lab))
            found.push_back(fmt::format("{}/{}", name, vm.name));
    return found;
}

std::vector<std::string> clean_lab(LabWorld& world, const Lab& lab) {
    std::vector<std::string> removed;
    for (const auto& [name, hv] : world.all_hosts()) {
        for (const auto& vm : students_lab_vms(*hv, lab)) {
            ops::set_protected(*hv, vm.name, false);  // the lab made this pet; the lab removes it
            ops::delete_vm(*hv, *world.env, vm.name, true);
            removed.push_back(fmt::format("{}/{}", name, vm.name));
        }
    }
    if (!host::trim(lab.cleanup).empty()) {
        const host::ShellResult result = run_lab_script(lab, lab.cleanup, world.script_output);
        if (result.exit_code != 0)
            spdlog::warn("lab {}: the cleanup said: {}", lab.id, host::last_line(result.output));
    }
    std::error_code ec;
    if (const std::string mount = lab.work_dir.empty() ? "" : mount_under(lab.work_dir); !mount.empty())
        spdlog::warn("lab {}: {} is still mounted in its folder {}; the folder stays", lab.id, mount, lab.work_dir);
    else if (!lab.work_dir.empty()) {
        fs::remove_all(lab.work_dir, ec);
        fs::remove(fs::path(lab.work_dir).parent_path(), ec);  // the student's folder, once it is empty
    }
    LabState state = load_state(world);
    state.labs.erase(lab.id);
    if (state.active == lab.id)
        state.active.clear();
    save_lab_state(world.state_path, state);
    return removed;
}

std::size_t solve_lab(LabWorld& world, const Lab& lab, std::size_t through) {
    if (through > lab.steps.size())
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("lab {} has {} steps, not {}", lab.id, lab.steps.size(), through),
                    fmt::format("give --step between 1 and {}", lab.steps.size()));
    const std::size_t last = through == 0 ? lab.steps.size() : through;
    start_lab(world, lab);
    std::size_t solved = 0;
    for (;;) {
        LabState state = load_state(world);
        LabProgress& progress = state.labs[lab.id];
        if (progress.step >= last)
            break;
        const Step& step = lab.steps[progress.step];
        const std::size_t index = progress.step;
        // A step the student already did is not redone (its solution could
        // fail on what exists, e.g. create a VM twice).
        if (!all_passed(evaluate_checks(step.checks, checks_for(world, lab, progress, false))))
            run_required(world, lab, step.solution, fmt::format("solution of step {}", index + 1));
        state = load_state(world);  // the solution may have answered questions
        LabProgress& after = state.labs[lab.id];
        const auto results = evaluate_checks(step.checks, checks_for(world, lab, after, true));
        if (!all_passed(results))
            throw Error(ErrorKind::CheckFailed,
                        fmt::format("lab {}: after its solution, step {} still fails: {}", lab.id, index + 1,
                                    results_text(results)),
                        "the lab's reference solution is wrong; tell the course maintainers");
        advance(after, lab, results, true);
        save_lab_state(world.state_path, state);
        ++solved;
    }
    return solved;
}

LabTestReport test_lab(LabWorld& world, const Lab& lab, const std::function<void(std::string_view)>& progress) {
    LabTestReport report;
    report.lab_id = lab.id;
    const auto started = std::chrono::steady_clock::now();
    StateFileScope scope(world, fmt::format("{}/labs/test-{}-{}.json", world.env->paths.data_dir, lab.id, ::getpid()));
    auto problem = [&](std::string text) {
        progress(fmt::format("  ✗ {}", text));
        report.problems.push_back(std::move(text));
    };
    try {
        for (std::size_t i = 0; i < lab.steps.size(); ++i)
            if (lab.steps[i].hints.empty())
                problem(fmt::format("step {} has no hints; give a beginner at least one", i + 1));
        clean_lab(world, lab);  // what an earlier, interrupted run left
        progress(fmt::format("{}: setup", lab.id));
        start_lab(world, lab);
        for (std::size_t i = 0; i < lab.steps.size() && report.problems.empty(); ++i) {
            const Step& step = lab.steps[i];
            LabState state = load_state(world);
            LabProgress& p = state.labs[lab.id];
            const auto before = evaluate_checks(step.checks, checks_for(world, lab, p, false));
            if (all_passed(before)) {
                problem(fmt::format("step {} ({}) passes before its solution ran: its checks prove nothing", i + 1,
                                    step.title));
                break;
            }
            progress(fmt::format("{}: step {} unsolved as it should be; running its solution", lab.id, i + 1));
            run_required(world, lab, step.solution, fmt::format("solution of step {}", i + 1));
            state = load_state(world);  // the solution may have answered questions
            const auto after = evaluate_checks(step.checks, checks_for(world, lab, state.labs[lab.id], true));
            if (!all_passed(after)) {
                problem(fmt::format("step {} ({}) still fails after its solution: {}", i + 1, step.title,
                                    results_text(after)));
                break;
            }
            progress(fmt::format("{}: step {} ✓", lab.id, i + 1));
            // What a prediction was compared with: the maintainer sees the
            // measured outcome, which passing alone does not show.
            for (std::size_t c = 0; c < step.checks.size(); ++c)
                if (as_prediction(*step.checks[c]) != nullptr)
                    progress(fmt::format("    {}", after[c].what));
            advance(state.labs[lab.id], lab, after);
            save_lab_state(world.state_path, state);
        }
    } catch (const Error& e) {
        problem(e.what());
    }
    try {
        clean_lab(world, lab);
        for (const auto& left : lab_vms(world, lab))
            problem(fmt::format("{} is left after the cleanup", left));
    } catch (const Error& e) {
        problem(fmt::format("cleanup: {}", e.what()));
    }
    report.passed = report.problems.empty();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

}  // namespace vmctl::teach
