#include "web_vm_fixture.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/images.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/ops/clone.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/herd.h"
#include "vmctl/ops/image.h"
#include "vmctl/ops/labels.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

class CloneImageTest : public testing::WebVmTest {
protected:
    ops::CreateOptions web_options() const override {
        ops::CreateOptions o = WebVmTest::web_options();
        o.labels = {{"owner", "alice"}};
        o.startup_script = "echo hi\n";
        return o;
    }
};

TEST_F(CloneImageTest, CloneOfARunningVmIsRefused) {
    EXPECT_EQ(failure([&] { ops::clone_vm(hv, env, {"web", "web-copy"}, quiet); }), ErrorKind::InvalidState);
    EXPECT_EQ(hv.domains.count("web-copy"), 0u);
}

TEST_F(CloneImageTest, FullCloneHasItsOwnDiskAndTheSameSettings) {
    hv.destroy_domain("web");
    const auto result = ops::clone_vm(hv, env, {"web", "web-copy"}, quiet);
    ASSERT_TRUE(result.ready);
    EXPECT_EQ(hv.domains.at("web-copy").state, DomainState::Running);
    const DomainFacts copy = parse_domain_xml(hv.domains.at("web-copy").xml);
    EXPECT_EQ(copy.metadata.labels.at("owner"), "alice");
    EXPECT_EQ(copy.startup_script, "echo hi\n");
    EXPECT_NE(copy.disks.at(0).path, parse_domain_xml(hv.domains.at("web").xml).disks.at(0).path);
    EXPECT_EQ(hv.backing_of.count(copy.disks.at(0).path), 0u) << "a full clone has no backing file";
}

TEST_F(CloneImageTest, ACloneKeepsTheBoardFirmwareLimitsAndNetworkWithItsOwnMac) {
    env.firmware = "/usr/share/qemu/qboot.rom";
    ops::CreateOptions o;
    o.name = "old";
    o.chipset = Chipset::Pc;
    o.vcpus = 2;
    o.max_vcpus = 4;
    o.memory_bytes = 512ULL << 20;
    o.max_memory_bytes = 1ULL << 30;
    ops::create_vm(hv, env, o, quiet);
    ops::create_vm(hv, env, {.name = "fast"}, quiet);
    hv.destroy_domain("old");
    hv.destroy_domain("fast");
    ops::clone_vm(hv, env, {"old", "old-copy"}, quiet);
    ops::clone_vm(hv, env, {"fast", "fast-copy"}, quiet);

    const DomainFacts source = parse_domain_xml(hv.domains.at("old").xml);
    const DomainFacts copy = parse_domain_xml(hv.domains.at("old-copy").xml);
    EXPECT_EQ(copy.machine, "pc");
    EXPECT_EQ(copy.firmware, "");
    EXPECT_EQ(copy.vcpus, 2u);
    EXPECT_EQ(copy.max_vcpus, 4u);
    EXPECT_EQ(copy.max_memory_bytes, 1ULL << 30);
    ASSERT_EQ(copy.interfaces.size(), 1u) << "a copy of a server is reachable too";
    EXPECT_EQ(copy.interfaces.front().network, "vmctl");
    EXPECT_NE(copy.interfaces.front().mac, source.interfaces.at(0).mac);
    EXPECT_EQ(copy.metadata.mac, copy.interfaces.front().mac);

    const DomainFacts fast_copy = parse_domain_xml(hv.domains.at("fast-copy").xml);
    EXPECT_EQ(fast_copy.machine, "q35");
    EXPECT_EQ(fast_copy.firmware, env.firmware);
}

TEST_F(CloneImageTest, ACloneOfAVmWithoutANicHasNone) {
    ops::CreateOptions o;
    o.name = "quiet";
    o.network = {NetworkRequest::Kind::None, ""};
    ops::create_vm(hv, env, o, quiet);
    hv.destroy_domain("quiet");
    ops::clone_vm(hv, env, {"quiet", "quiet-copy"}, quiet);
    EXPECT_TRUE(parse_domain_xml(hv.domains.at("quiet-copy").xml).interfaces.empty());
}

TEST_F(CloneImageTest, ALinkedCloneOfAVmWithALongNameWorks) {
    const std::string source(63, 'l');
    ops::CreateOptions o;
    o.name = source;
    ops::create_vm(hv, env, o, quiet);
    hv.destroy_domain(source);
    const auto first = ops::clone_vm(hv, env, {source, "copy-1", true}, quiet);
    EXPECT_LE(first.base_image.size(), 63u) << first.base_image;
    EXPECT_NO_THROW(validate_name("image", first.base_image));
    EXPECT_EQ(first.base_image.rfind(std::string(42, 'l') + "-base-", 0), 0u) << first.base_image;
}

