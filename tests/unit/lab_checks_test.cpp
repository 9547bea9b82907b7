#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/teach/lab.h"
#include "vmctl/core/pattern.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/labels.h"
#include "vmctl/teach/check.h"
#include "vmctl/ops/snapshot.h"

#include <gtest/gtest.h>

#include <fstream>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

// One predicate from its YAML, as a lab file would write it.
std::unique_ptr<teach::Check> parse_check(const std::string& yaml) {
    const std::string text = "title: t\nslides: s\nminutes: 1\nsteps:\n  - title: a\n    text: b\n    solution: c\n"
                             "    checks:\n      - " + yaml + "\n";
    return std::move(teach::parse_lab(text, "lab.yaml", "01-t").steps[0].checks[0]);
}

class LabChecksTest : public ::testing::Test {
protected:
    void SetUp() override {
        ops::CreateOptions o;
        o.name = "lab1-web";
        o.labels = {{"group", "web"}};
        ops::create_vm(hv, env, o, [](std::string_view) {});
        o.name = "lab1-db";
        o.labels = {{"group", "db"}};
        ops::create_vm(hv, env, o, [](std::string_view) {});
        progress.started_at = "2026-11-27T10:00:00Z";
        checks.hypervisor = [this](const std::string& host) -> Hypervisor& {
            if (host == "host-b")
                return other;
            if (!host.empty())
                throw Error(ErrorKind::Unreachable, "host " + host + " does not answer");
            return hv;
        };
        checks.run_script = [this](const std::string& script) {
            scripts.push_back(script);
            return script_result;
        };
        checks.migrations = [this] { return migrations; };
        checks.progress = &progress;
    }

    teach::CheckResult check(const std::string& yaml) { return teach::evaluate_check(*parse_check(yaml), checks); }

    TempHome home;
    ops::Environment env = home.env();
    FakeHypervisor hv;
    FakeHypervisor other;
    teach::LabProgress progress;
    teach::CheckEnvironment checks;
    host::ShellResult script_result;
    std::vector<std::string> scripts;
    std::vector<host::MigrationRecord> migrations;
};

TEST_F(LabChecksTest, VmPresenceAndState) {
    EXPECT_TRUE(check("vm_exists: lab1-web").passed);
    const auto missing = check("vm_exists: lab1-ghost");
    EXPECT_FALSE(missing.passed);
    EXPECT_NE(missing.reason.find("no VM named 'lab1-ghost'"), std::string::npos);
    EXPECT_FALSE(check("vm_absent: lab1-web").passed);
    EXPECT_TRUE(check("vm_absent: lab1-ghost").passed);
    EXPECT_TRUE(check("vm_state: {vm: lab1-web, state: running}").passed);
    hv.destroy_domain("lab1-web");
    const auto stopped = check("vm_state: {vm: lab1-web, state: running}");
    EXPECT_FALSE(stopped.passed);
    EXPECT_EQ(stopped.reason, "it is shut off");
    EXPECT_EQ(stopped.what, "VM 'lab1-web' is running");
}

TEST_F(LabChecksTest, SizeIsReadLive) {
    EXPECT_TRUE(check("vm_cpus: {vm: lab1-web, count: 1}").passed);
    EXPECT_FALSE(check("vm_cpus: {vm: lab1-web, count: 2}").passed);
    EXPECT_TRUE(check("vm_memory: {vm: lab1-web, size: 256M}").passed);
    checks.patient = false;  // a patient check gives the balloon 20 s to get there
    const auto bigger = check("vm_memory: {vm: lab1-web, size: 512M}");
    EXPECT_FALSE(bigger.passed);
    EXPECT_EQ(bigger.reason, "it has 256 MiB now");
}

TEST_F(LabChecksTest, LabelsAndHerds) {
    EXPECT_TRUE(check("label: {vm: lab1-web, key: group, value: web}").passed);
    EXPECT_TRUE(check("label: {vm: lab1-web, key: group}").passed);
    EXPECT_FALSE(check("label: {vm: lab1-web, key: kind, value: pet}").passed);
    ops::set_protected(hv, "lab1-web", true);
    EXPECT_TRUE(check("label: {vm: lab1-web, key: kind, value: pet}").passed);
    EXPECT_TRUE(check("vms_with_label: {label: group=web, count: 1}").passed);
    const auto herd = check("vms_with_label: {label: group=web, count: 3}");
    EXPECT_FALSE(herd.passed);
    EXPECT_NE(herd.reason.find("there is 1"), std::string::npos);
}

