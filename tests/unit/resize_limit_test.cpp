#include "web_vm_fixture.h"
#include "vmctl/core/error.h"
#include "vmctl/core/guest_agent.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/disks.h"
#include "vmctl/ops/exec.h"
#include "vmctl/ops/limit.h"
#include "vmctl/ops/resize.h"
#include "vmctl/ops/top.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

// "web": 1 vCPU (max 2), 256 MiB (max 512 MiB), 1 GiB disk.
class ReshapeTest : public testing::WebVmTest {
protected:
    DomainFacts facts() { return parse_domain_xml(hv.domains.at("web").xml); }
};

TEST_F(ReshapeTest, CreateLeavesRoomToGrow) {
    EXPECT_EQ(facts().vcpus, 1u);
    EXPECT_EQ(facts().max_vcpus, 2u);
    EXPECT_EQ(facts().max_memory_bytes, 512ULL << 20);
}

TEST_F(ReshapeTest, LiveResizeWithinTheMaximums) {
    const auto changes = ops::resize_vm(hv, env, "web", {2u, 512ULL << 20, std::nullopt});
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_TRUE(changes[0].live);
    EXPECT_EQ(changes[0].what, "vCPUs 1 -> 2");
    EXPECT_TRUE(changes[1].live);
    EXPECT_EQ(facts().vcpus, 2u);
    EXPECT_EQ(facts().memory_bytes, 512ULL << 20);
}

TEST_F(ReshapeTest, LiveMemoryIsCalledLiveOnlyOnceTheGuestHasIt) {
    hv.balloon_at["web"] = 256ULL << 20;  // the guest's balloon has not moved yet
    ops::ResizeRequest request;
    request.memory_bytes = 512ULL << 20;
    request.balloon_wait = std::chrono::milliseconds(100);
    auto changes = ops::resize_vm(hv, env, "web", request);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_NE(changes[0].how.find("still on its way (at 256 MiB now)"), std::string::npos) << changes[0].how;

    hv.balloon_at["web"] = (512ULL << 20) - 4096;  // landed, a page off
    request.memory_bytes = 256ULL << 20;
    changes = ops::resize_vm(hv, env, "web", request);
    request.memory_bytes = 512ULL << 20;
    changes = ops::resize_vm(hv, env, "web", request);
    EXPECT_NE(changes[0].how.find("the guest has it now"), std::string::npos) << changes[0].how;
}

TEST_F(ReshapeTest, BeyondTheMaximumIsExplainedAndChangesNothing) {
    const std::string before = hv.domains.at("web").xml;
    try {
        ops::resize_vm(hv, env, "web", {2u, 1ULL << 30, std::nullopt});  // vCPUs fine, memory too much
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("fixed when a VM is defined"), std::string::npos);
        EXPECT_NE(e.hint().find("--max-memory"), std::string::npos);
    }
    EXPECT_EQ(hv.domains.at("web").xml, before) << "the vCPU part was not applied either";
    EXPECT_THROW(ops::resize_vm(hv, env, "web", {3u, std::nullopt, std::nullopt}), Error);
}

TEST_F(ReshapeTest, StoppedVmChangesAtNextBoot) {
    hv.destroy_domain("web");
    const auto changes = ops::resize_vm(hv, env, "web", {2u, std::nullopt, std::nullopt});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_FALSE(changes[0].live);
    EXPECT_NE(changes[0].how.find("next boot"), std::string::npos);
}

TEST_F(ReshapeTest, RefusedHotplugFallsBackToNextBoot) {
    hv.fail_on = "set_vcpus";  // the live call fails once, the persistent one works
    const auto changes = ops::resize_vm(hv, env, "web", {2u, std::nullopt, std::nullopt});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_FALSE(changes[0].live);
    EXPECT_NE(changes[0].how.find("refused"), std::string::npos);
}

TEST_F(ReshapeTest, DisksOnlyGrow) {
    EXPECT_THROW(ops::resize_vm(hv, env, "web", {std::nullopt, std::nullopt, 512ULL << 20}), Error);
    const auto changes = ops::resize_vm(hv, env, "web", {std::nullopt, std::nullopt, 2ULL << 30});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(hv.volumes.begin()->second.capacity_bytes, 2ULL << 30);
}

TEST_F(ReshapeTest, ExecRetriesWhileTheAgentStartsAndReturnsTheOutput) {
    hv.agent_down_calls = 2;
    hv.next_exec_status = R"({"return":{"exited":true,"exitcode":3,"out-data":"aGkK","err-data":"b29wcwo="}})";
    const ExecStatus status = ops::exec_in_guest(hv, "web", {{"sh", "-c", "echo hi; exit 3"}});
    EXPECT_EQ(status.exit_code, 3);
    EXPECT_EQ(status.out, "hi\n");
    EXPECT_EQ(status.err, "oops\n");
    EXPECT_NE(hv.agent_requests.front().find(R"("path":"sh")"), std::string::npos);
}

TEST_F(ReshapeTest, ExecExplainsAnAgentThatNeverAnswers) {
    hv.agent_down_calls = 1000;
    ops::ExecOptions options{{"true"}, std::chrono::seconds(5), std::chrono::seconds(1)};
    try {
        ops::exec_in_guest(hv, "web", options);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Timeout);
        EXPECT_NE(e.hint().find("agent started"), std::string::npos);
    }
}

TEST_F(ReshapeTest, ExecOnAStoppedVmSaysToStartIt) {
    hv.destroy_domain("web");
    try {
        ops::exec_in_guest(hv, "web", {{"true"}});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
    }
}

