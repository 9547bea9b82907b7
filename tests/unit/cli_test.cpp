#include "cli_fixture.h"
#include "vmctl/cli/command.h"
#include "vmctl/core/error.h"
#include "vmctl/host/hosts_registry.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include <unistd.h>

namespace vmctl {
namespace {

using testing::CliTest;

TEST_F(CliTest, HelpNeedsNoConnection) {
    EXPECT_EQ(run({"help"}), 0);
    EXPECT_NE(out.str().find("create"), std::string::npos);
    EXPECT_EQ(run({"create", "--help"}), 0);
    EXPECT_NE(out.str().find("--machine-type"), std::string::npos);
    EXPECT_EQ(run({"help", "delete"}), 0);
    EXPECT_NE(out.str().find("--force"), std::string::npos);
    EXPECT_EQ(run({"--version"}), 0);
    EXPECT_EQ(out.str().rfind("vmctl ", 0), 0u);
    EXPECT_EQ(connects, 0);
}

TEST_F(CliTest, EveryCommandHasHelp) {
    for (const auto& command : cli::command_table()) {
        EXPECT_EQ(run({std::string(command.name), "--help"}), 0) << command.name;
        EXPECT_FALSE(out.str().empty()) << command.name;
    }
    EXPECT_EQ(connects, 0);
}

TEST_F(CliTest, UnknownCommandSuggestsTheClosest) {
    EXPECT_EQ(run({"crate", "web"}), exit_code(ErrorKind::Usage));
    EXPECT_NE(err.str().find("did you mean 'vmctl create'"), std::string::npos);
    // One line, starting with "error:".
    EXPECT_EQ(err.str().rfind("error: ", 0), 0u);
    const std::string message = err.str();
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1);
}

TEST_F(CliTest, UnknownOptionSuggestsTheClosest) {
    EXPECT_EQ(run({"create", "web", "--machinetype", "e2-micro"}), exit_code(ErrorKind::Usage));
    EXPECT_NE(err.str().find("--machine-type"), std::string::npos);
}

TEST_F(CliTest, BadValuesHaveTheirOwnExitCode) {
    EXPECT_EQ(run({"create", "Web"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--memory", "512"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_NE(err.str().find("512M"), std::string::npos);
    EXPECT_EQ(run({"create", "web", "--cpus", "-1"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--cpus", "two"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--label", "Owner=x"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--machine-type", "e2-mini"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--accel", "hvf"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--startup-script", "/no/such/file"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"create", "web", "--image", "windows"}), exit_code(ErrorKind::ImageMissing));
    EXPECT_EQ(run({"create"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"create", "a", "b"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"migrate", "web", "--to", "host-b", "--precopy", "--postcopy"}), exit_code(ErrorKind::Usage));
    EXPECT_NE(err.str().find("--precopy and --postcopy exclude each other"), std::string::npos) << err.str();
}

// Boost reads "-5" into an unsigned option as 4294967291: a create then
// waited 136 years. Every unsigned option refuses a negative value instead.
TEST_F(CliTest, NegativeNumbersAreRefusedNotWrapped) {
    EXPECT_EQ(run({"create", "web", "--timeout", "-5"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_NE(err.str().find("--timeout -5 is negative"), std::string::npos) << err.str();
    EXPECT_EQ(run({"create", "web", "--timeout=-5"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"hygiene", "--stopped-days", "-1"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"migrate", "web", "--to", "host-b", "--bandwidth", "-1"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"list"}), 0) << "nothing was made: " << err.str();
    EXPECT_EQ(out.str().find("web"), std::string::npos) << out.str();
}

TEST_F(CliTest, ExitCodesAreDistinct) {
    std::set<int> codes;
    for (ErrorKind kind : {ErrorKind::Internal, ErrorKind::Usage, ErrorKind::InvalidArgument, ErrorKind::NotFound,
                           ErrorKind::AlreadyExists, ErrorKind::InvalidState, ErrorKind::Unreachable,
                           ErrorKind::ImageMissing, ErrorKind::Timeout, ErrorKind::Unsupported,
                           ErrorKind::HostCheckFailed, ErrorKind::OperationFailed, ErrorKind::FileInvalid,
                           ErrorKind::CheckFailed})
        EXPECT_TRUE(codes.insert(exit_code(kind)).second) << kind_name(kind);
    EXPECT_EQ(codes.count(0), 0u);
}

TEST_F(CliTest, UnreachableLibvirtSaysHowToStartIt) {
    EXPECT_EQ(run({"list", "--connect", "fake:///down"}), exit_code(ErrorKind::Unreachable));
    EXPECT_NE(err.str().find("could not connect"), std::string::npos);
}

TEST_F(CliTest, CreateThenListAndInfoAsJson) {
    EXPECT_EQ(run({"create", "web", "--label", "owner=alice", "--connect", "fake:///"}), 0) << err.str();
    EXPECT_NE(out.str().find("vmctl-guest: ready boot=web-boot-1"), std::string::npos);
    EXPECT_NE(out.str().find("boot to ready"), std::string::npos);

    fake.balloon_at["web"] = 511ULL << 20;  // right after a boot the balloon is still on its way down
    EXPECT_EQ(run({"list", "--json"}), 0);
    const auto rows = nlohmann::json::parse(out.str());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["name"], "web");
    EXPECT_EQ(rows[0]["memory_bytes"], 256 << 20) << "list shows the size the VM was given";
    EXPECT_EQ(rows[0]["state"], "running");
    EXPECT_EQ(rows[0]["labels"]["owner"], "alice");

    EXPECT_EQ(run({"info", "web", "--json"}), 0);
    const auto info = nlohmann::json::parse(out.str());
    EXPECT_EQ(info["accelerator"], "tcg");
    EXPECT_EQ(info["memory_bytes"], 256 << 20);
    EXPECT_EQ(info["disks"][0]["capacity_bytes"], 1 << 30);

    EXPECT_EQ(run({"create", "web"}), exit_code(ErrorKind::AlreadyExists));
    EXPECT_EQ(run({"delete", "web"}), exit_code(ErrorKind::InvalidState));
    EXPECT_EQ(run({"info", "nope"}), exit_code(ErrorKind::NotFound));
    EXPECT_EQ(run({"delete", "web", "--force"}), 0);
    EXPECT_TRUE(fake.domains.empty());
}

TEST_F(CliTest, EmptyListSaysHowToStart) {
    EXPECT_EQ(run({"list"}), 0);
    EXPECT_NE(out.str().find("vmctl create"), std::string::npos);
}

}  // namespace
}  // namespace vmctl

namespace vmctl::testing {
namespace {

TEST_F(CliTest, CreatePrintsTheAddressAndListAndInfoShowIt) {
    ASSERT_EQ(run({"create", "web", "--timeout", "5"}), 0) << err.str();
    EXPECT_NE(out.str().find("address: 10.215.0.10 on network 'vmctl'"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("'vmctl ssh web' or http://10.215.0.10/"), std::string::npos) << out.str();
    ASSERT_EQ(run({"list"}), 0);
    EXPECT_NE(out.str().find(" IP "), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("10.215.0.10"), std::string::npos) << out.str();
    ASSERT_EQ(run({"info", "web", "--get", "ip"}), 0);
    EXPECT_EQ(out.str(), "10.215.0.10\n");
}

TEST_F(CliTest, NetworkMistakesHaveTheirExitCodes) {
    EXPECT_EQ(run({"create", "web", "--network", "no such"}), 3);
    EXPECT_NE(err.str().find("not a network name"), std::string::npos) << err.str();
    EXPECT_EQ(run({"create", "web", "--network", "elsewhere"}), 3);
    EXPECT_NE(err.str().find("networks here: vmctl"), std::string::npos) << err.str();
    ASSERT_EQ(run({"create", "quiet", "--network", "none", "--timeout", "5"}), 0) << err.str();
    EXPECT_EQ(out.str().find("address:"), std::string::npos) << out.str();
    EXPECT_EQ(run({"ssh", "quiet", "--", "true"}), 15);
    EXPECT_NE(err.str().find("VM 'quiet' has no network interface"), std::string::npos) << err.str();
    EXPECT_EQ(run({"ssh", "ghost"}), 4);
}

// A drain in progress shows in `hosts list`, not only on the dashboard; a
// mark left by a drain that was killed does not.
TEST_F(CliTest, HostsListShowsADrainInProgress) {
    host::HostEntry a{"host-a", "fake:///a", true, 1, "10.213.0.11"};
    a.draining_to = "host-b";
    a.draining_pid = static_cast<int>(::getpid());
    host::HostEntry b{"host-b", "fake:///b", true, 2, "10.213.0.12"};
    host::save_hosts(home.env().paths.data_dir, {a, b});
    ASSERT_EQ(run({"hosts", "list"}), 0) << err.str();
    EXPECT_NE(out.str().find("up, draining to host-b"), std::string::npos) << out.str();
    ASSERT_EQ(run({"hosts", "list", "--json"}), 0) << err.str();
    for (const auto& row : nlohmann::json::parse(out.str()))
        if (row["name"] == "host-a")
            EXPECT_EQ(row["draining_to"], "host-b");
        else
            EXPECT_TRUE(row["draining_to"].is_null()) << row.dump();

    a.draining_pid = 0;  // what host::draining reads as no drain (a dead pid is unit-tested with the registry)
    host::save_hosts(home.env().paths.data_dir, {a, b});
    ASSERT_EQ(run({"hosts", "list"}), 0) << err.str();
    EXPECT_EQ(out.str().find("draining"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace vmctl::testing