// Under sudo a class shares one libvirt: a count of VMs leaves out the ones
// labelled as a classmate's (lab 05's "3 VMs labelled kind=cattle" counted 12
// with 4 students), and keeps the student's own and those of no student.
TEST_F(LabChecksTest, ACountNeverIncludesAClassmatesVms) {
    ops::set_labels(hv, "lab1-web", {{"student", "alice"}}, {});
    ops::CreateOptions bobs;
    bobs.name = "bob-web";
    bobs.labels = {{"group", "web"}, {"student", "bob"}};
    ops::create_vm(hv, env, bobs, [](std::string_view) {});
    checks.student = "alice";
    EXPECT_TRUE(check("vms_with_label: {label: group=web, count: 1}").passed);
    checks.student = "bob";
    EXPECT_TRUE(check("vms_with_label: {label: group=web, count: 1}").passed);
    checks.student = "";
    EXPECT_TRUE(check("vms_with_label: {label: group=web, count: 2}").passed) << "outside a lab, every VM counts";
}

TEST_F(LabChecksTest, SnapshotsExistAndAreCurrent) {
    EXPECT_FALSE(check("snapshot_exists: {vm: lab1-web, snapshot: s1}").passed);
    ops::create_snapshot(hv, "lab1-web", "s1", "");
    ops::create_snapshot(hv, "lab1-web", "s2", "");
    EXPECT_TRUE(check("snapshot_exists: {vm: lab1-web, snapshot: s1}").passed);
    const auto current = check("snapshot_current: {vm: lab1-web, snapshot: s1}");
    EXPECT_FALSE(current.passed);
    EXPECT_EQ(current.reason, "its current snapshot is 's2'");
}

TEST_F(LabChecksTest, OtherHostsAndUnreachableOnes) {
    EXPECT_FALSE(check("vm_on_host: {vm: lab1-web, host: host-b}").passed);
    const auto silent = check("vm_on_host: {vm: lab1-web, host: host-z}");
    EXPECT_FALSE(silent.passed);  // a failed check, not an exception
    EXPECT_NE(silent.reason.find("does not answer"), std::string::npos);
}

TEST_F(LabChecksTest, MigrationsCountOnlySinceTheLabStarted) {
    migrations.push_back({"lab1-web", "host-a", "host-b", "2026-11-27T09:00:00Z", 2.0, 50, true});
    EXPECT_FALSE(check("migrated: {vm: lab1-web, to: host-b}").passed);
    migrations.push_back({"lab1-web", "host-a", "host-b", "2026-11-27T10:05:00Z", 2.0, 50, true});
    EXPECT_TRUE(check("migrated: {vm: lab1-web, to: host-b}").passed);
    EXPECT_FALSE(check("migrated: {vm: lab1-web, to: host-a}").passed);
}

TEST_F(LabChecksTest, SerialLogLinesAreFound) {
    EXPECT_TRUE(check("serial_log: {vm: lab1-web, pattern: \"vmctl-guest: ready\"}").passed);
    checks.patient = false;  // `lab test` looks once
    EXPECT_FALSE(check("serial_log: {vm: lab1-web, pattern: \"never printed\", within: 30}").passed);
}

// A lab pattern on a 100,000-character guest line crashed vmctl (std::regex
// overflowed the stack); lines are matched cut to kMaxMatchedLine.
TEST_F(LabChecksTest, AHugeGuestLineDoesNotCrashAPattern) {
    const std::string log = parse_domain_xml(hv.domain_xml("lab1-web")).serial_log;
    std::ofstream(log, std::ios::app) << std::string(100000, 'a') << "\nend of the long line\n";
    checks.patient = false;
    EXPECT_FALSE(check("serial_log: {vm: lab1-web, pattern: \"(a|b)*zq\"}").passed);
    EXPECT_TRUE(check("serial_log: {vm: lab1-web, pattern: \"(a|b)*end of\"}").passed);
    EXPECT_FALSE(search_lines(std::string(100000, 'a'), std::regex("(a|b)*c")));
    EXPECT_TRUE(search_lines("first\nsecond line\nthird", std::regex("^second")));
    EXPECT_TRUE(search_lines(std::string(10, 'a') + "c" + std::string(100000, 'a'), std::regex("(a|b)*c")));
    EXPECT_FALSE(search_lines(std::string(5000, 'a') + "c", std::regex("c")))
        << "past the cut, nothing is seen (that is the price)";
}

