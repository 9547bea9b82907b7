// A real operating system: the debian-12 image (systemd, OpenSSH, the guest
// agent, cloud-init) set up the cloud's way, from a NoCloud seed disk. Needs
// the image built (scripts/test.sh builds it). Traffic goes only to the
// test's own VMs on the vmctl network.

#include "e2e_env.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>

namespace vmctl::e2e {
namespace {

std::string trim(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    return text;
}

class DebianE2E : public E2ETest {
protected:
    // A script file the test owns, removed afterwards.
    std::string script(const std::string& name, const std::string& text) {
        const std::string path = ::testing::TempDir() + "vmctl-e2e-" + name;
        std::ofstream(path) << text;
        m_files.push_back(path);
        return path;
    }
    void TearDown() override {
        for (const auto& path : m_files)
            std::remove(path.c_str());
        E2ETest::TearDown();
    }

private:
    std::vector<std::string> m_files;
};

TEST_F(DebianE2E, AStartupScriptServesAPageThatSshExecAndASnapshotSee) {
    const std::string name = vm_name("deb");
    const std::string web = script("web.sh",
                                   "#!/bin/sh\n"
                                   "mkdir -p /srv/www && echo \"hello from $(hostname)\" > /srv/www/index.html\n"
                                   "cd /srv/www && nohup python3 -m http.server 80 >/dev/null 2>&1 &\n"
                                   "echo serving\n");
    const RunResult created = vmctl({"create", name, "--image", "debian-12", "--startup-script", web});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    EXPECT_NE(created.out.find("cloud-init finished (done); the startup script succeeded"), std::string::npos)
        << created.out;
    EXPECT_NE(created.out.find("vmctl-guest: ready"), std::string::npos) << created.out;
    const std::string ip = printed_address(created.out);
    ASSERT_FALSE(ip.empty()) << created.out;

    // The page the script serves, from the host, over the vmctl network.
    const RunResult page = shell("curl -s --max-time 10 http://" + ip + "/");
    EXPECT_EQ(page.out, "hello from " + name + "\n") << page.err;
    // The script's output on the console; SSH with the user's key as root;
    // the guest agent; the Debian kernel, not the tiny one.
    EXPECT_NE(vmctl({"logs", name}).out.find("startup: serving"), std::string::npos);
    const RunResult os = vmctl({"ssh", name, "--", "cat", "/etc/debian_version"});
    EXPECT_EQ(os.exit_code, 0) << os.out << os.err;
    EXPECT_EQ(os.out.rfind("12.", 0), 0u) << os.out;
    const RunResult kernel = vmctl({"exec", name, "--", "uname", "-r"});
    EXPECT_NE(kernel.out.find("-cloud-amd64"), std::string::npos) << kernel.out << kernel.err;
    // cloud-init grew the root filesystem to the VM's disk (2 GiB image).
    EXPECT_EQ(vmctl({"exec", name, "--", "test", "-s", "/var/lib/vmctl/startup-script"}).exit_code, 0);

    // The serial console is a root shell, as on tiny (root has no password).
    EXPECT_NE(console_run(name, "echo console-$((6*7))").find("console-42"), std::string::npos);

    // The bill and the hygiene check see it like any VM (it has no owner label).
    EXPECT_NE(vmctl({"cost"}).out.find(name), std::string::npos);
    EXPECT_NE(vmctl({"hygiene"}).out.find("vmctl label " + name + " owner="), std::string::npos);

    // A snapshot brings back a file deleted after it.
    ASSERT_EQ(vmctl({"snapshot", "create", name, "before"}).exit_code, 0);
    ASSERT_EQ(vmctl({"exec", name, "--", "rm", "/srv/www/index.html"}).exit_code, 0);
    const RunResult reverted = vmctl({"snapshot", "revert", name, "before"});
    ASSERT_EQ(reverted.exit_code, 0) << reverted.out << reverted.err;
    EXPECT_TRUE(wait_for_exec(name, {"test", "-f", "/srv/www/index.html"}, true, std::chrono::seconds(30)));

    // A linked clone is a server of its own: cloud-init runs again from a new
    // seed (hostname, SSH host keys, the startup script) and the network's
    // DHCP server tells the two apart by MAC, though they share a machine-id.
    const std::string host_key = vmctl({"exec", name, "--", "cat", "/etc/ssh/ssh_host_ed25519_key.pub"}).out;
    ASSERT_EQ(vmctl({"stop", name}).exit_code, 0);
    const std::string copy = vm_name("debcopy");
    const RunResult cloned = vmctl({"clone", name, copy, "--linked"});
    ASSERT_EQ(cloned.exit_code, 0) << cloned.out << cloned.err;
    const RunResult restarted = vmctl({"start", name});
    if (restarted.exit_code != 0) {
        const std::string console = vmctl({"logs", name}).out;
        FAIL() << restarted.err << "the end of its console:\n"
               << console.substr(console.size() - std::min<std::size_t>(console.size(), 3000));
    }
    EXPECT_EQ(vmctl({"exec", copy, "--", "hostname"}).out, copy + "\n");
    const std::string copy_key = vmctl({"exec", copy, "--", "cat", "/etc/ssh/ssh_host_ed25519_key.pub"}).out;
    EXPECT_FALSE(copy_key.empty());
    EXPECT_NE(copy_key, host_key) << "the clone made its own SSH host keys";
    const std::string copy_ip = trim(vmctl({"info", copy, "--get", "ip"}).out);
    const std::string source_ip = trim(vmctl({"info", name, "--get", "ip"}).out);
    ASSERT_FALSE(copy_ip.empty());
    EXPECT_NE(copy_ip, source_ip);
    EXPECT_EQ(shell("curl -s --max-time 10 http://" + copy_ip + "/").out, "hello from " + copy + "\n")
        << "the startup script ran again in the clone";
    EXPECT_EQ(shell("curl -s --max-time 10 http://" + source_ip + "/").out, "hello from " + name + "\n");
    EXPECT_EQ(vmctl({"ssh", copy, "--", "true"}).exit_code, 0) << "the user's key works in the clone";
    EXPECT_EQ(vmctl({"delete", copy, "--force"}).exit_code, 0);

    // A hot-plugged vCPU goes to work at once (the image's udev rule onlines
    // it). Last, with the clone gone: two Debian VMs of two vCPUs each would
    // share this machine's two cores through the restart above.
    const RunResult grown = vmctl({"resize", name, "--cpus", "2"});
    ASSERT_EQ(grown.exit_code, 0) << grown.out << grown.err;
    EXPECT_NE(grown.out.find("hot-plugged"), std::string::npos) << grown.out;
    EXPECT_TRUE(wait_for_exec(name, {"sh", "-c", "test \"$(nproc)\" = 2"}, true, std::chrono::seconds(30)))
        << vmctl({"exec", name, "--", "nproc"}).out;
}

TEST_F(DebianE2E, AFailingStartupScriptIsReportedAndTheVmStaysToLookAt) {
    const std::string name = vm_name("debfail");
    const std::string fail = script("fail.sh", "#!/bin/sh\necho 'no such package: nginx-pro'\nexit 3\n");
    const RunResult created = vmctl({"create", name, "--image", "debian-12", "--startup-script", fail});
    EXPECT_EQ(created.exit_code, 16) << created.out << created.err;
    EXPECT_NE(created.err.find("startup script failed (exit 3)"), std::string::npos) << created.err;
    EXPECT_NE(created.err.find("vmctl logs " + name), std::string::npos) << created.err;
    // It stays, running, with the script's output in its log.
    EXPECT_EQ(vmctl({"info", name}).exit_code, 0);
    EXPECT_NE(vmctl({"logs", name}).out.find("startup: no such package: nginx-pro"), std::string::npos);
}

// An image that brings its own boot loader, as a cloud image does: made here
// from the tiny-debian-kernel image's kernel and initramfs on a FAT disk with
// SYSLINUX in its boot sector (no partition table: SeaBIOS boots it as it is).
// Imported as qcow2, and as raw; a VM made from it boots through the firmware
// and the loader, so its ready line is the proof. A truncated copy is refused.
TEST_F(DebianE2E, AnImportedImageBootsThroughItsOwnBootLoader) {
    const std::string dir = ::testing::TempDir() + "vmctl-e2e-bootdisk";
    const std::string image = std::string(kPrefix) + "boot";
    struct RemoveDir {  // the images go with the test's VMs, in TearDown
        std::string dir;
        ~RemoveDir() { shell("rm -rf " + quote(dir)); }
    } remove_dir{dir};
    const std::string kernel = "/var/lib/vmctl/images/tiny-debian-kernel";
    const RunResult made = shell(
        "set -e; rm -rf " + quote(dir) + "; mkdir -p " + quote(dir) + "; cd " + quote(dir) +
        "; truncate -s 64M disk.raw; mkfs.vfat -n VMCTLBOOT disk.raw >/dev/null"
        "; printf 'DEFAULT vmctl\\nLABEL vmctl\\n  LINUX vmlinuz\\n  INITRD initrd.img\\n  APPEND console=ttyS0 %s\\n' "
        "\"$(cat " + kernel + "/cmdline)\" > syslinux.cfg"
        "; mcopy -i disk.raw " + kernel + "/vmlinuz " + kernel + "/initrd.img syslinux.cfg ::"
        "; syslinux --install disk.raw; qemu-img convert -O qcow2 disk.raw disk.qcow2"
        "; head -c 1M disk.qcow2 > truncated.qcow2");
    ASSERT_EQ(made.exit_code, 0) << "making the boot disk (syslinux, mtools, dosfstools): " << made.err;

    const RunResult truncated = vmctl({"image", "import", image, dir + "/truncated.qcow2"});
    EXPECT_EQ(truncated.exit_code, 3) << truncated.err;
    EXPECT_NE(truncated.err.find("damaged or truncated"), std::string::npos) << truncated.err;

    const RunResult imported = vmctl({"image", "import", image, dir + "/disk.qcow2", "--no-cloud-init"});
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    EXPECT_NE(imported.out.find("without cloud-init"), std::string::npos) << imported.out;
    ASSERT_EQ(vmctl({"image", "import", image + "-raw", dir + "/disk.raw", "--no-cloud-init"}).exit_code, 0);

    const std::string vm = vm_name("own-loader");
    const RunResult created = vmctl({"create", vm, "--image", image});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    EXPECT_NE(created.err.find("no SSH key or startup script is applied"), std::string::npos) << created.err;
    EXPECT_TRUE(wait_for_log(vm, "vmctl-guest: ready", std::chrono::seconds(120))) << vmctl({"logs", vm}).out;
    const RunResult raw_vm = vmctl({"create", vm_name("own-loader-raw"), "--image", image + "-raw"});
    ASSERT_EQ(raw_vm.exit_code, 0) << raw_vm.err;
    EXPECT_TRUE(wait_for_log(vm_name("own-loader-raw"), "vmctl-guest: ready", std::chrono::seconds(120)));
    // Such an image says nothing vmctl knows when it is up (this one happens
    // to print the ready line): start says so and returns at once, as create
    // does, rather than failing after its --timeout.
    ASSERT_EQ(vmctl({"destroy", vm_name("own-loader-raw")}).exit_code, 0);
    const RunResult restarted = vmctl({"start", vm_name("own-loader-raw"), "--timeout", "3"});
    EXPECT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
    EXPECT_NE(restarted.err.find("no cloud-init: not waiting"), std::string::npos) << restarted.err;
    // Stored once, read-only: the VM's disk is an overlay on it.
    const RunResult chain = vmctl({"disk", "chain", vm, "--json"});
    EXPECT_NE(chain.out.find("/golden/" + image + ".qcow2"), std::string::npos) << chain.out << chain.err;
}

TEST_F(DebianE2E, BadCloudInitInputIsRefusedBeforeAnythingIsMade) {
    const std::string name = vm_name("debbad");
    const std::string not_yaml = script("bad.yaml", "packages: [nginx]\n");
    RunResult r = vmctl({"create", name, "--image", "debian-12", "--cloud-init", not_yaml});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("#cloud-config"), std::string::npos) << r.err;
    r = vmctl({"create", name, "--cloud-init", script("ok.yaml", "#cloud-config\n{}\n")});
    EXPECT_EQ(r.exit_code, 3) << "tiny has no cloud-init: " << r.err;
    r = vmctl({"create", name, "--image", "debian-13"});
    EXPECT_EQ(r.exit_code, 8) << r.err;
    EXPECT_NE(r.err.find("debian-12"), std::string::npos) << "the images are listed: " << r.err;
    EXPECT_NE(vmctl({"info", name}).exit_code, 0) << "nothing was made";
    r = vmctl({"image", "import", "vmctl-e2e-notes", not_yaml});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("no boot sector"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmctl::e2e
