// cloud-init for real OS images: the seed's contents, what the guest
// reports, how images with a root disk are found, and what `image import`
// refuses. No QEMU; qemu-img runs on small files the test makes.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"

#include "vmctl/core/cloud_init.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/host/images.h"
#include "vmctl/ops/clone.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/image.h"
#include "vmctl/ops/lifecycle.h"
#include "vmctl/ops/wait.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

using testing::failure_kind;

TEST(CloudInitSeed, MetaDataNamesTheVmAndCarriesTheKeys) {
    const auto seed = build_cloud_init_seed({"web", "web-1700000000", "ssh-ed25519 AAAA one\nssh-ed25519 BBBB two\n",
                                             "", ""});
    const YAML::Node meta = YAML::Load(seed.meta_data);
    EXPECT_EQ(meta["instance-id"].as<std::string>(), "web-1700000000");
    EXPECT_EQ(meta["local-hostname"].as<std::string>(), "web");
    ASSERT_EQ(meta["public-keys"].size(), 2U);
    EXPECT_EQ(meta["public-keys"][1].as<std::string>(), "ssh-ed25519 BBBB two");
}

TEST(CloudInitSeed, TheStartupScriptIsWrittenAsItIsAndRunAtEveryBoot) {
    const std::string script = "#!/bin/sh\necho 'hello: \"world\"' > /tmp/x\nexit 3\n";
    const auto seed = build_cloud_init_seed({"web", "id", "", script, ""});
    ASSERT_EQ(seed.user_data.rfind("#cloud-config\n", 0), 0U) << seed.user_data;
    const YAML::Node user = YAML::Load(seed.user_data);
    ASSERT_EQ(user["write_files"].size(), 2U);
    EXPECT_EQ(user["write_files"][0]["path"].as<std::string>(), "/var/lib/vmctl/startup-script");
    EXPECT_EQ(user["write_files"][0]["content"].as<std::string>(), script);
    EXPECT_NE(user["write_files"][1]["content"].as<std::string>().find("startup-script exit="), std::string::npos);
    EXPECT_EQ(user["write_files"][1]["path"].as<std::string>(), "/var/lib/cloud/scripts/per-boot/vmctl-startup");
    EXPECT_EQ(user["write_files"][1]["permissions"].as<std::string>(), "0755");
    EXPECT_FALSE(user["runcmd"]) << "runcmd runs once per instance";
    EXPECT_NE(user["final_message"].as<std::string>().find("vmctl-guest: cloud-init finished"), std::string::npos);
}

TEST(CloudInitSeed, WithoutAScriptNothingRunsAndAUserFileIsPassedThrough) {
    const YAML::Node plain = YAML::Load(build_cloud_init_seed({"web", "id", "", "", ""}).user_data);
    EXPECT_FALSE(plain["runcmd"]);
    EXPECT_FALSE(plain["write_files"]);
    const std::string mine = "#cloud-config\npackages: [nginx]\n";
    EXPECT_EQ(build_cloud_init_seed({"web", "id", "k", "", mine}).user_data, mine);
}

