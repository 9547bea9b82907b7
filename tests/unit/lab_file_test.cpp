#include "vmctl/core/error.h"
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/lab.h"
#include "vmctl/core/pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace vmctl {
namespace {

const char* kGood = R"(title: A lab
slides: "Hypervisor"
minutes: 10
setup: echo hi
steps:
  - title: Make a VM
    text: Run vmctl create.
    hints: [one, two]
    checks:
      - vm_exists: lab1-web
      - vm_state: {vm: lab1-web, state: running}
      - vm_memory: {vm: lab1-web, size: 512M}
      - serial_log: {vm: lab1-web, pattern: "ready", within: 30}
      - vms_with_label: {label: group=web, count: 3}
      - migrated: {vm: lab1-web, to: host-b}
      - answer: {key: accel, equals_command: "vmctl info x --get accelerator"}
      - script: test -e /tmp
        because: the file exists
    solution: vmctl create lab1-web
)";

// The error a broken lab file gets: its kind and its message.
std::pair<ErrorKind, std::string> error_of(const std::string& text) {
    try {
        teach::parse_lab(text, "lab.yaml", "01-x");
    } catch (const Error& e) {
        return {e.kind(), std::string(e.what()) + " | " + e.hint()};
    }
    return {ErrorKind::Internal, "no error"};
}

