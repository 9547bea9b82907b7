#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/ops/create.h"
#include "vmctl/teach/lab_flow.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

// Two steps whose checks look at files in the lab's folder, so the real
// shell runs the solutions without a hypervisor.
const char* kLab = R"(title: Files
slides: none
minutes: 5
setup: rm -f one two
cleanup: rm -f one two
steps:
  - title: Make one
    text: touch one
    hints: [first hint, second hint]
    checks:
      - script: {run: "test -e one"}
    solution: touch one
  - title: Make two
    text: touch two
    hints: [touch it]
    checks:
      - script: {run: "test -e two"}
    solution: touch two
)";

class LabFlowTest : public ::testing::Test {
protected:
    void SetUp() override {
        lab = teach::parse_lab(kLab, "lab.yaml", "01-files");
        lab.dir = home.dir() + "/lab";
        lab.student = "alice";
        std::filesystem::create_directories(lab.dir);
        world.env = &env;
        world.state_path = home.dir() + "/labs/state.json";
        world.checks.hypervisor = [this](const std::string&) -> Hypervisor& { return hv; };
        world.checks.migrations = [] { return std::vector<host::MigrationRecord>{}; };
        world.all_hosts = [this] { return std::vector<std::pair<std::string, Hypervisor*>>{{"local", &hv}}; };
    }

    teach::LabProgress progress() { return teach::load_lab_state(world.state_path).labs[lab.id]; }
    void touch(const std::string& name) { std::ofstream(lab.dir + "/" + name) << ""; }

    TempHome home;
    ops::Environment env = home.env();
    FakeHypervisor hv;
    teach::Lab lab;
    teach::LabWorld world;
};

TEST_F(LabFlowTest, AStepPassesOnlyWhenItsWorkIsDoneAndTheLabMovesOn) {
    teach::start_lab(world, lab);
    EXPECT_EQ(teach::load_lab_state(world.state_path).active, "01-files");
    auto check = teach::check_step(world, lab);
    EXPECT_FALSE(check.passed);
    EXPECT_EQ(progress().step, 0u);
    touch("one");
    check = teach::check_step(world, lab);
    EXPECT_TRUE(check.passed);
    EXPECT_FALSE(check.finished);
    EXPECT_EQ(progress().step, 1u);
    touch("two");
    check = teach::check_step(world, lab);
    EXPECT_TRUE(check.finished);
    EXPECT_FALSE(progress().finished_at.empty());
}

TEST_F(LabFlowTest, HintsComeInOrderAndAreOfferedAfterThreeFailures) {
    teach::start_lab(world, lab);
    EXPECT_FALSE(teach::check_step(world, lab).suggest_hint);
    EXPECT_FALSE(teach::check_step(world, lab).suggest_hint);
    EXPECT_TRUE(teach::check_step(world, lab).suggest_hint);
    EXPECT_FALSE(teach::check_step(world, lab, /*watching=*/true).passed);
    EXPECT_EQ(progress().failed_checks, 3u);  // watching does not count
    EXPECT_EQ(teach::next_hint(world, lab)->text, "first hint");
    const auto second = teach::next_hint(world, lab);
    EXPECT_EQ(second->text, "second hint");
    EXPECT_EQ(second->number, 2u);
    EXPECT_FALSE(teach::next_hint(world, lab).has_value());
}

// The instructor's evidence: each finished step keeps its times, its failed
// checks with the last reason, its hints, and whether `lab solve` did it.
TEST_F(LabFlowTest, EachFinishedStepKeepsItsEvidence) {
    teach::start_lab(world, lab);
    teach::check_step(world, lab);
    teach::check_step(world, lab);
    teach::next_hint(world, lab);
    touch("one");
    teach::check_step(world, lab);
    teach::solve_lab(world, lab, 2);
    const teach::LabProgress p = progress();
    ASSERT_EQ(p.history.size(), 2u);
    EXPECT_EQ(p.history[0].step, 0u);
    EXPECT_EQ(p.history[0].failed_checks, 2u);
    EXPECT_EQ(p.history[0].hints_shown, 1u);
    EXPECT_FALSE(p.history[0].solved_by_solution);
    EXPECT_NE(p.history[0].last_failure.find("the lab's own check passes"), std::string::npos)
        << p.history[0].last_failure;
    EXPECT_FALSE(p.history[0].started_at.empty());
    EXPECT_LE(p.history[0].started_at, p.history[0].finished_at);
    EXPECT_EQ(p.history[1].step, 1u);
    EXPECT_TRUE(p.history[1].solved_by_solution);
    EXPECT_EQ(p.history[1].failed_checks, 0u);
    EXPECT_EQ(p.failed_checks, 0u);  // the counts of a new step start at zero
    EXPECT_TRUE(p.last_failure.empty());
}