TEST(CloudInitSeed, UserDataMustLookLikeUserData) {
    EXPECT_NO_THROW(check_user_data("#cloud-config\n{}\n", "a.yaml"));
    EXPECT_NO_THROW(check_user_data("#!/bin/sh\ntrue\n", "a.sh"));
    EXPECT_EQ(failure_kind([] { check_user_data("packages: [nginx]\n", "a.yaml"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(failure_kind([] { check_user_data("", "empty.yaml"); }), ErrorKind::InvalidArgument);
}

TEST(CloudInitReport, ReadsWhatTheGuestPrinted) {
    const auto report = read_cloud_init_report(
        "[  OK  ] Started ssh.service\r\n"
        "startup: installing\r\n"
        "vmctl-guest: startup-script exit=3\r\n"
        "vmctl-guest: cloud-init status=error\r\n"
        "[   97.512] cloud-init[346]: vmctl-guest: cloud-init finished after 97.5 seconds\r\n");
    EXPECT_TRUE(report.finished);
    EXPECT_EQ(report.status, "error");
    ASSERT_TRUE(report.startup_exit);
    EXPECT_EQ(*report.startup_exit, 3);

    const auto nothing = read_cloud_init_report("Booting...\n");
    EXPECT_FALSE(nothing.finished);
    EXPECT_FALSE(nothing.startup_exit);
    EXPECT_TRUE(is_cloud_init_finished("[   95.1] cloud-init[512]: Cloud-init v. 22.4.2 finished at Wed, 02 Dec 2026 "
                                       "06:20:00 +0000. Datasource DataSourceNoCloud.  Up 95.10 seconds"));
    EXPECT_FALSE(is_cloud_init_finished("Cloud-init v. 22.4.2 running 'modules:final'"));
}

TEST(CloudInitDomain, AnImportedImageBootsItsDiskAndTheSeedIsTheSecondDisk) {
    VmSpec spec;
    spec.name = "web";
    spec.vcpus = 1;
    spec.memory_bytes = 256ULL << 20;
    DomainFiles files;
    files.disk = "/pool/web-disk0.qcow2";
    files.seed = "/pool/web-seed.qcow2";
    files.serial_log = "/logs/web.serial.log";
    const DomainFacts facts = parse_domain_xml(build_domain_xml(spec, files));
    EXPECT_TRUE(facts.kernel.empty());
    ASSERT_EQ(facts.disks.size(), 2U);
    EXPECT_EQ(facts.disks[1].path, "/pool/web-seed.qcow2");
    EXPECT_EQ(facts.disks[1].target, "vdb");
    EXPECT_NE(build_domain_xml(spec, files).find("<boot dev=\"hd\""), std::string::npos);
}

class RealImageTest : public ::testing::Test {
protected:
    testing::TempHome home;
    ops::Environment env = home.env();
    testing::FakeHypervisor hv;

    std::string file(const std::string& name) const { return home.dir() + "/" + name; }
    bool left_behind(const std::string& image) const {
        std::error_code ec;
        return std::filesystem::exists(env.paths.golden_dir + "/" + image + ".qcow2", ec) ||
               std::filesystem::exists(env.paths.golden_dir + "/" + image + ".qcow2.part", ec) ||
               std::filesystem::exists(env.paths.image_dirs.front() + "/" + image, ec);
    }
    // A 32 MiB raw disk with a boot sector's signature, as an MBR has.
    static void write_boot_disk(const std::string& path) {
        {
            std::ofstream raw(path, std::ios::binary);
            std::string sector(512, '\0');
            sector[510] = static_cast<char>(0x55);
            sector[511] = static_cast<char>(0xAA);
            raw << sector;
        }
        std::filesystem::resize_file(path, 32ULL << 20);
    }
    void qemu_img(const std::string& arguments) const {
        ASSERT_EQ(std::system(("qemu-img " + arguments + " >/dev/null 2>&1").c_str()), 0) << arguments;
    }
};

TEST_F(RealImageTest, ARecipeImageWithARootDiskIsAnOverlayBaseWithCloudInit) {
    const std::string dir = env.paths.image_dirs.front() + "/debian-12";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/vmlinuz") << "bzImage";
    std::ofstream(dir + "/initrd.img") << "cpio";
    std::ofstream(dir + "/manifest") << "kernel_file=vmlinuz\nroot_disk=root-abc.qcow2\ncloud_init=1\n";
    EXPECT_EQ(failure_kind([&] { host::find_image("debian-12", env.paths.image_dirs); }), ErrorKind::ImageMissing)
        << "a root disk named but missing: not built";
    std::ofstream(dir + "/root-abc.qcow2") << "qcow2";
    const auto image = host::find_image("debian-12", env.paths.image_dirs);
    EXPECT_EQ(image.kernel, dir + "/vmlinuz");
    EXPECT_EQ(image.base_disk, dir + "/root-abc.qcow2");
    EXPECT_TRUE(image.cloud_init);
    EXPECT_FALSE(image.golden);
    EXPECT_FALSE(host::find_image("tiny", env.paths.image_dirs).cloud_init);
}

TEST_F(RealImageTest, CloudInitOptionsThatCannotApplyAreRefusedBeforeAnythingIsMade) {
    ops::CreateOptions options;
    options.name = "web";
    options.cloud_init = "#cloud-config\n";
    EXPECT_EQ(failure_kind([&] { ops::create_vm(hv, env, options, [](std::string_view) {}); }),
              ErrorKind::InvalidArgument)
        << "tiny has no cloud-init";
    options.startup_script = "echo hi\n";
    EXPECT_EQ(failure_kind([&] { ops::create_vm(hv, env, options, [](std::string_view) {}); }),
              ErrorKind::InvalidArgument)
        << "both at once";
    EXPECT_TRUE(hv.list_domains().empty());
}

TEST_F(RealImageTest, WhatIsNotABootableImageIsRefusedAndNothingIsLeft) {
    std::ofstream(file("notes.txt")) << "this is not a disk\n";
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "notes", file("notes.txt"), true); }),
              ErrorKind::InvalidArgument);
    EXPECT_FALSE(left_behind("notes"));

    qemu_img("create -q -f vmdk " + file("disk.vmdk") + " 64M");
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "vm", file("disk.vmdk"), true); }),
              ErrorKind::InvalidArgument);

    // A qcow2 cut short, as a download that stopped half way.
    {
        std::ofstream raw(file("data.raw"), std::ios::binary);
        for (int i = 0; i < 32 * 1024; ++i)
            raw << std::string(1024, static_cast<char>('a' + i % 26));
    }
    qemu_img("convert -f raw -O qcow2 " + file("data.raw") + " " + file("cut.qcow2"));
    std::filesystem::resize_file(file("cut.qcow2"), std::filesystem::file_size(file("cut.qcow2")) / 2);
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "cut", file("cut.qcow2"), true); }),
              ErrorKind::InvalidArgument);
    EXPECT_FALSE(left_behind("cut"));
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "gone", file("missing.qcow2"), true); }),
              ErrorKind::InvalidArgument);
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "tiny", file("data.raw"), true); }),
              ErrorKind::AlreadyExists)
        << "a built-in image's name";
}