TEST_F(CloneImageTest, LinkedCloneIsAnOverlayOnAGoldenImage) {
    hv.destroy_domain("web");
    const auto result = ops::clone_vm(hv, env, {"web", "web-2", true}, quiet);
    EXPECT_FALSE(result.base_image.empty());
    const DomainFacts clone = parse_domain_xml(hv.domains.at("web-2").xml);
    EXPECT_EQ(clone.metadata.image, result.base_image);
    const std::string base = hv.backing_of.at(clone.disks.at(0).path);
    const auto images = ops::list_images(hv, env);
    const auto golden = std::find_if(images.begin(), images.end(),
                                     [&](const ops::ImageUse& u) { return u.image.name == result.base_image; });
    ASSERT_NE(golden, images.end());
    EXPECT_EQ(golden->image.base_disk, base);
    EXPECT_EQ(golden->used_by, std::vector<std::string>{"web-2"});
    // While web-2 uses it, the image stays.
    EXPECT_EQ(failure([&] { ops::delete_image(hv, env, result.base_image); }), ErrorKind::InvalidState);
    ops::delete_vm(hv, env, "web-2", true);
    ops::delete_image(hv, env, result.base_image);
    EXPECT_EQ(hv.volumes.count(base), 0u);
}

TEST_F(CloneImageTest, GoldenImageServesNewVmsAndCannotBeDeletedWhileUsed) {
    hv.destroy_domain("web");
    ops::create_image(hv, env, "web-golden", "web");
    EXPECT_EQ(failure([&] { ops::create_image(hv, env, "web-golden", "web"); }), ErrorKind::AlreadyExists);
    EXPECT_EQ(failure([&] { ops::create_image(hv, env, "tiny", "web"); }), ErrorKind::AlreadyExists);
    ops::CreateOptions o;
    o.name = "app";
    o.image = "web-golden";
    ops::create_vm(hv, env, o, quiet);
    const std::string disk = parse_domain_xml(hv.domains.at("app").xml).disks.at(0).path;
    EXPECT_EQ(hv.backing_of.count(disk), 1u);
    try {
        ops::delete_image(hv, env, "web-golden");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(std::string(e.what()).find("app"), std::string::npos) << "names the VMs using it";
    }
    EXPECT_EQ(failure([&] { ops::delete_image(hv, env, "tiny"); }), ErrorKind::InvalidState);
}

// `vmctl image delete ../../some/dir` once deleted a folder outside vmctl's
// images: names are checked wherever they are taken, and what is deleted
// must lie in vmctl's folders.
TEST_F(CloneImageTest, ImageNamesCannotLeaveTheImagesFolder) {
    const std::string outside = home.dir() + "/precious";
    std::filesystem::create_directories(outside);
    std::ofstream(outside + "/golden") << "base_image=tiny\ndisk=" << outside << "/disk.qcow2\n";
    const std::string escape = "../" + std::filesystem::path(outside).filename().string();
    for (const std::string& name : {escape, std::string("../../x"), std::string("a/b"), std::string("")}) {
        EXPECT_EQ(failure([&] { ops::delete_image(hv, env, name); }), ErrorKind::InvalidArgument) << name;
        ops::CreateOptions o;
        o.name = "app";
        o.image = name;
        EXPECT_EQ(failure([&] { ops::create_vm(hv, env, o, quiet); }), ErrorKind::InvalidArgument) << name;
        EXPECT_FALSE(hv.domain_exists("app"));
    }
    EXPECT_TRUE(std::filesystem::exists(outside + "/golden"));
    EXPECT_EQ(failure([&] { host::remove_image_dir(outside, env.paths.image_dirs); }), ErrorKind::InvalidState);
    EXPECT_TRUE(std::filesystem::exists(outside + "/golden"));
}

TEST_F(CloneImageTest, AGoldenImageWhoseDiskLiesOutsideVmctlsFolderIsNotDeleted) {
    hv.destroy_domain("web");
    ops::create_image(hv, env, "web-golden", "web");
    // Its descriptor edited to name a volume elsewhere.
    const std::string dir = env.paths.image_dirs.front() + "/web-golden";
    const std::string elsewhere = "/srv/shared/other.qcow2";
    hv.volumes[elsewhere] = {"other.qcow2", elsewhere, 1ULL << 20, 0};
    std::ofstream(dir + "/golden") << "base_image=tiny\ndisk=" << elsewhere << "\n";
    EXPECT_EQ(failure([&] { ops::delete_image(hv, env, "web-golden"); }), ErrorKind::InvalidState);
    EXPECT_EQ(hv.volumes.count(elsewhere), 1u);
    EXPECT_TRUE(std::filesystem::exists(dir + "/golden"));
}

