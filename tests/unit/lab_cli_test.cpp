#include "cli_fixture.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

// `vmctl lab` and `vmctl demo` as a student and an instructor call them, over
// a labs folder of one lab whose only step passes once a file exists.
class LabCliTest : public testing::CliTest {
protected:
    void SetUp() override {
        labs = home.dir() + "/labs-src";
        std::filesystem::create_directories(labs + "/01-files");
        std::ofstream(labs + "/01-files/lab.yaml") << "title: Files\nslides: none\nminutes: 5\nsteps:\n"
                                                      "  - title: Make it\n    text: touch done\n"
                                                      "    hints: [touch a file named done]\n"
                                                      "    checks:\n      - script: {run: \"test -e done\"}\n"
                                                      "    solution: touch done\n";
        ::setenv("VMCTL_LABS", labs.c_str(), 1);
    }
    void TearDown() override { ::unsetenv("VMCTL_LABS"); }

    std::string labs;
};

TEST_F(LabCliTest, CheckFailsWithItsOwnExitCodeThenPasses) {
    EXPECT_EQ(run({"lab", "check"}), exit_code(ErrorKind::NotFound));  // no lab started
    EXPECT_NE(err.str().find("vmctl lab start"), std::string::npos);
    ASSERT_EQ(run({"lab", "start", "1"}), 0) << err.str();
    EXPECT_NE(out.str().find("step 1 of 1: Make it"), std::string::npos);
    EXPECT_EQ(run({"lab", "check"}), exit_code(ErrorKind::CheckFailed));
    EXPECT_NE(out.str().find("✗"), std::string::npos);
    const std::string error = err.str();  // "checking..." (progress), then the one error line
    EXPECT_EQ(error.find("error: "), error.rfind("error: ")) << error;
    EXPECT_EQ(error.back(), '\n');
    EXPECT_EQ(error.find('\n', error.find("error: ")), error.size() - 1) << error;
    std::ofstream(labs + "/01-files/done") << "";
    EXPECT_EQ(run({"lab", "check"}), 0) << err.str();
    EXPECT_NE(out.str().find("✓"), std::string::npos);
    EXPECT_NE(out.str().find("You finished lab 01-files"), std::string::npos);
}

TEST_F(LabCliTest, BadInputGetsAClearErrorAndItsExitCode) {
    EXPECT_EQ(run({"lab", "start", "99"}), exit_code(ErrorKind::NotFound));
    EXPECT_EQ(run({"lab", "start", "fles"}), exit_code(ErrorKind::NotFound));
    EXPECT_NE(err.str().find("did you mean '01-files'"), std::string::npos) << err.str();
    ASSERT_EQ(run({"lab", "start", "01"}), 0);
    EXPECT_EQ(run({"lab", "answer", "no-equals-sign"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"lab", "test"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"lab", "test", "01", "--all"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"lab", "chek"}), exit_code(ErrorKind::Usage));
    EXPECT_NE(err.str().find("did you mean"), std::string::npos);
    std::ofstream(labs + "/01-files/lab.yaml", std::ios::app) << "colour: red\n";
    EXPECT_EQ(run({"lab", "list"}), exit_code(ErrorKind::FileInvalid));
    EXPECT_NE(err.str().find("lab.yaml:"), std::string::npos) << err.str();
}

TEST_F(LabCliTest, DemosRefuseWhatWouldHangOrIsMissing) {
    EXPECT_EQ(run({"demo", "play", "/no/such.demo"}), exit_code(ErrorKind::NotFound));
    const std::string file = home.dir() + "/x.demo";
    std::ofstream(file) << "$ true\n";
    EXPECT_EQ(run({"demo", "play", file}), exit_code(ErrorKind::Usage))  // tests have no terminal
        << err.str();
    EXPECT_NE(err.str().find("--auto"), std::string::npos);
    EXPECT_EQ(run({"demo", "play", file, "--auto", "--speed", "-1"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"demo", "play", file, "--auto", "--speed", "0"}), 0) << err.str();
}

}  // namespace
}  // namespace vmctl