TEST_F(LabFlowTest, StartingAgainResumesAndAnswersAreKept) {
    teach::start_lab(world, lab);
    touch("one");
    teach::check_step(world, lab);
    teach::record_answer(world, lab, "accel", "tcg");
    const auto again = teach::start_lab(world, lab);
    EXPECT_TRUE(again.resumed);
    EXPECT_EQ(again.step, 1u);
    EXPECT_EQ(progress().answers.at("accel"), "tcg");
}

TEST_F(LabFlowTest, SolveFastForwardsThroughAStep) {
    EXPECT_EQ(teach::solve_lab(world, lab, 1), 1u);
    EXPECT_EQ(progress().step, 1u);
    // The record keeps what the step's checks saw when it passed.
    ASSERT_EQ(progress().history.size(), 1u);
    ASSERT_EQ(progress().history[0].seen.size(), 1u);
    EXPECT_EQ(progress().history[0].seen[0], "the lab's own check passes");
    EXPECT_TRUE(std::filesystem::exists(lab.dir + "/one"));
    EXPECT_FALSE(std::filesystem::exists(lab.dir + "/two"));
    EXPECT_EQ(testing::failure_kind([&] { teach::solve_lab(world, lab, 9); }), ErrorKind::InvalidArgument);
}

// Students share a machine (and, under sudo, root's libvirt): a reset
// removes the lab's VMs of this student only.
TEST_F(LabFlowTest, ResetRemovesTheStudentsLabVmsPetsIncludedAndNothingElse) {
    ops::CreateOptions o;
    o.name = "alice-lab1-web";
    o.labels = {{"lab", "01-files"}, {"student", "alice"}};
    o.protect = true;
    ops::create_vm(hv, env, o, [](std::string_view) {});
    o.name = "bob-lab1-web";
    o.labels = {{"lab", "01-files"}, {"student", "bob"}};
    ops::create_vm(hv, env, o, [](std::string_view) {});
    o.name = "mine";
    o.labels = {};
    o.protect = false;
    ops::create_vm(hv, env, o, [](std::string_view) {});
    teach::start_lab(world, lab);
    EXPECT_EQ(teach::lab_vms(world, lab), std::vector<std::string>{"local/alice-lab1-web"});
    const auto removed = teach::clean_lab(world, lab);
    EXPECT_EQ(removed, std::vector<std::string>{"local/alice-lab1-web"});
    EXPECT_FALSE(hv.domain_exists("alice-lab1-web"));
    EXPECT_TRUE(hv.domain_exists("bob-lab1-web"));
    EXPECT_TRUE(hv.domain_exists("mine"));
    EXPECT_TRUE(teach::load_lab_state(world.state_path).active.empty());
}

TEST_F(LabFlowTest, TestPassesForAGoodLabAndKeepsTheStudentsProgress) {
    teach::start_lab(world, lab);
    teach::record_answer(world, lab, "mine", "kept");
    std::vector<std::string> lines;
    const auto report = teach::test_lab(world, lab, [&](std::string_view line) { lines.emplace_back(line); });
    EXPECT_TRUE(report.passed) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(progress().answers.at("mine"), "kept");
    EXPECT_EQ(world.state_path, home.dir() + "/labs/state.json");
}

TEST_F(LabFlowTest, TestFailsAStepThatPassesBeforeItsSolution) {
    // Step 2's check made true from the start, as a lab author's slip would.
    std::string always = kLab;
    always.replace(always.find("test -e two"), 11, "true");
    lab.steps = std::move(teach::parse_lab(always, "lab.yaml", "01-files").steps);
    const auto report = teach::test_lab(world, lab, [](std::string_view) {});
    EXPECT_FALSE(report.passed);
    ASSERT_FALSE(report.problems.empty());
    EXPECT_NE(report.problems.front().find("step 2"), std::string::npos) << report.problems.front();
    EXPECT_NE(report.problems.front().find("before its solution"), std::string::npos);
}

TEST_F(LabFlowTest, TestFailsAWrongSolutionAndAStepWithoutHints) {
    lab.steps[0].solution = "true";
    lab.steps[1].hints.clear();
    const auto report = teach::test_lab(world, lab, [](std::string_view) {});
    EXPECT_FALSE(report.passed);
    ASSERT_EQ(report.problems.size(), 1u);  // the hint lint stops it before any step runs
    EXPECT_NE(report.problems.front().find("no hints"), std::string::npos);
}