TEST_F(CloneImageTest, AnImageUsedOnAnotherHostOrMaybeOnASilentOneIsNotDeleted) {
    hv.destroy_domain("web");
    ops::create_image(hv, env, "web-golden", "web");
    ops::UseElsewhere used;
    used.image_users["web-golden"] = {"host-b/app"};
    try {
        ops::delete_image(hv, env, "web-golden", used);
        ADD_FAILURE() << "deleted an image a VM on host-b uses";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(std::string(e.what()).find("host-b/app"), std::string::npos) << e.what();
    }
    ops::UseElsewhere silent;
    silent.unreachable = {"host-c"};
    EXPECT_EQ(failure([&] { ops::delete_image(hv, env, "web-golden", silent); }), ErrorKind::InvalidState);
    EXPECT_TRUE(std::filesystem::exists(env.paths.image_dirs.front() + "/web-golden/golden"));
    ops::delete_image(hv, env, "web-golden", ops::UseElsewhere{});
    EXPECT_FALSE(std::filesystem::exists(env.paths.image_dirs.front() + "/web-golden"));
}

TEST_F(CloneImageTest, HerdIsLabelledCattleAndAllReady) {
    ops::CreateOptions o;
    o.name = "app";
    const auto herd = ops::create_herd(hv, env, o, 3, quiet);
    ASSERT_EQ(herd.members.size(), 3u);
    for (const auto& member : herd.members)
        EXPECT_TRUE(member.ready) << member.name;
    const auto cattle = ops::select_by_label(hv, "group", "app");
    ASSERT_EQ(cattle.size(), 3u);
    EXPECT_EQ(cattle[2].name, "app-3");
    EXPECT_EQ(cattle[0].metadata.labels.at("kind"), "cattle");
}

TEST_F(CloneImageTest, HerdWithNoWaitReturnsOnceStarted) {
    ops::CreateOptions o;
    o.name = "app";
    o.wait = false;
    hv.guest_boots = false;  // it would never be ready: a wait would time out
    const auto herd = ops::create_herd(hv, env, o, 2, quiet);
    ASSERT_EQ(herd.members.size(), 2u);
    for (const auto& member : herd.members) {
        EXPECT_FALSE(member.ready) << member.name;
        EXPECT_EQ(hv.domains.at(member.name).state, DomainState::Running);
    }
}

TEST_F(CloneImageTest, HerdThatFailsPartWayLeavesNothing) {
    ops::CreateOptions o;
    o.name = "app";
    hv.guest_boots = false;
    o.ready_timeout = std::chrono::seconds(1);
    EXPECT_EQ(failure([&] { ops::create_herd(hv, env, o, 2, quiet); }), ErrorKind::Timeout);
    EXPECT_TRUE(ops::select_by_label(hv, "group", "app").empty());
    EXPECT_EQ(hv.domains.size(), 1u);  // only "web"
}

// Ctrl-C (the handler sets the flag) while the herd is made or boots: the
// same rollback as for an error removes every member.
TEST_F(CloneImageTest, CtrlCWhileTheHerdIsMadeOrBootsLeavesNothing) {
    struct Reset {
        ~Reset() { host::set_interrupted(false); }
    } reset;
    ops::CreateOptions o;
    o.name = "app";
    const auto after = [](const std::string& message) {
        return [message](std::string_view line) {
            if (line.rfind(message, 0) == 0)
                host::set_interrupted(true);
        };
    };
    // While the members are made: app-2 is never made.
    EXPECT_EQ(failure([&] { ops::create_herd(hv, env, o, 3, after("started app-1")); }), ErrorKind::Interrupted);
    EXPECT_TRUE(ops::select_by_label(hv, "group", "app").empty());
    EXPECT_EQ(hv.domains.size(), 1u);  // only "web"
    // While they boot.
    host::set_interrupted(false);
    hv.guest_boots = false;
    EXPECT_EQ(failure([&] { ops::create_herd(hv, env, o, 2, after("waiting for")); }), ErrorKind::Interrupted);
    EXPECT_TRUE(ops::select_by_label(hv, "group", "app").empty());
    // A single VM too.
    host::set_interrupted(false);
    o.name = "solo";
    EXPECT_EQ(failure([&] { ops::create_vm(hv, env, o, after("waiting for")); }), ErrorKind::Interrupted);
    EXPECT_EQ(hv.domains.count("solo"), 0u);
}

TEST_F(CloneImageTest, PetsAreRefusedUntilUnprotected) {
    EXPECT_TRUE(ops::set_protected(hv, "web", true));
    EXPECT_FALSE(ops::set_protected(hv, "web", true));
    try {
        ops::delete_vm(hv, env, "web", true);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(e.hint().find("vmctl unprotect web"), std::string::npos);
    }
    EXPECT_EQ(hv.domains.count("web"), 1u);
    EXPECT_TRUE(ops::set_protected(hv, "web", false));
    ops::delete_vm(hv, env, "web", true);
    EXPECT_EQ(hv.domains.count("web"), 0u);
}

}  // namespace
}  // namespace vmctl