TEST(GuestAgent, BuildsAndParsesTheProtocol) {
    EXPECT_EQ(guest_exec_request("/bin/sh", {"-c", "a\"b"}),
              R"({"arguments":{"arg":["-c","a\"b"],"capture-output":true,"path":"/bin/sh"},"execute":"guest-exec"})");
    EXPECT_EQ(parse_guest_exec_pid(R"({"return":{"pid":7}})"), 7);
    const ExecStatus running = parse_guest_exec_status(R"({"return":{"exited":false}})");
    EXPECT_FALSE(running.exited);
    const ExecStatus killed = parse_guest_exec_status(R"({"return":{"exited":true,"signal":9}})");
    EXPECT_EQ(killed.signal, 9);
    EXPECT_THROW(parse_guest_exec_pid(R"({"error":{"class":"GenericError"}})"), Error);
}

TEST(Limit, QuotaIsAPercentOfOneCpuPerVcpu) {
    const Limits half = ops::to_limits({50u, std::nullopt, std::nullopt});
    EXPECT_EQ(*half.vcpu_period_us, 100000u);
    EXPECT_EQ(*half.vcpu_quota_us, 50000);
    EXPECT_EQ(ops::quota_percent(half), 50u);
    const Limits none = ops::to_limits({0u, std::nullopt, std::nullopt});
    EXPECT_EQ(*none.vcpu_quota_us, -1);
    EXPECT_EQ(ops::quota_percent(none), std::nullopt);
    EXPECT_THROW(ops::to_limits({150u, std::nullopt, std::nullopt}), Error);
    EXPECT_THROW(ops::to_limits({std::nullopt, std::nullopt, 50u}), Error);
    EXPECT_THROW(ops::to_limits({}), Error);
}

TEST(Top, CpuPercentAndRatesComeFromTwoSamples) {
    DomainStats a{"web", DomainState::Running, 2, 1'000'000'000, 256 << 20, 512 << 20, std::nullopt, 300 << 20, 0, 0};
    DomainStats b = a;
    b.cpu_time_ns += 500'000'000;  // half a CPU-second in one second
    b.disk_write_bytes += 2 << 20;
    const auto rows = ops::top_rows({a}, {b}, 1.0);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(rows[0].cpu_percent, 50.0);
    EXPECT_DOUBLE_EQ(rows[0].disk_write_per_s, 2 << 20);
    const auto fresh = ops::top_rows({}, {b}, 1.0);
    EXPECT_DOUBLE_EQ(fresh[0].cpu_percent, 0.0) << "a VM seen once has no rate yet";
}

}  // namespace
}  // namespace vmctl

namespace vmctl {
namespace {

TEST_F(ReshapeTest, DataDisksAttachAsTheNextTargetAndDetach) {
    const auto disk = ops::attach_disk(hv, env, "web", 64ULL << 20);
    EXPECT_EQ(disk.target, "vdb");
    EXPECT_TRUE(disk.live);
    EXPECT_EQ(hv.volumes.at(disk.path).capacity_bytes, 64ULL << 20);
    EXPECT_EQ(ops::attach_disk(hv, env, "web", 64ULL << 20).target, "vdc");
    const auto gone = ops::detach_disk(hv, "web", "vdb", false, env.paths.pool_dir);
    EXPECT_FALSE(gone.deleted);
    EXPECT_EQ(hv.volumes.count(disk.path), 1u) << "kept unless --delete";
    EXPECT_EQ(ops::detach_disk(hv, "web", "vdc", true, env.paths.pool_dir).deleted, true);
    EXPECT_EQ(testing::failure_kind([&] { ops::detach_disk(hv, "web", "vda", false, env.paths.pool_dir); }), ErrorKind::InvalidState);
    EXPECT_EQ(testing::failure_kind([&] { ops::detach_disk(hv, "web", "vdz", false, env.paths.pool_dir); }), ErrorKind::NotFound);
}

TEST_F(ReshapeTest, DetachDeleteRefusesAVolumeOutsideVmctlsPoolAndChangesNothing) {
    // A disk someone attached by hand, from another pool (another student's, say).
    const std::string shared = "/srv/shared/data.qcow2";
    hv.volumes[shared] = {"data.qcow2", shared, 64ULL << 20, 0};
    hv.attach_device("web", build_disk_device_xml(shared, "vdd"), true);
    const auto kind = testing::failure_kind([&] { ops::detach_disk(hv, "web", "vdd", true, env.paths.pool_dir); });
    EXPECT_EQ(kind, ErrorKind::InvalidState);
    EXPECT_EQ(hv.volumes.count(shared), 1u);
    EXPECT_NE(hv.domain_xml("web").find(shared), std::string::npos) << "still attached";
    EXPECT_FALSE(ops::detach_disk(hv, "web", "vdd", false, env.paths.pool_dir).deleted);
    EXPECT_EQ(hv.volumes.count(shared), 1u);
}

TEST_F(ReshapeTest, FailedAttachRemovesTheNewVolume) {
    hv.fail_on = "attach_device";
    const auto before = hv.volumes.size();
    EXPECT_EQ(testing::failure_kind([&] { ops::attach_disk(hv, env, "web", 64ULL << 20); }), ErrorKind::OperationFailed);
    EXPECT_EQ(hv.volumes.size(), before);
}

TEST_F(ReshapeTest, NoFreePortLeftIsExplainedAndTheVolumeRemoved) {
    hv.fail_on = "attach_device";
    hv.fail_message = "internal error: No more available PCI slots";
    const auto before = hv.volumes.size();
    try {
        ops::attach_disk(hv, env, "web", 64ULL << 20);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(std::string(e.what()).find("no free PCI Express port"), std::string::npos) << e.what();
        EXPECT_NE(e.hint().find("vmctl stop web"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(hv.volumes.size(), before);
}

}  // namespace
}  // namespace vmctl