// Labs keep the student's files in a work folder of the user's own (never a
// fixed name under /tmp that another user could make first, with a link in
// it): made afresh and private at the start, named in the text, removed by reset.
TEST(LabWorkFolder, IsPrivateFreshAndNamedInTheTextAndAPlantedLinkIsNotFollowed) {
    TempHome home;
    const ops::Environment env = home.env();
    const std::string labs = home.dir() + "/labs-src";
    std::filesystem::create_directories(labs + "/01-files");
    std::ofstream(labs + "/01-files/lab.yaml") << R"(title: Files
slides: none
minutes: 5
setup: echo "$VMCTL_STUDENT" > "$VMCTL_LAB_WORK/notes.txt"
steps:
  - title: Read it
    text: "cd {work} and read notes.txt, $student"
    hints: ["it is in {work}"]
    checks:
      - script: {run: "test -e \"$VMCTL_LAB_WORK/notes.txt\""}
    solution: "true"
)";
    const std::string work_root = home.dir() + "/work";
    const auto loaded = teach::load_labs(labs, work_root, "alice");
    ASSERT_EQ(loaded.size(), 1u);
    const teach::Lab& lab = loaded.front();
    const std::string work = work_root + "/01-files";
    EXPECT_EQ(lab.work_dir, work);
    EXPECT_EQ(lab.steps[0].text, "cd " + work + " and read notes.txt, alice");
    EXPECT_EQ(lab.steps[0].hints[0], "it is in " + work);

    // What an earlier run (or anyone) left there: a link to a file elsewhere.
    const std::string victim = home.dir() + "/victim";
    std::ofstream(victim) << "precious";
    std::filesystem::create_directories(work);
    std::filesystem::create_symlink(victim, work + "/notes.txt");

    FakeHypervisor hv;
    teach::LabWorld world;
    world.env = &env;
    world.state_path = home.dir() + "/labs/state.json";
    world.checks.hypervisor = [&](const std::string&) -> Hypervisor& { return hv; };
    world.all_hosts = [&] { return std::vector<std::pair<std::string, Hypervisor*>>{{"local", &hv}}; };
    teach::start_lab(world, lab);
    EXPECT_EQ(host::read_file_or(victim, ""), "precious");
    EXPECT_FALSE(std::filesystem::is_symlink(work + "/notes.txt"));
    EXPECT_EQ(host::read_file_or(work + "/notes.txt", ""), "alice\n");
    EXPECT_EQ(std::filesystem::status(work).permissions(), std::filesystem::perms::owner_all);

    teach::clean_lab(world, lab);
    EXPECT_FALSE(std::filesystem::exists(work));
    EXPECT_FALSE(std::filesystem::exists(work_root)) << "the student's folder goes once it is empty";
    EXPECT_EQ(host::read_file_or(victim, ""), "precious");
}

// No lab or demo of the course names a fixed path under /tmp: root runs them.
TEST(LabWorkFolder, NoLabOrDemoUsesAFixedPathUnderTmp) {
    const std::filesystem::path source = std::filesystem::path(VMCTL_TEST_DATA) / ".." / "..";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(source / "labs"))
        if (entry.path().extension() == ".yaml" || entry.path().extension() == ".sh")
            files.push_back(entry.path());
    for (const auto& entry : std::filesystem::directory_iterator(source / "scripts" / "demos"))
        files.push_back(entry.path());
    ASSERT_GT(files.size(), 10u);
    for (const auto& file : files)
        EXPECT_EQ(host::read_file_or(file.string(), "").find("/tmp/"), std::string::npos) << file;
}

// A prediction is asked in step 1 and compared in step 2: `lab answer`
// keeps it without judging it, refuses a value that cannot be one, and
// refuses a new one once step 1 is past (its result may have shown).
const char* kPredictLab = R"(title: Guess
slides: none
minutes: 5
setup: rm -f one
cleanup: rm -f one
steps:
  - title: Predict
    text: Will the file be there?
    hints: [guess]
    checks:
      - predict: {key: there, options: {yes: "you will make it", no: "nothing makes it"}}
    solution: "true"
  - title: See
    text: touch one
    hints: [touch it]
    checks:
      - script: {run: "test -e one"}
      - predict:
          key: there
          actual_command: "if test -e one; then echo yes; else echo no; fi"
          options: {yes: "you will make it", no: "nothing makes it"}
    solution: touch one
)";

