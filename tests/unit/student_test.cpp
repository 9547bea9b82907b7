#include "vmctl/teach/student.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <string>

namespace vmctl {
namespace {

// "PREFIX-" and five hex digits: a name that had to change, with its hash.
bool changed_to(const std::string& slug, const std::string& prefix) {
    return std::regex_match(slug, std::regex(prefix + "-[0-9a-f]{5}"));
}

TEST(Student, SlugIsFitForAVmNamesFirstPart) {
    EXPECT_EQ(teach::student_slug("alice"), "alice");
    EXPECT_EQ(teach::student_slug("s1234-b"), "s1234-b");
    EXPECT_TRUE(changed_to(teach::student_slug("John.Doe"), "john-doe")) << teach::student_slug("John.Doe");
    EXPECT_TRUE(changed_to(teach::student_slug("a__b"), "a-b"));
    EXPECT_TRUE(changed_to(teach::student_slug("1ab"), "u1ab"));
    EXPECT_TRUE(changed_to(teach::student_slug("_x_"), "x"));
    EXPECT_TRUE(changed_to(teach::student_slug(""), "u"));
    EXPECT_TRUE(changed_to(teach::student_slug("..."), "u"));
    const std::string long_name = teach::student_slug("abcdefghijklmnopqrs-uvwxyz");
    EXPECT_TRUE(changed_to(long_name, "abcdefghijklmn")) << long_name;
    EXPECT_EQ(long_name.size(), 20u);
    EXPECT_EQ(long_name, teach::student_slug("abcdefghijklmnopqrs-uvwxyz")) << "the same user, the same name";
}

// On a shared machine two users must never get one name: one's reset would
// remove the other's VMs, and under sudo they would share one progress file.
TEST(Student, UsersWhoseNamesWouldFoldTogetherStayApart) {
    EXPECT_NE(teach::student_slug("a_b"), teach::student_slug("a-b"));
    EXPECT_NE(teach::student_slug("a_b"), teach::student_slug("a.b"));
    EXPECT_NE(teach::student_slug("Alice"), teach::student_slug("alice"));
    EXPECT_NE(teach::student_slug("student-2026-group1-alice"), teach::student_slug("student-2026-group1-bob"));
}

TEST(Student, NameComesFromVmctlStudentElseTheUser) {
    ::setenv("VMCTL_STUDENT", "Student 7", 1);
    EXPECT_TRUE(changed_to(teach::student_name(), "student-7")) << teach::student_name();
    ::unsetenv("VMCTL_STUDENT");
    EXPECT_FALSE(teach::student_name().empty());
    EXPECT_FALSE(changed_to(teach::student_name(), "student-7"));
}

TEST(Student, PlaceholderIsReplacedAsAWholeWordOnly) {
    EXPECT_EQ(teach::with_student("vmctl create $student-lab1-web", "alice"), "vmctl create alice-lab1-web");
    EXPECT_EQ(teach::with_student("{vm: $student-a, other: $student}", "bo"), "{vm: bo-a, other: bo}");
    // A shell variable that merely starts the same way is left alone.
    EXPECT_EQ(teach::with_student("echo $students $student_dir", "al"), "echo $students $student_dir");
    EXPECT_EQ(teach::with_student("no placeholder", "al"), "no placeholder");
}

// Values per student: each gets one of the options, always the same one, in
// every place the same options are named; students differ.
TEST(Student, PickChoosesAValuePerStudentAndLabStably) {
    const std::string text = "resize to $pick(512M|640M|768M); check size: $pick(512M|640M|768M)";
    const std::string alice = teach::with_student_values(text, "alice", "04-more-ram");
    EXPECT_EQ(alice, teach::with_student_values(text, "alice", "04-more-ram"));
    const std::string value = alice.substr(std::string("resize to ").size(), 4);
    EXPECT_TRUE(value == "512M" || value == "640M" || value == "768M") << alice;
    EXPECT_EQ(alice, "resize to " + value + "; check size: " + value);
    std::set<std::string> seen;
    for (int i = 0; i < 30; ++i)
        seen.insert(teach::with_student_values("$pick(a|b|c)", "s" + std::to_string(i), "04-more-ram"));
    EXPECT_EQ(seen, (std::set<std::string>{"a", "b", "c"}));
    // One option, and one left open on its line, read as written.
    EXPECT_EQ(teach::with_student_values("$pick(only) $student", "bo", "x"), "only bo");
    EXPECT_EQ(teach::with_student_values("$pick(a|b\n)", "bo", "x"), "$pick(a|b\n)");
}

}  // namespace
}  // namespace vmctl