TEST_F(RealImageTest, AnImportedImageIsAReadOnlyCopyThatListsAndDeletes) {
    write_boot_disk(file("cloud.raw"));
    const auto image = ops::import_image(hv, env, "mycloud", file("cloud.raw"), false);
    EXPECT_TRUE(image.imported);
    EXPECT_EQ(image.base_disk, env.paths.golden_dir + "/mycloud.qcow2");
    const auto found = host::find_image("mycloud", env.paths.image_dirs);
    EXPECT_TRUE(found.imported);
    EXPECT_FALSE(found.cloud_init);
    EXPECT_TRUE(found.kernel.empty());
    EXPECT_EQ(found.source_file, file("cloud.raw"));
    const auto perms = std::filesystem::status(image.base_disk).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::owner_write, std::filesystem::perms::none);
    EXPECT_EQ(failure_kind([&] { ops::import_image(hv, env, "mycloud", file("cloud.raw"), false); }),
              ErrorKind::AlreadyExists);

    // A VM of it, frozen as a golden image for a class: that image boots the
    // same way, by its own loader, with no vmctl ready line to wait for.
    // (libvirt finds the imported disk in its pool; the fake is told)
    hv.volumes[image.base_disk] = {"mycloud.qcow2", image.base_disk, 32ULL << 20, 0};
    ops::CreateOptions base;
    base.name = "base";
    base.image = "mycloud";
    ops::create_vm(hv, env, base, [](std::string_view) {});
    hv.destroy_domain("base");
    ops::create_image(hv, env, "mycloud-class", "base");
    const auto golden = host::find_image("mycloud-class", env.paths.image_dirs);
    EXPECT_TRUE(golden.golden);
    EXPECT_TRUE(golden.imported) << "no vmctl ready line: create must not wait for one";
    EXPECT_TRUE(golden.kernel.empty());
    EXPECT_EQ(failure_kind([&] { ops::delete_image(hv, env, "mycloud"); }), ErrorKind::InvalidState)
        << "the golden image made from it needs it";
    ops::delete_vm(hv, env, "base", true);
    ops::delete_image(hv, env, "mycloud-class");

    ops::CreateOptions options;
    options.name = "web";
    options.image = "mycloud";
    options.startup_script = "echo hi\n";
    EXPECT_EQ(failure_kind([&] { ops::create_vm(hv, env, options, [](std::string_view) {}); }),
              ErrorKind::InvalidArgument)
        << "no cloud-init in it to run a startup script";

    ops::delete_image(hv, env, "mycloud");
    EXPECT_FALSE(left_behind("mycloud"));
}

