#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

class CreateTest : public ::testing::Test {
protected:
    TempHome home;
    FakeHypervisor hv;
    ops::Environment env = home.env();
    ops::Progress quiet = [](std::string_view) {};

    ops::CreateOptions options(const std::string& name = "web") {
        ops::CreateOptions o;
        o.name = name;
        o.ready_timeout = std::chrono::seconds(3);
        return o;
    }

    ErrorKind failure(const ops::CreateOptions& o) {
        try {
            ops::create_vm(hv, env, o, quiet);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::Internal;
    }

    // Nothing of a failed create may remain.
    void expect_nothing_left(const std::string& name) {
        EXPECT_EQ(hv.domains.count(name), 0u);
        EXPECT_TRUE(hv.volumes.empty());
        EXPECT_FALSE(std::filesystem::exists(env.paths.logs_dir + "/" + name + ".serial.log"));
    }
};

TEST_F(CreateTest, DefinesStartsAndWaitsForTheReadyLine) {
    auto o = options();
    o.labels = {{"owner", "alice"}};
    const auto result = ops::create_vm(hv, env, o, quiet);
    ASSERT_TRUE(result.ready);
    EXPECT_EQ(result.ready->boot_id, "web-boot-1");
    EXPECT_EQ(result.accel.accel, Accel::Tcg);
    EXPECT_EQ(hv.domains.at("web").state, DomainState::Running);
    ASSERT_EQ(hv.volumes.size(), 1u);
    EXPECT_EQ(hv.volumes.begin()->second.capacity_bytes, 1ULL << 30);
    const DomainFacts facts = parse_domain_xml(hv.domains.at("web").xml);
    EXPECT_EQ(facts.metadata.labels.at("owner"), "alice");
    EXPECT_EQ(facts.vcpus, 1u);
    EXPECT_EQ(facts.memory_bytes, 256ULL << 20);
    EXPECT_EQ(facts.disks.at(0).path, hv.volumes.begin()->first);
}

TEST_F(CreateTest, MachineTypeSetsSizeAndFlagsOverrideIt) {
    auto o = options();
    o.machine_type = "e2-small";
    o.vcpus = 1;
    ops::create_vm(hv, env, o, quiet);
    const DomainFacts facts = parse_domain_xml(hv.domains.at("web").xml);
    EXPECT_EQ(facts.vcpus, 1u);
    EXPECT_EQ(facts.memory_bytes, 2ULL << 30);
    EXPECT_EQ(facts.metadata.machine_type, "e2-small");
}

TEST_F(CreateTest, NewVmsGetTheQ35BoardUnlessAskedForPc) {
    ops::create_vm(hv, env, options(), quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("web").xml).machine, "q35");
    auto o = options();
    o.name = "old";
    o.chipset = Chipset::Pc;
    ops::create_vm(hv, env, o, quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("old").xml).machine, "pc");
}

TEST_F(CreateTest, TheQ35BoardStartsTheHostsFastFirmwareAndPcKeepsSeaBios) {
    env.firmware = "/usr/share/qemu/qboot.rom";
    ops::create_vm(hv, env, options(), quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("web").xml).firmware, env.firmware);
    auto o = options();
    o.name = "old";
    o.chipset = Chipset::Pc;
    ops::create_vm(hv, env, o, quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("old").xml).firmware, "");
    env.firmware.clear();  // a host without qboot: QEMU's SeaBIOS
    o.name = "plain";
    o.chipset = Chipset::Q35;
    ops::create_vm(hv, env, o, quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("plain").xml).firmware, "");
}

TEST_F(CreateTest, ExistingNameIsRefusedAndTheOldVmUntouched) {
    ops::create_vm(hv, env, options(), quiet);
    const std::string before = hv.domains.at("web").xml;
    EXPECT_EQ(failure(options()), ErrorKind::AlreadyExists);
    EXPECT_EQ(hv.domains.at("web").xml, before);
    EXPECT_EQ(hv.volumes.size(), 1u);
}