TEST_F(LabChecksTest, AnswersIgnoreCaseAndSpacesAndNeverRevealTheRightOne) {
    const auto none = check("answer: {key: accel, equals: tcg}");
    EXPECT_FALSE(none.passed);
    EXPECT_NE(none.reason.find("vmctl lab answer accel="), std::string::npos);
    progress.answers["accel"] = " TCG ";
    EXPECT_TRUE(check("answer: {key: accel, equals: tcg}").passed);
    progress.answers["accel"] = "kvm";
    const auto wrong = check("answer: {key: accel, equals: tcg}");
    EXPECT_FALSE(wrong.passed);
    EXPECT_EQ(wrong.reason.find("tcg"), std::string::npos);
    EXPECT_TRUE(check("answer: {key: accel, pattern: \"^(kvm|tcg)$\"}").passed);
    script_result.output = "kvm\n";
    EXPECT_TRUE(check("answer: {key: accel, equals_command: \"vmctl info x --get accelerator\"}").passed);
    EXPECT_EQ(scripts.back(), "vmctl info x --get accelerator");
}

// A question with set answers: each wrong one is told what it misses, a
// right one why it is right; more than one may be right.
TEST_F(LabChecksTest, ChoicesExplainEveryAnswerWrongOrRight) {
    const std::string yaml =
        "choice: {key: hv, right: [qemu, kvm], options: {qemu: \"QEMU runs it\", kvm: \"KVM speeds it\", "
        "libvirt: \"libvirt only manages VMs\"}}";
    const auto none = check(yaml);
    EXPECT_FALSE(none.passed);
    EXPECT_NE(none.reason.find("qemu, kvm, libvirt"), std::string::npos) << none.reason;
    progress.answers["hv"] = "libvirt";
    const auto wrong = check(yaml);
    EXPECT_FALSE(wrong.passed);
    EXPECT_EQ(wrong.reason, "'libvirt' is not it: libvirt only manages VMs");
    progress.answers["hv"] = "vmware";
    EXPECT_NE(check(yaml).reason.find("not one of the choices"), std::string::npos);
    progress.answers["hv"] = " KVM ";
    const auto right = check(yaml);
    EXPECT_TRUE(right.passed);
    EXPECT_EQ(right.what, "answer 'hv' is right: KVM speeds it");
    progress.answers["hv"] = "qemu";
    EXPECT_TRUE(check(yaml).passed);
}

// A measured value is right within its tolerance, and a wrong one hears
// which way it is off without being told the value.
TEST_F(LabChecksTest, NumbersAreRightWithinTheirToleranceAndSayWhichWayTheyAreOff) {
    const std::string yaml = "number: {key: ratio, equals: 10, tolerance: 20%, too_low: \"count the boot too\"}";
    progress.answers["ratio"] = "8,5";
    EXPECT_TRUE(check(yaml).passed);
    progress.answers["ratio"] = "7";
    const auto low = check(yaml);
    EXPECT_FALSE(low.passed);
    EXPECT_EQ(low.reason, "7 is too low: count the boot too");
    progress.answers["ratio"] = "12.5";
    const auto high = check(yaml);
    EXPECT_EQ(high.reason, "12.5 is too high; look again, or ask 'vmctl lab hint'");
    EXPECT_EQ(high.reason.find("10"), std::string::npos);
    progress.answers["ratio"] = "ten";
    EXPECT_NE(check(yaml).reason.find("not a number"), std::string::npos);
    script_result.output = "3.02\n";
    progress.answers["cost"] = "3";
    EXPECT_TRUE(check("number: {key: cost, equals_command: \"vmctl cost --json\", tolerance: 0.05}").passed);
    EXPECT_FALSE(check("number: {key: cost, equals_command: \"vmctl cost --json\"}").passed);  // exact
}

// A value the lab measures is measured at another moment than the student's:
// on a busy machine its band widens by the slowness, both ways; a value
// written in the file does not.
TEST_F(LabChecksTest, AMeasuredNumberOnABusyMachineGetsAWiderBand) {
    const std::string measured = "number: {key: slowdown, equals_command: \"measure\", tolerance: 50%}";
    script_result.output = "15\n";
    progress.answers["slowdown"] = "29.8";
    EXPECT_FALSE(check(measured).passed) << "an idle machine keeps the band";
    checks.slowness = 2;
    EXPECT_TRUE(check(measured).passed);
    progress.answers["slowdown"] = "3.9";
    EXPECT_TRUE(check(measured).passed) << "(15 - 7.5) / 2 = 3.75";
    progress.answers["slowdown"] = "3.5";
    EXPECT_FALSE(check(measured).passed);
    progress.answers["slowdown"] = "46";
    EXPECT_FALSE(check(measured).passed) << "(15 + 7.5) * 2 = 45";
    progress.answers["slowdown"] = "29.8";
    EXPECT_FALSE(check("number: {key: slowdown, equals: 15, tolerance: 50%}").passed);
}