// start and reboot wait for a VM as create did: minutes for cloud-init, and
// for an imported image its final message instead of a ready line.
TEST_F(RealImageTest, AnExistingVmIsWaitedForAsItWasWhenCreated) {
    write_boot_disk(file("cloud.raw"));
    ops::import_image(hv, env, "mycloud", file("cloud.raw"), true);
    DomainFacts vm;
    vm.metadata.image = "mycloud";
    vm.disks = {DiskFacts{"vda", "/pool/web-disk0.qcow2", "qcow2", "disk"}};
    EXPECT_FALSE(ops::ready_signal_of(env, vm).cloud_init) << "no seed disk: nothing for cloud-init to do";
    vm.disks.push_back(DiskFacts{"vdb", "/pool/web-seed.qcow2", "qcow2", "disk"});
    EXPECT_TRUE(ops::ready_signal_of(env, vm).cloud_init);
    EXPECT_TRUE(ops::ready_signal_of(env, vm).imported_image);
    vm.metadata.image = "debian-12";
    EXPECT_TRUE(ops::ready_signal_of(env, vm).cloud_init);
    EXPECT_FALSE(ops::ready_signal_of(env, vm).imported_image) << "a recipe image prints vmctl's ready line";
    ops::delete_image(hv, env, "mycloud");

    using std::chrono::seconds;
    EXPECT_EQ(ops::ready_timeout(false, seconds(180)), seconds(180));
    EXPECT_EQ(ops::ready_timeout(true, seconds(180)), ops::kCloudInitReadyTimeout);
    EXPECT_EQ(ops::ready_timeout(true, seconds(2000)), seconds(2000)) << "asking for longer is honoured";
}

// A VM of an image imported without cloud-init says nothing when it is up:
// start, reboot and clone say so and return, as create does, instead of
// waiting out their timeout for a ready line that never comes. With
// cloud-init, a reboot is over at the new boot's final message, not at the
// earlier boot's that is still in the log.
TEST_F(RealImageTest, AnImportedImageIsWaitedForByWhatItSays) {
    write_boot_disk(file("cloud.raw"));
    const auto image = ops::import_image(hv, env, "silent", file("cloud.raw"), false);
    hv.volumes[image.base_disk] = {"silent.qcow2", image.base_disk, 32ULL << 20, 0};
    hv.vmctl_ready_line = false;
    std::string said;
    const auto progress = [&](std::string_view line) { said += std::string(line) + "\n"; };
    const std::chrono::seconds timeout{1};
    ops::CreateOptions options;
    options.name = "quiet";
    options.image = "silent";
    ops::create_vm(hv, env, options, progress);
    ops::destroy_vm(hv, env, "quiet");

    said.clear();
    EXPECT_FALSE(ops::start_vm(hv, env, "quiet", true, timeout, progress).ready);
    EXPECT_EQ(hv.domain_state("quiet"), DomainState::Running);
    EXPECT_NE(said.find("no cloud-init: not waiting for 'quiet'"), std::string::npos) << said;
    said.clear();
    EXPECT_FALSE(ops::reboot_vm(hv, env, "quiet", true, timeout, progress).ready);
    EXPECT_NE(said.find("not waiting"), std::string::npos) << said;
    ops::destroy_vm(hv, env, "quiet");
    said.clear();
    ops::CloneOptions clone;
    clone.source = "quiet";
    clone.target = "quiet-copy";
    clone.ready_timeout = timeout;
    EXPECT_FALSE(ops::clone_vm(hv, env, clone, progress).ready);
    EXPECT_EQ(hv.domain_state("quiet-copy"), DomainState::Running) << "started, and kept";
    EXPECT_NE(said.find("not waiting for 'quiet-copy'"), std::string::npos) << said;

    // Set up by cloud-init (a seed disk): up at the new boot's final message.
    hv.attach_device("quiet", build_disk_device_xml(env.paths.pool_dir + "/quiet-seed.qcow2", "vdb"), false);
    const auto started = ops::start_vm(hv, env, "quiet", true, timeout, progress);
    ASSERT_TRUE(started.ready);
    EXPECT_NE(started.ready->line.find("finished at boot"), std::string::npos) << started.ready->line;
    const auto rebooted = ops::reboot_vm(hv, env, "quiet", true, timeout, progress);
    ASSERT_TRUE(rebooted.ready);
    EXPECT_NE(rebooted.ready->line, started.ready->line) << "the earlier boot's final message does not count";
    ops::delete_vm(hv, env, "quiet-copy", true);
    ops::delete_vm(hv, env, "quiet", true);
}

}  // namespace
}  // namespace vmctl