TEST_F(LabFlowTest, APredictionIsKeptUnjudgedAndClosedOnceItsStepIsPast) {
    lab.steps = std::move(teach::parse_lab(kPredictLab, "lab.yaml", "01-files").steps);
    teach::start_lab(world, lab);
    EXPECT_FALSE(teach::check_step(world, lab).passed);
    EXPECT_EQ(testing::failure_kind([&] { teach::record_answer(world, lab, "there", "maybe"); }),
              ErrorKind::InvalidArgument);
    EXPECT_TRUE(teach::record_answer(world, lab, "there", "no"));
    EXPECT_TRUE(teach::record_answer(world, lab, "there", "yes"));  // changed on the step that asks: still before
    EXPECT_FALSE(teach::record_answer(world, lab, "other", "42"));  // not a prediction
    const auto asked = teach::check_step(world, lab);
    ASSERT_TRUE(asked.passed);
    EXPECT_EQ(asked.results[0].what, "prediction 'there' recorded (yes): you will see in the next step");

    EXPECT_EQ(testing::failure_kind([&] { teach::record_answer(world, lab, "there", "no"); }),
              ErrorKind::InvalidState);
    EXPECT_EQ(progress().answers.at("there"), "yes");
    EXPECT_EQ(progress().answered_in.at("there"), 0u);
    EXPECT_EQ(progress().answered_in.at("other"), 0u);

    touch("one");
    const auto seen = teach::check_step(world, lab);
    ASSERT_TRUE(seen.passed) << seen.results[1].reason;
    EXPECT_EQ(seen.results[1].what, "you predicted 'yes', and so it was: you will make it");
}

// A prediction asked and compared in one step counts never: `lab test`
// catches the lab author's slip.
TEST_F(LabFlowTest, TestFailsAPredictionComparedOnTheStepThatAsksIt) {
    lab.steps = std::move(teach::parse_lab(kPredictLab, "lab.yaml", "01-files").steps);
    lab.steps.erase(lab.steps.begin());
    lab.steps[0].solution = "touch one";
    const auto report = teach::test_lab(world, lab, [](std::string_view) {});
    EXPECT_FALSE(report.passed);
}

// The course's own labs, read as `vmctl lab` reads them: every one parses,
// an outro that tells how to clean up gives the command that only cleans
// ('lab reset NN' alone starts the lab again: its setup runs once more), and
// no text or hint sends a student to the machine's shared libvirt.
TEST(CourseLabs, ParseCleanUpWithoutStartingAgainAndKeepStudentsOnTheirOwnConnection) {
    TempHome home;
    const auto labs = teach::load_labs(std::string(VMCTL_TEST_DATA) + "/../../labs", home.dir() + "/work", "alice");
    EXPECT_GE(labs.size(), 9u);
    const std::regex restarts(R"(lab reset [0-9]+')");
    // A student's commands go to their own connection, as vmctl's do: a text
    // that sends them to the machine's shared one could touch other students' VMs.
    const std::regex shared_connection(R"(-c +qemu:///system|--connect[ =]qemu:///system)");
    for (const auto& lab : labs) {
        EXPECT_FALSE(std::regex_search(lab.outro, restarts)) << lab.id << ": say 'vmctl lab reset NN --clean-only'";
        for (const auto& step : lab.steps) {
            EXPECT_FALSE(std::regex_search(step.text, shared_connection)) << lab.id << ": " << step.title;
            for (const auto& hint : step.hints)
                EXPECT_FALSE(std::regex_search(hint, shared_connection)) << lab.id << ": " << hint;
        }
    }
}

