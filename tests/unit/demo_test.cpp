#include "vmctl/teach/demo.h"
#include "vmctl/core/error.h"
#include "vmctl/teach/demo_player.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

using teach::DemoActionKind;

ErrorKind parse_failure(const std::string& text, std::string* message = nullptr) {
    try {
        teach::parse_demo(text, "x.demo");
    } catch (const Error& e) {
        if (message != nullptr)
            *message = std::string(e.what()) + " | " + e.hint();
        return e.kind();
    }
    return ErrorKind::Internal;
}

TEST(DemoScript, ParsesEveryKindOfLine) {
    const auto script = teach::parse_demo("# about\n> hello\n>\n$ vmctl list\n$! vmctl info ghost\n@ true\n"
                                           "expect web 60 vmctl-guest: ready\npause\ncleanup vmctl delete web\n",
                                           "x.demo");
    ASSERT_EQ(script.actions.size(), 8u);
    EXPECT_EQ(script.actions[0].kind, DemoActionKind::Narrate);
    EXPECT_EQ(script.actions[1].text, "");
    EXPECT_EQ(script.actions[2].kind, DemoActionKind::Run);
    EXPECT_EQ(script.actions[2].text, "vmctl list");
    EXPECT_EQ(script.actions[3].kind, DemoActionKind::RunExpectFailure);
    EXPECT_EQ(script.actions[4].kind, DemoActionKind::Hidden);
    EXPECT_EQ(script.actions[5].kind, DemoActionKind::Expect);
    EXPECT_EQ(script.actions[5].vm, "web");
    EXPECT_EQ(script.actions[5].within, std::chrono::seconds(60));
    EXPECT_EQ(script.actions[5].text, "vmctl-guest: ready");
    EXPECT_EQ(script.actions[5].line, 7);
    EXPECT_EQ(script.actions[6].kind, DemoActionKind::Pause);
    EXPECT_EQ(script.actions[7].kind, DemoActionKind::Cleanup);
}

TEST(DemoScript, MistakesNameTheLine) {
    std::string message;
    EXPECT_EQ(parse_failure("> hi\nexpcet web 60 x\n", &message), ErrorKind::FileInvalid);
    EXPECT_NE(message.find("x.demo:2"), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean 'expect'"), std::string::npos) << message;
    EXPECT_EQ(parse_failure("expect web soon ready\n"), ErrorKind::FileInvalid);
    EXPECT_EQ(parse_failure("expect web 60\n"), ErrorKind::FileInvalid);
    EXPECT_EQ(parse_failure("expect web 60 (unclosed\n"), ErrorKind::FileInvalid);
    EXPECT_EQ(parse_failure("$\n"), ErrorKind::FileInvalid);
    EXPECT_EQ(parse_failure("# only a comment\n"), ErrorKind::FileInvalid);
}

// Plays scripts with the real /bin/sh and an in-memory terminal.
class DemoPlayTest : public ::testing::Test {
protected:
    void SetUp() override {
        options.auto_play = true;
        options.speed = 0;
        options.directory = dir.string();
        std::filesystem::create_directories(dir);
        terminal.write = [this](std::string_view text) { screen += text; };
        terminal.wait_for_enter = [this] { ++enters; };
        terminal.sleep = [](std::chrono::milliseconds) {};
        terminal.cancelled = [this] { return cancel; };
        terminal.serial_log = [this](const std::string&) { return (dir / "console.log").string(); };
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    ErrorKind play(const std::string& text) {
        try {
            teach::play_demo(teach::parse_demo(text, "x.demo"), options, terminal);
        } catch (const Error& e) {
            screen += std::string("\nERROR ") + e.what();
            return e.kind();
        }
        return ErrorKind::Internal;  // meaning: no error
    }

    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vmctl-demo-" + std::to_string(::getpid()));
    teach::DemoOptions options;
    teach::DemoTerminal terminal;
    std::string screen;
    int enters = 0;
    bool cancel = false;
};

TEST_F(DemoPlayTest, ShowsTypedCommandsAndTheirOutput) {
    EXPECT_EQ(play("> Look:\n$ echo hello\n@ echo hidden\n"), ErrorKind::Internal) << screen;
    EXPECT_NE(screen.find("Look:"), std::string::npos);
    EXPECT_NE(screen.find("$ echo hello"), std::string::npos);
    EXPECT_NE(screen.find("hello\n"), std::string::npos);
    EXPECT_EQ(screen.find("hidden"), std::string::npos);
    EXPECT_EQ(enters, 0);
}

TEST_F(DemoPlayTest, FilesGoToAPrivateFolderOfTheRunThatGoesAfterIt) {
    const auto seen = dir / "seen";
    EXPECT_EQ(play("@ stat -c '%a %U' \"$DEMO_WORK\" > " + seen.string() + " && echo \"$DEMO_WORK\" >> " +
                   seen.string() + "\n$ touch \"$DEMO_WORK/file\"\n"),
              ErrorKind::Internal)
        << screen;
    std::ifstream in(seen);
    std::string mode, owner, work;
    in >> mode >> owner >> work;
    EXPECT_EQ(mode, "700");
    EXPECT_EQ(work.rfind("/tmp/vmctl-demo-", 0), 0u) << work;
    EXPECT_FALSE(std::filesystem::exists(work)) << "the run's folder is removed at the end";
}

TEST_F(DemoPlayTest, WaitsForEnterUnlessAuto) {
    options.auto_play = false;
    EXPECT_EQ(play("$ true\npause\n"), ErrorKind::Internal);
    EXPECT_EQ(enters, 2);
}

TEST_F(DemoPlayTest, AFailedCommandStopsTheDemoAndTheCleanupStillRuns) {
    const auto marker = dir / "cleaned";
    const auto kind = play("$ false\n$ echo never\ncleanup touch " + marker.string() + "\n");
    EXPECT_EQ(kind, ErrorKind::OperationFailed);
    EXPECT_NE(screen.find("x.demo:1"), std::string::npos) << screen;
    EXPECT_EQ(screen.find("never\n"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(marker));
}

TEST_F(DemoPlayTest, ACommandMeantToFailMustFail) {
    EXPECT_EQ(play("$! false\n"), ErrorKind::Internal);
    EXPECT_EQ(play("$! true\n"), ErrorKind::OperationFailed);
}

TEST_F(DemoPlayTest, NothingHangs) {
    options.command_timeout = std::chrono::seconds(1);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(play("$ sleep 30\n"), ErrorKind::Timeout);
    EXPECT_EQ(play("$ cat\n"), ErrorKind::Internal);  // stdin is /dev/null, never the keyboard
    std::ofstream(dir / "console.log") << "booting\n";
    EXPECT_EQ(play("expect web 1 ready\n"), ErrorKind::Timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_F(DemoPlayTest, ExpectFindsTheConsoleLine) {
    std::ofstream(dir / "console.log") << "booting\nvmctl-guest: ready boot=1\n";
    EXPECT_EQ(play("expect web 5 ready boot=[0-9]\n"), ErrorKind::Internal) << screen;
    EXPECT_NE(screen.find("vmctl-guest: ready boot=1"), std::string::npos);
}

TEST_F(DemoPlayTest, KeepGoingReportsEveryFailureAtTheEnd) {
    options.keep_going = true;
    EXPECT_EQ(play("$ false\n$ echo after\n"), ErrorKind::OperationFailed);
    EXPECT_NE(screen.find("after\n"), std::string::npos);
    EXPECT_NE(screen.find("1 command(s)"), std::string::npos);
}

}  // namespace
}  // namespace vmctl
