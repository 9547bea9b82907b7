// Every bad input gets a one-line error with a fix, its own exit code, and
// leaves nothing behind on the real hypervisor.

#include "e2e_env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace vmctl::e2e {
namespace {

class BadInputE2E : public E2ETest {
protected:
    // Runs vmctl, expects `code`, one line on stderr with a fix, and no trace
    // of `name` in libvirt.
    void expect_refused(const std::vector<std::string>& args, int code, const std::string& name,
                        const std::vector<std::string>& env = {}) {
        const RunResult r = vmctl(args, env);
        EXPECT_EQ(r.exit_code, code) << r.out << r.err;
        EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find("; "), std::string::npos) << "the error names a fix: " << r.err;
        if (!name.empty()) {
            EXPECT_NE(shell("virsh dominfo " + quote(name)).exit_code, 0) << name << " was left defined";
            EXPECT_EQ(shell("virsh vol-list vmctl").out.find(name), std::string::npos) << name << " left a volume";
        }
    }
};

TEST_F(BadInputE2E, InvalidValues) {
    const std::string name = vm_name("bad");
    expect_refused({"create", "Bad-Name"}, 3, "");
    expect_refused({"create", "1abc"}, 3, "");
    expect_refused({"create", std::string(64, 'a')}, 3, "");
    expect_refused({"create", name, "--memory", "512"}, 3, name);
    expect_refused({"create", name, "--memory", "1T"}, 3, name);
    expect_refused({"create", name, "--disk-size", "1K"}, 3, name);
    expect_refused({"create", name, "--cpus", "0"}, 3, name);
    expect_refused({"create", name, "--machine-type", "n1-standard-8"}, 3, name);
    expect_refused({"create", name, "--label", "no-equals"}, 3, name);
    expect_refused({"create", name, "--accel", "hyperv"}, 3, name);
}

TEST_F(BadInputE2E, UsageErrors) {
    expect_refused({"create"}, 2, "");
    expect_refused({"crate", "x"}, 2, "");
    expect_refused({"create", vm_name("x"), "--flavour", "big"}, 2, vm_name("x"));
}

TEST_F(BadInputE2E, KvmRequestedWhereItDoesNotWork) {
    // These machines have /dev/kvm but no vmx/svm: asking for KVM is refused
    // with the reason, not left to hang. (On a real KVM host it would work.)
    const RunResult cpu = shell("grep -qE 'vmx|svm' /proc/cpuinfo");
    if (cpu.exit_code == 0)
        GTEST_SKIP() << "this host has hardware virtualization";
    expect_refused({"create", vm_name("kvm"), "--accel", "kvm"}, 10, vm_name("kvm"));
}

TEST_F(BadInputE2E, MissingAndUnknownImages) {
    const std::string name = vm_name("img");
    expect_refused({"create", name, "--image", "windows"}, 8, name);
    const std::string empty_home = "/tmp/" + name + "-home";
    std::filesystem::create_directories(empty_home);
    expect_refused({"create", name}, 8, name, {"VMCTL_HOME=" + empty_home});
    const RunResult r = vmctl({"create", name}, {"VMCTL_HOME=" + empty_home});
    EXPECT_NE(r.err.find("images/tiny/build.sh"), std::string::npos) << r.err;
    std::filesystem::remove_all(empty_home);
}

TEST_F(BadInputE2E, NameThatExistsLeavesTheFirstVmAlone) {
    const std::string name = vm_name("twice");
    ASSERT_EQ(vmctl({"create", name, "--no-wait"}).exit_code, 0);
    const RunResult again = vmctl({"create", name});
    EXPECT_EQ(again.exit_code, 5) << again.err;
    EXPECT_NE(again.err.find("already exists"), std::string::npos);
    EXPECT_EQ(shell("virsh domstate " + quote(name)).out.find("running"), 0u);
    EXPECT_NE(shell("virsh vol-list vmctl").out.find(name + "-disk0.qcow2"), std::string::npos);
}

TEST_F(BadInputE2E, UnknownVm) {
    expect_refused({"info", vm_name("ghost")}, 4, "");
    expect_refused({"start", vm_name("ghost")}, 4, "");
    expect_refused({"delete", vm_name("ghost")}, 4, "");
}

TEST_F(BadInputE2E, LibvirtNotReachableSaysHowToStartIt) {
    const RunResult r = vmctl({"list", "--connect", "qemu+unix:///system?socket=/nonexistent/sock"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    const RunResult system = vmctl({"list"}, {"LIBVIRT_DEFAULT_URI=qemu:///system?socket=/nonexistent/sock"});
    EXPECT_EQ(system.exit_code, 7);
    EXPECT_NE(system.err.find("scripts/prepare-host.sh"), std::string::npos) << system.err;
}

}  // namespace
}  // namespace vmctl::e2e