// A prediction is asked in one step and compared in a later one, where it
// passes whatever was predicted, saying what really happened and why one
// would predict what the student did; one given on the step that shows the
// result does not count.
TEST_F(LabChecksTest, PredictionsAreAskedThenComparedInALaterStepAndNotGraded) {
    const std::string options = "options: {same: \"same kernel, same boot\", different: \"it has its own kernel\"}";
    const std::string ask = "predict: {key: boot, " + options + "}";
    const std::string compare = "predict: {key: boot, actual_command: \"look\", " + options + "}";
    progress.step = 1;
    const auto none = check(ask);
    EXPECT_FALSE(none.passed);
    EXPECT_EQ(none.reason, "no prediction yet: run 'vmctl lab answer boot=same|different' before you look");
    EXPECT_NE(check(compare).reason.find("too late now"), std::string::npos);

    progress.answers["boot"] = "different";
    EXPECT_NE(check(ask).reason.find("no record of when"), std::string::npos);
    progress.answered_in["boot"] = 1;
    const auto asked = check(ask);
    EXPECT_TRUE(asked.passed) << asked.reason;
    EXPECT_EQ(asked.what, "prediction 'boot' recorded (different): you will see in the next step");
    EXPECT_TRUE(scripts.empty()) << "asking measures nothing";
    // Given on the step that measures: the student may have seen the result.
    const auto late = check(compare);
    EXPECT_FALSE(late.passed);
    EXPECT_NE(late.reason.find("given on step 2, where its result shows"), std::string::npos) << late.reason;

    progress.step = 2;
    script_result.output = "looking...\nsame\n";
    const auto wrong = check(compare);
    EXPECT_TRUE(wrong.passed) << wrong.reason;
    EXPECT_EQ(wrong.what, "you predicted 'different'; it was 'same': it has its own kernel");
    EXPECT_EQ(scripts.back(), "look");
    progress.answers["boot"] = " Same";
    EXPECT_EQ(check(compare).what, "you predicted ' Same', and so it was: same kernel, same boot");
    progress.answers["boot"] = "maybe";
    EXPECT_EQ(check(compare).reason, "'maybe' is not one of the predictions: same, different");

    progress.answers["boot"] = "same";
    script_result.exit_code = 1;
    script_result.output = "no container yet\n";
    EXPECT_EQ(check(compare).reason, "the lab cannot measure what happens yet (no container yet)");
}

TEST_F(LabChecksTest, ANumberPredictionHearsWhetherItWasCloseAndWhyNot) {
    const std::string yaml = "predict: {key: rate, actual_command: burn, tolerance: 20%, too_high: \"a quota caps it\"}";
    progress.step = 3;
    progress.answers["rate"] = "100";
    progress.answered_in["rate"] = 2;
    script_result.output = "24\n";
    EXPECT_EQ(check(yaml).what, "you predicted 100; it was 24: too high: a quota caps it");
    progress.answers["rate"] = "26";
    EXPECT_EQ(check(yaml).what, "you predicted 26; it was 24: close (within 20%)");
    progress.answers["rate"] = "10";
    EXPECT_EQ(check(yaml).what, "you predicted 10; it was 24: too low");
    progress.answers["rate"] = "lots";
    EXPECT_NE(check(yaml).reason.find("not a number"), std::string::npos);
    progress.answers["rate"] = "26";
    script_result.output = "BURN rate=\n";
    EXPECT_NE(check(yaml).reason.find("cannot measure"), std::string::npos);
}

TEST_F(LabChecksTest, ScriptsPassOnExitZeroAndExplainWithTheirLastLine) {
    EXPECT_TRUE(check("script: \"true\"").passed);
    script_result.exit_code = 1;
    script_result.output = "looking...\nthe file /tmp/x is missing\n";
    const auto failed = check("script: \"test -e /tmp/x\"");
    EXPECT_FALSE(failed.passed);
    EXPECT_EQ(failed.reason, "the file /tmp/x is missing");
}

TEST_F(LabChecksTest, GuestCommandsNeedARunningVm) {
    hv.destroy_domain("lab1-web");
    const auto result = check("guest_command: {vm: lab1-web, run: \"uname -r\", pattern: \"6\\\\.1\"}");
    EXPECT_FALSE(result.passed);
    EXPECT_FALSE(result.reason.empty());
}

}  // namespace
}  // namespace vmctl

namespace vmctl {
namespace {

// A busy machine (a class of 30) makes everything slower: a patient check
// waits longer in proportion; an impatient one (lab test's first look) not at all.
TEST(CheckPatience, GrowsWithTheMachinesSlownessAndIsNoneForAQuickLook) {
    teach::CheckEnvironment env;
    EXPECT_EQ(teach::patience(env, std::chrono::seconds(20)), std::chrono::seconds(20));
    env.slowness = 2.5;
    EXPECT_EQ(teach::patience(env, std::chrono::seconds(20)), std::chrono::seconds(50));
    env.patient = false;
    EXPECT_EQ(teach::patience(env, std::chrono::seconds(20)), std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace vmctl
