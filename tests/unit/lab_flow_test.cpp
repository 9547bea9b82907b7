#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/lab.h"
#include "vmctl/ops/labels.h"

#include <gtest/gtest.h>

#include <filesystem>

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
        lab = lab::parse_lab(kLab, "lab.yaml", "01-files");
        lab.dir = home.dir() + "/lab";
        std::filesystem::create_directories(lab.dir);
        world.env = &env;
        world.state_path = home.dir() + "/labs/state.json";
        world.checks.hypervisor = [this](const std::string&) -> Hypervisor& { return hv; };
        world.checks.migrations = [] { return std::vector<host::MigrationRecord>{}; };
        world.all_hosts = [this] { return std::vector<std::pair<std::string, Hypervisor*>>{{"local", &hv}}; };
    }

    host::LabProgress progress() { return host::load_lab_state(world.state_path).labs[lab.id]; }
    void touch(const std::string& name) { std::ofstream(lab.dir + "/" + name) << ""; }

    TempHome home;
    ops::Environment env = home.env();
    FakeHypervisor hv;
    lab::Lab lab;
    ops::LabWorld world;
};

TEST_F(LabFlowTest, AStepPassesOnlyWhenItsWorkIsDoneAndTheLabMovesOn) {
    ops::start_lab(world, lab);
    EXPECT_EQ(host::load_lab_state(world.state_path).active, "01-files");
    auto check = ops::check_step(world, lab);
    EXPECT_FALSE(check.passed);
    EXPECT_EQ(progress().step, 0u);
    touch("one");
    check = ops::check_step(world, lab);
    EXPECT_TRUE(check.passed);
    EXPECT_FALSE(check.finished);
    EXPECT_EQ(progress().step, 1u);
    touch("two");
    check = ops::check_step(world, lab);
    EXPECT_TRUE(check.finished);
    EXPECT_FALSE(progress().finished_at.empty());
}

TEST_F(LabFlowTest, HintsComeInOrderAndAreOfferedAfterThreeFailures) {
    ops::start_lab(world, lab);
    EXPECT_FALSE(ops::check_step(world, lab).suggest_hint);
    EXPECT_FALSE(ops::check_step(world, lab).suggest_hint);
    EXPECT_TRUE(ops::check_step(world, lab).suggest_hint);
    EXPECT_FALSE(ops::check_step(world, lab, /*watching=*/true).passed);
    EXPECT_EQ(progress().failed_checks, 3u);  // watching does not count
    EXPECT_EQ(ops::next_hint(world, lab)->text, "first hint");
    const auto second = ops::next_hint(world, lab);
    EXPECT_EQ(second->text, "second hint");
    EXPECT_EQ(second->number, 2u);
    EXPECT_FALSE(ops::next_hint(world, lab).has_value());
}

TEST_F(LabFlowTest, StartingAgainResumesAndAnswersAreKept) {
    ops::start_lab(world, lab);
    touch("one");
    ops::check_step(world, lab);
    ops::record_answer(world, lab, "accel", "tcg");
    const auto again = ops::start_lab(world, lab);
    EXPECT_TRUE(again.resumed);
    EXPECT_EQ(again.step, 1u);
    EXPECT_EQ(progress().answers.at("accel"), "tcg");
}

TEST_F(LabFlowTest, SolveFastForwardsThroughAStep) {
    EXPECT_EQ(ops::solve_lab(world, lab, 1), 1u);
    EXPECT_EQ(progress().step, 1u);
    EXPECT_TRUE(std::filesystem::exists(lab.dir + "/one"));
    EXPECT_FALSE(std::filesystem::exists(lab.dir + "/two"));
    EXPECT_EQ(testing::failure_kind([&] { ops::solve_lab(world, lab, 9); }), ErrorKind::InvalidArgument);
}

TEST_F(LabFlowTest, ResetRemovesTheLabsVmsPetsIncludedAndNothingElse) {
    ops::CreateOptions o;
    o.name = "lab1-web";
    o.labels = {{"lab", "01-files"}};
    o.protect = true;
    ops::create_vm(hv, env, o, [](std::string_view) {});
    o.name = "mine";
    o.labels = {};
    o.protect = false;
    ops::create_vm(hv, env, o, [](std::string_view) {});
    ops::start_lab(world, lab);
    const auto removed = ops::clean_lab(world, lab);
    EXPECT_EQ(removed, std::vector<std::string>{"local/lab1-web"});
    EXPECT_FALSE(hv.domain_exists("lab1-web"));
    EXPECT_TRUE(hv.domain_exists("mine"));
    EXPECT_TRUE(host::load_lab_state(world.state_path).active.empty());
}

TEST_F(LabFlowTest, TestPassesForAGoodLabAndKeepsTheStudentsProgress) {
    ops::start_lab(world, lab);
    ops::record_answer(world, lab, "mine", "kept");
    std::vector<std::string> lines;
    const auto report = ops::test_lab(world, lab, [&](std::string_view line) { lines.emplace_back(line); });
    EXPECT_TRUE(report.passed) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(progress().answers.at("mine"), "kept");
    EXPECT_EQ(world.state_path, home.dir() + "/labs/state.json");
}

TEST_F(LabFlowTest, TestFailsAStepThatPassesBeforeItsSolution) {
    lab.steps[1].checks[0].run = "true";
    const auto report = ops::test_lab(world, lab, [](std::string_view) {});
    EXPECT_FALSE(report.passed);
    ASSERT_FALSE(report.problems.empty());
    EXPECT_NE(report.problems.front().find("step 2"), std::string::npos) << report.problems.front();
    EXPECT_NE(report.problems.front().find("before its solution"), std::string::npos);
}

TEST_F(LabFlowTest, TestFailsAWrongSolutionAndAStepWithoutHints) {
    lab.steps[0].solution = "true";
    lab.steps[1].hints.clear();
    const auto report = ops::test_lab(world, lab, [](std::string_view) {});
    EXPECT_FALSE(report.passed);
    ASSERT_EQ(report.problems.size(), 1u);  // the hint lint stops it before any step runs
    EXPECT_NE(report.problems.front().find("no hints"), std::string::npos);
}

}  // namespace
}  // namespace vmctl