TEST(LabFile, ParsesEveryPartOfALab) {
    const teach::Lab l = teach::parse_lab(kGood, "lab.yaml", "01-x");
    EXPECT_EQ(l.title, "A lab");
    EXPECT_EQ(l.minutes, 10u);
    ASSERT_EQ(l.steps.size(), 1u);
    const auto& checks = l.steps[0].checks;
    ASSERT_EQ(checks.size(), 8u);
    // Each check read its own arguments: its claim says them back.
    const std::vector<std::pair<std::string, std::string>> expected{
        {"vm_exists", "VM 'lab1-web' exists"},
        {"vm_state", "VM 'lab1-web' is running"},
        {"vm_memory", "VM 'lab1-web' has 512 MiB of memory"},
        {"serial_log", "the console of 'lab1-web' shows /ready/"},
        {"vms_with_label", "3 VMs labelled group=web"},
        {"migrated", "VM 'lab1-web' was live-migrated to host-b"},
        {"answer", "answer 'accel'"},
        {"script", "the file exists"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(checks[i]->kind, expected[i].first) << i;
        EXPECT_EQ(checks[i]->claim(), expected[i].second) << i;
    }
    EXPECT_EQ(checks[7]->because, "the file exists");
    EXPECT_EQ(checks[1]->where.line, 11);
    EXPECT_EQ(l.steps[0].hints.size(), 2u);
}

// The table of check kinds is what the parser offers: each kind once, its
// required and plain-value arguments among those it takes, and each one in
// the lab authors' guide.
TEST(LabFile, EveryCheckKindIsRegisteredOnceAndDocumented) {
    std::ifstream file(std::string(VMCTL_TEST_DATA) + "/../../labs/README.md");
    std::stringstream guide;
    guide << file.rdbuf();
    std::set<std::string> names;
    for (const teach::CheckKind& kind : teach::check_kinds()) {
        EXPECT_TRUE(names.insert(kind.name).second) << kind.name << " is listed twice";
        const auto takes = [&](const std::string& key) {
            return std::find(kind.keys.begin(), kind.keys.end(), key) != kind.keys.end();
        };
        for (const auto& key : kind.required)
            EXPECT_TRUE(takes(key)) << kind.name << " requires '" << key << "' but does not take it";
        EXPECT_TRUE(kind.scalar_key.empty() || takes(kind.scalar_key)) << kind.name;
        EXPECT_NE(kind.read, nullptr) << kind.name;
        EXPECT_NE(guide.str().find("`" + kind.name + "`"), std::string::npos)
            << kind.name << " is missing from labs/README.md";
    }
    EXPECT_EQ(names.size(), 18u);
}

TEST(LabFile, AMisspelledPredicateNamesItsLineAndTheFix) {
    std::string text = kGood;
    text.replace(text.find("vm_state:"), 9, "vm_stat:");
    const auto [kind, message] = error_of(text);
    EXPECT_EQ(kind, ErrorKind::FileInvalid);
    EXPECT_NE(message.find("lab.yaml:11:9"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'vm_state'"), std::string::npos) << message;
}

TEST(LabFile, MistakesAreFileErrorsWithTheirPlace) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"title: [unclosed", "lab.yaml:1:"},
        {"", "not a YAML mapping"},
        {"title: x\nslides: y\nminutes: 10\n", "'steps'"},
        {"slides: y\nminutes: 10\nsteps: []\n", "'title' is missing"},
        {"title: x\nslides: y\nminutes: ten\nsteps: []\n", "whole number"},
        {"title: x\nslides: y\nminutes: 10\ncolour: red\nsteps: []\n", "unknown key 'colour'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n", "needs a list of 'checks'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - vm_state: {vm: w, state: asleep}\n",
         "'asleep' is not a VM state"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - vm_memory: {vm: w, size: 512}\n",
         "lab.yaml:9:"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - serial_log: {vm: w, pattern: \"(unclosed\"}\n",
         "regular expression"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - vm_exists: w\n        vm_absent: w\n",
         "two predicates"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - answer: {key: k}\n",
         "exactly one of"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - vm_state: {vm: w}\n",
         "needs 'state'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - vms_with_label: {label: web, count: 1}\n",
         "KEY=VALUE"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - choice: {key: k, options: {a: x, b: y}, right: c}\n",
         "'c' is not one of the options"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - choice: {key: k, options: [a, b], right: a}\n",
         "must be a mapping"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - number: {key: k, equals: 3, tolerance: lots}\n",
         "not a tolerance"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - number: {key: k}\n",
         "exactly one of 'equals' or 'equals_command'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {options: {a: x, b: y}}\n",
         "lab.yaml:9:18: 'predict' needs 'key'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {key: k, optoins: {a: x, b: y}}\n",
         "did you mean 'options'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {key: k, options: {a: x, b: y}, tolerance: 10%}\n",
         "lab.yaml:9:61: a prediction is a choice"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {key: k, actual_command: \"echo 3\"}\n",
         "needs 'options' (a choice) or 'tolerance'"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {key: k, options: {a: x, b: y}, too_low: z}\n",
         "are for a number"},
        {"title: x\nslides: y\nminutes: 10\nsteps:\n  - title: a\n    text: b\n    solution: c\n    checks:\n"
         "      - predict: {key: k, options: {a: x}}\n",
         "at least two options"},
    };
    for (const auto& [text, expected] : cases) {
        const auto [kind, message] = error_of(text);
        EXPECT_EQ(kind, ErrorKind::FileInvalid) << text;
        EXPECT_NE(message.find(expected), std::string::npos) << "expected '" << expected << "' in: " << message;
    }
}

// Found by fuzzing: a count such as {999999999999999999} or a back-reference
// such as \3333333333333333333 overflowed inside libstdc++'s regex compiler
// (undefined behaviour); counts stay within 1000, back-references within 99.
TEST(LabFile, APatternWithAHugeRepetitionCountIsRefused) {
    EXPECT_NE(pattern_problem("a{999999999999999999}"), std::nullopt);
    EXPECT_NE(pattern_problem("a{1,1001}"), std::nullopt);
    EXPECT_NE(pattern_problem(std::string(501, 'a')), std::nullopt);
    EXPECT_NE(pattern_problem("(a)\\3333333333333333333333"), std::nullopt);
    EXPECT_NE(pattern_problem("(unclosed"), std::nullopt);
    EXPECT_EQ(pattern_problem("ready.{1,1000}done"), std::nullopt);
    EXPECT_EQ(pattern_problem("literal \\{999999999999\\}"), std::nullopt) << "an escaped brace is no count";
    std::string lab = kGood;
    lab.replace(lab.find("pattern: \"ready\""), 16, "pattern: \"x{99999999999}\"");
    const auto [kind, message] = error_of(lab);
    EXPECT_EQ(kind, ErrorKind::FileInvalid);
    EXPECT_NE(message.find("repetition count is over 1000"), std::string::npos) << message;
}

// Found by fuzzing (tests/fuzz): a key with a newline or a control character
// in it made a two-line error; every error stays one line, shown escaped.
TEST(LabFile, AKeyWithANewlineOrAControlCharacterGivesAOneLineError) {
    for (const std::string text : {"title: x\n\"si\\nze\": 1\n", "title: x\n\"cur\\b\": 1\n", "title: \"a\\\n"}) {
        const auto [kind, message] = error_of(text);
        EXPECT_EQ(kind, ErrorKind::FileInvalid) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.find('\b'), std::string::npos) << message;
    }
    EXPECT_NE(error_of("title: x\n\"si\\nze\": 1\n").second.find("unknown key 'si\\nze'"), std::string::npos);
    // A list or a mapping as a key threw a yaml-cpp conversion error.
    for (const std::string text : {"title: x\n? [a, b]\n: 1\n", "title: x\n? {a: b}\n: 1\n", "title: x\n: 1\n"}) {
        const auto [kind, message] = error_of(text);
        EXPECT_EQ(kind, ErrorKind::FileInvalid) << text;
        EXPECT_NE(message.find("a key must be a plain word"), std::string::npos) << message;
    }
}

TEST(LabFile, IdsMatchByNumberOrName) {
    EXPECT_TRUE(teach::lab_id_matches("01-first-vm", "01"));
    EXPECT_TRUE(teach::lab_id_matches("01-first-vm", "1"));
    EXPECT_TRUE(teach::lab_id_matches("01-first-vm", "first-vm"));
    EXPECT_TRUE(teach::lab_id_matches("01-first-vm", "01-first-vm"));
    EXPECT_FALSE(teach::lab_id_matches("01-first-vm", "02"));
    EXPECT_FALSE(teach::lab_id_matches("01-first-vm", "first"));
    EXPECT_FALSE(teach::lab_id_matches("01-first-vm", "99999999999999999999999"));
    EXPECT_FALSE(teach::lab_id_matches("01-first-vm", ""));
}

}  // namespace
}  // namespace vmctl
