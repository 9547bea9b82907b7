#include "web_vm_fixture.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/info.h"
#include "vmctl/host/usage_journal.h"
#include "vmctl/ops/lifecycle.h"
#include "vmctl/ops/resize.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

class LifecycleTest : public testing::WebVmTest {
protected:
    std::chrono::seconds timeout{2};
};

TEST_F(LifecycleTest, StopAndStartAgain) {
    EXPECT_FALSE(ops::stop_vm(hv, env, "web", timeout).already_stopped);
    EXPECT_EQ(hv.domains.at("web").state, DomainState::ShutOff);
    EXPECT_TRUE(ops::stop_vm(hv, env, "web", timeout).already_stopped);
    const auto started = ops::start_vm(hv, env, "web", true, timeout);
    ASSERT_TRUE(started.ready);
    EXPECT_EQ(started.ready->parsed->boot_id, "web-boot-2");
    EXPECT_TRUE(ops::start_vm(hv, env, "web", true, timeout).already_running);
}

// A VM that cloud-init sets up (it has a seed disk) may take minutes to
// start: the command says so, and where to watch it, before it waits.
TEST_F(LifecycleTest, StartingACloudInitVmSaysItMayTakeMinutes) {
    std::string said;
    const auto progress = [&](std::string_view line) { said += std::string(line) + "\n"; };
    ops::stop_vm(hv, env, "web", timeout);
    ASSERT_TRUE(ops::start_vm(hv, env, "web", true, timeout, progress).ready);
    EXPECT_EQ(said, "") << "a tiny VM is up in seconds";
    ops::stop_vm(hv, env, "web", timeout);
    hv.attach_device("web", build_disk_device_xml(env.paths.pool_dir + "/web-seed.qcow2", "vdb"), false);
    ASSERT_TRUE(ops::start_vm(hv, env, "web", true, timeout, progress).ready);
    EXPECT_NE(said.find("cloud-init to finish"), std::string::npos) << said;
    EXPECT_NE(said.find("'vmctl logs web -f'"), std::string::npos) << said;
    said.clear();
    ASSERT_TRUE(ops::reboot_vm(hv, env, "web", true, timeout, progress).ready);
    EXPECT_NE(said.find("cloud-init to finish"), std::string::npos) << said;
}

TEST_F(LifecycleTest, GuestIgnoringThePowerButtonTimesOutWithAFix) {
    hv.guest_ignores_acpi = true;
    try {
        ops::stop_vm(hv, env, "web", std::chrono::seconds(1));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Timeout);
        EXPECT_NE(e.hint().find("vmctl destroy web"), std::string::npos);
    }
    EXPECT_EQ(hv.domains.at("web").state, DomainState::Running);
}

TEST_F(LifecycleTest, RebootWaitsForANewBoot) {
    const auto result = ops::reboot_vm(hv, env, "web", true, timeout);
    ASSERT_TRUE(result.ready);
    EXPECT_EQ(result.ready->parsed->boot_id, "web-boot-2");
}

TEST_F(LifecycleTest, RebootOfAStoppedVmIsAnInvalidState) {
    ops::destroy_vm(hv, env, "web");
    try {
        ops::reboot_vm(hv, env, "web", true, timeout);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
    }
}

TEST_F(LifecycleTest, DeleteOfARunningVmNeedsForceAndKeepsEverything) {
    try {
        ops::delete_vm(hv, env, "web", false);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(e.hint().find("--force"), std::string::npos);
    }
    EXPECT_EQ(hv.domains.count("web"), 1u);
    EXPECT_EQ(hv.volumes.size(), 1u);
}

TEST_F(LifecycleTest, DeleteRemovesDomainAndVolumes) {
    const auto result = ops::delete_vm(hv, env, "web", true);
    EXPECT_TRUE(result.was_running);
    EXPECT_EQ(result.removed_volumes.size(), 1u);
    EXPECT_TRUE(hv.domains.empty());
    EXPECT_TRUE(hv.volumes.empty());
}

TEST_F(LifecycleTest, DeleteKeepsDisksOutsideThePool) {
    ops::destroy_vm(hv, env, "web");
    std::string& xml = hv.domains.at("web").xml;
    const std::string path = parse_domain_xml(xml).disks.at(0).path;
    xml.replace(xml.find(path), path.size(), "/srv/shared.qcow2");
    const auto result = ops::delete_vm(hv, env, "web", false);
    EXPECT_EQ(result.kept_disks, std::vector<std::string>{"/srv/shared.qcow2"});
    EXPECT_EQ(hv.volumes.size(), 1u);  // the pool volume is not the VM's disk any more
}

TEST_F(LifecycleTest, UnknownVmIsNotFound) {
    try {
        ops::vm_info(hv, env, "nope");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    }
}

TEST_F(LifecycleTest, InfoReportsDisksWithSizes) {
    const auto info = ops::vm_info(hv, env, "web");
    EXPECT_EQ(info.state, DomainState::Running);
    ASSERT_EQ(info.disks.size(), 1u);
    ASSERT_TRUE(info.disks[0].volume);
    EXPECT_EQ(info.disks[0].volume->capacity_bytes, 1ULL << 30);
}

// `vmctl cost` bills from the journal, so every operation that changes what
// a VM costs writes to it itself, whoever calls it (a command, a lab's
// cleanup, apply, hygiene --fix).
TEST_F(LifecycleTest, EveryOperationWritesTheUsageJournal) {
    ops::stop_vm(hv, env, "web", timeout);
    ops::stop_vm(hv, env, "web", timeout);  // already stopped: nothing changed, nothing written
    ops::start_vm(hv, env, "web", false, timeout);
    ops::resize_vm(hv, env, "web", {2u, std::nullopt, std::nullopt});
    ops::destroy_vm(hv, env, "web");
    ops::delete_vm(hv, env, "web", false);
    std::vector<std::string> events;
    for (const auto& record : host::read_usage(host::usage_journal_path(env.paths))) {
        EXPECT_EQ(record.vm, "web");
        events.push_back(record.event);
    }
    EXPECT_EQ(events, (std::vector<std::string>{"create", "stop", "start", "resize", "stop", "delete"}));
}

}  // namespace
}  // namespace vmctl