// The words of the trade are explained in plain words where a student
// first meets them, in course order (each lab's intro, then its steps):
// the sentence of the first use glosses the term in a parenthesis after it,
// "the *balloon* (a virtio driver in the guest)", or opens one with it,
// "(TCG, the Tiny Code Generator: ...)". Command lines (indented four
// spaces) are not prose and do not count. And no step is longer than a
// screen. Labs 01 to 05 for now: 06 and later are being rewritten.
TEST(CourseLabs, JargonIsGlossedWhereItFirstAppearsAndNoStepIsLongerThanAScreen) {
    TempHome home;
    auto labs = teach::load_labs(std::string(VMCTL_TEST_DATA) + "/../../labs", home.dir() + "/work", "alice");
    ASSERT_EQ(labs.size(), 10u);
    struct Place {
        std::string where;
        std::string text;  // prose only: command lines blanked
    };
    std::vector<Place> course;
    const auto prose = [](const std::string& text) {
        std::istringstream in(text);
        std::string out;
        for (std::string line; std::getline(in, line);)
            out += (line.rfind("    ", 0) == 0 ? "" : line) + "\n";
        return out;
    };
    for (const auto& lab : labs) {
        course.push_back({lab.id + " intro", prose(lab.intro)});
        for (std::size_t i = 0; i < lab.steps.size(); ++i) {
            const std::string& text = lab.steps[i].text;
            const auto lines = std::count(text.begin(), text.end(), '\n') + (text.empty() || text.back() == '\n' ? 0 : 1);
            EXPECT_LE(lines, 22) << lab.id << " step " << i + 1 << " (" << lab.steps[i].title
                                 << ") is longer than a screen: split it or say less";
            course.push_back({fmt::format("{} step {}", lab.id, i + 1), prose(text)});
        }
    }
    const std::vector<std::pair<std::string, std::regex>> terms{
        {"TCG", std::regex(R"(\bTCG\b)")},
        {"virtio", std::regex(R"(\bvirtio\b)")},
        {"namespace", std::regex(R"(\bnamespaces?\b)", std::regex::icase)},
        {"cgroup", std::regex(R"(\bcgroups?\b)", std::regex::icase)},
        {"balloon", std::regex(R"(\bballoon\b)", std::regex::icase)},
        {"hot-plug", std::regex(R"(\bhot-?plug(ged|s)?\b)", std::regex::icase)},
        {"qcow2", std::regex(R"(\bqcow2\b)")},
        {"overlay", std::regex(R"(\boverlays?\b)", std::regex::icase)},
    };
    const auto sentence_end = [](const std::string& t, std::size_t from) {
        for (std::size_t i = from; i < t.size(); ++i) {
            if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 == t.size() || std::isspace(static_cast<unsigned char>(t[i + 1]))))
                return i;
            if (t[i] == '\n' && i + 1 < t.size() && t[i + 1] == '\n')
                return i;
        }
        return t.size();
    };
    for (const auto& [term, pattern] : terms) {
        const Place* first = nullptr;
        std::smatch found;
        for (const auto& place : course)
            if (std::regex_search(place.text, found, pattern)) {
                first = &place;
                break;
            }
        ASSERT_NE(first, nullptr) << term << " is used nowhere in the course";
        const std::string& t = first->text;
        const auto at = static_cast<std::size_t>(found.position(0));
        const auto after = at + static_cast<std::size_t>(found.length(0));
        const std::size_t end = sentence_end(t, after);
        const bool followed = t.find('(', after) < end;
        std::size_t open = at;
        while (open > 0 && (t[open - 1] == '*' || t[open - 1] == '`'))
            --open;
        std::size_t next = after;
        while (next < t.size() && (t[next] == '*' || t[next] == '`'))
            ++next;
        const bool opens = open > 0 && t[open - 1] == '(' && next < t.size() && (t[next] == ',' || t[next] == ':');
        std::size_t begin = at;
        while (begin > 0 && sentence_end(t, begin - 1) >= at)
            --begin;
        EXPECT_TRUE(followed || opens) << first->where << " uses '" << term << "' first, without a gloss in its sentence: \""
                                       << t.substr(begin, end - begin + 1) << "\"; write e.g. '" << term
                                       << " (in plain words ...)'";
    }
}

// Every VM, disk, deployment and host-side name a course lab makes starts
// with the student's name, so two students never ask for the same one.
TEST(CourseLabs, NameEveryVmAfterTheStudent) {
    const std::filesystem::path labs = std::filesystem::path(VMCTL_TEST_DATA) / ".." / ".." / "labs";
    const std::regex bare(R"((^|[^a-z0-9$-])(lab[0-9]+-[a-z]))");
    unsigned named = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(labs)) {
        if (entry.path().filename() != "lab.yaml")
            continue;
        const std::string text = host::read_file_or(entry.path().string(), "");
        std::istringstream lines(text);
        std::string line;
        for (unsigned number = 1; std::getline(lines, line); ++number) {
            EXPECT_FALSE(std::regex_search(line, bare)) << entry.path() << ":" << number << ": write $student-" << line;
            named += line.find("$student-lab") != std::string::npos ? 1 : 0;
        }
    }
    EXPECT_GT(named, 100u);
}

}  // namespace
}  // namespace vmctl