TEST_F(CreateTest, BadInputFailsBeforeAnythingIsMade) {
    auto bad_name = options("Bad_Name");
    EXPECT_EQ(failure(bad_name), ErrorKind::InvalidArgument);
    auto bad_type = options();
    bad_type.machine_type = "e2-huge";
    EXPECT_EQ(failure(bad_type), ErrorKind::InvalidArgument);
    auto small = options();
    small.memory_bytes = 1 << 20;
    EXPECT_EQ(failure(small), ErrorKind::InvalidArgument);
    auto cpus = options();
    cpus.vcpus = 99;
    EXPECT_EQ(failure(cpus), ErrorKind::InvalidArgument);
    auto image = options();
    image.image = "windows";
    EXPECT_EQ(failure(image), ErrorKind::ImageMissing);
    auto binary = options();
    binary.startup_script = std::string("echo \x01\x02", 7);
    EXPECT_EQ(failure(binary), ErrorKind::InvalidArgument);
    EXPECT_TRUE(hv.domains.empty());
    EXPECT_TRUE(hv.pools.empty());
}

TEST_F(CreateTest, ImageNotBuiltSaysHowToBuildIt) {
    std::filesystem::remove_all(home.dir() + "/images");
    env.paths.image_dirs = {home.dir() + "/images"};
    try {
        ops::create_vm(hv, env, options(), quiet);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ImageMissing);
        EXPECT_NE(e.hint().find("images/tiny/build.sh"), std::string::npos);
    }
}

TEST_F(CreateTest, LeftoverVolumeIsExplainedAndKept) {
    hv.ensure_pool("vmctl", env.paths.pool_dir);
    hv.create_volume("vmctl", "web-disk0.qcow2", 1 << 20);
    try {
        ops::create_vm(hv, env, options(), quiet);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::AlreadyExists);
        EXPECT_NE(e.hint().find("virsh vol-delete --pool vmctl web-disk0.qcow2"), std::string::npos);
    }
    EXPECT_EQ(hv.volumes.size(), 1u);
    EXPECT_EQ(hv.domains.count("web"), 0u);
}

TEST_F(CreateTest, FailedStartRemovesEverything) {
    hv.fail_on = "start_domain";
    EXPECT_EQ(failure(options()), ErrorKind::OperationFailed);
    expect_nothing_left("web");
}

TEST_F(CreateTest, FailedDefineRemovesTheVolume) {
    hv.fail_on = "define_domain";
    EXPECT_EQ(failure(options()), ErrorKind::OperationFailed);
    expect_nothing_left("web");
}

TEST_F(CreateTest, GuestThatNeverGetsReadyTimesOutAndIsRemoved) {
    hv.guest_boots = false;
    auto o = options();
    o.ready_timeout = std::chrono::seconds(1);
    try {
        ops::create_vm(hv, env, o, quiet);
        ADD_FAILURE() << "no timeout";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Timeout);
        // It says what happened: the VM is gone, not "still running".
        EXPECT_NE(std::string(e.what()).find("removed again"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.hint()).find("still running"), std::string::npos) << e.hint();
        EXPECT_NE(e.hint().find("web.failed-boot.log"), std::string::npos) << e.hint();
    }
    expect_nothing_left("web");
    EXPECT_TRUE(std::filesystem::exists(env.paths.logs_dir + "/web.failed-boot.log")) << "the console, for the why";
    hv.guest_boots = true;
    ops::create_vm(hv, env, options(), quiet);
    EXPECT_FALSE(std::filesystem::exists(env.paths.logs_dir + "/web.failed-boot.log")) << "gone once it boots";
}

TEST_F(CreateTest, NoWaitReturnsWithoutTheReadyLine) {
    hv.guest_boots = false;
    auto o = options();
    o.wait = false;
    const auto result = ops::create_vm(hv, env, o, quiet);
    EXPECT_FALSE(result.ready);
    EXPECT_EQ(hv.domains.at("web").state, DomainState::Running);
}

TEST_F(CreateTest, StartupScriptTravelsInTheDomainXml) {
    auto o = options();
    o.startup_script = "echo hello > /data/hello\n";
    ops::create_vm(hv, env, o, quiet);
    EXPECT_EQ(parse_domain_xml(hv.domains.at("web").xml).startup_script, o.startup_script);
}

}  // namespace
}  // namespace vmctl
