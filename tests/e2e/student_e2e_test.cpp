// A student without root: vmctl talks to qemu:///session (a libvirt daemon of
// the user's own, which libvirt starts by itself), keeps its files under the
// user's home and boots the image root built. A user made for the test runs
// the commands; the test stops the daemons libvirt started for that user (by
// the PIDs in their pid files) and removes the user, even when it fails.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vmctl::e2e {
namespace {

constexpr const char* kUser = "vmctl-e2e-student";

class StudentWithoutRoot : public ::testing::Test {
protected:
    void SetUp() override {
        require_environment();
        remove_user();  // a failed earlier run may have left it
        ASSERT_EQ(shell(std::string("useradd -m -s /bin/sh ") + kUser).exit_code, 0);
        home = "/home/" + std::string(kUser);
        // The user runs a copy of the binary it can surely reach.
        bin_dir = shell("mktemp -d /tmp/vmctl-e2e-student.XXXXXX").out;
        bin_dir.erase(bin_dir.find_last_not_of('\n') + 1);
        ASSERT_EQ(shell("install -m 755 " + quote(VMCTL_BINARY) + " " + quote(bin_dir) + "/vmctl && chmod 755 " +
                        quote(bin_dir))
                      .exit_code,
                  0);
    }

    void TearDown() override {
        // Whatever the student left, then the per-user daemons, then the user.
        const auto vms = nlohmann::json::parse(student({"list", "--json"}).out, nullptr, false);
        if (vms.is_array())
            for (const auto& vm : vms)
                student({"delete", vm.value("name", ""), "--force"});
        for (const char* daemon : {"libvirtd", "virtlogd"}) {
            const std::string pid_file = home + "/.cache/libvirt/" + daemon + ".pid";
            shell("pid=$(cat " + quote(pid_file) + " 2>/dev/null) && kill \"$pid\" 2>/dev/null && "
                  "for i in $(seq 50); do kill -0 \"$pid\" 2>/dev/null || break; sleep 0.1; done");
        }
        EXPECT_EQ(remove_user(), 0) << "the test user could not be removed";
        shell("rm -rf " + quote(bin_dir));
    }

    static int remove_user() {
        if (shell(std::string("id -u ") + kUser + " >/dev/null 2>&1").exit_code != 0)
            return 0;
        // userdel complains about a mail spool the user never had: whether
        // the user is gone is what counts.
        shell(std::string("userdel -r ") + kUser + " 2>/dev/null");
        return shell(std::string("id -u ") + kUser + " >/dev/null 2>&1").exit_code == 0 ? 1 : 0;
    }

    // Runs vmctl as the student, with a login-like environment of its own.
    RunResult student(const std::vector<std::string>& args) const {
        std::string command = std::string("runuser -u ") + kUser + " -- env -i HOME=" + quote(home) +
                              " USER=" + kUser + " PATH=/usr/sbin:/usr/bin:/sbin:/bin " + quote(bin_dir + "/vmctl");
        for (const auto& arg : args)
            command += " " + quote(arg);
        return shell("cd / && " + command + " </dev/null");
    }

    std::string home;
    std::string bin_dir;
};

TEST_F(StudentWithoutRoot, HasTheirOwnSessionAndVmsAndNeedsNoRoot) {
    const RunResult doctor = student({"doctor"});
    ASSERT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
    EXPECT_NE(doctor.out.find("qemu:///session"), std::string::npos) << doctor.out;

    const RunResult created = student({"create", "web"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    EXPECT_NE(created.out.find("vmctl-guest: ready"), std::string::npos) << created.out;
    // On the vmctl network too, through QEMU's bridge helper: an address the
    // student reaches, by SSH with their own key, and its page.
    EXPECT_NE(created.out.find("on network 'vmctl'"), std::string::npos) << created.out << created.err;
    const RunResult ssh = student({"ssh", "web", "--", "cat", "/proc/sys/kernel/hostname"});
    EXPECT_EQ(ssh.exit_code, 0) << ssh.err;
    EXPECT_EQ(ssh.out, "web\n");
    EXPECT_EQ(shell("ls " + quote(home) + "/.local/share/vmctl/ssh/id_ed25519").exit_code, 0);
    const std::string ip = student({"info", "web", "--get", "ip"}).out;
    ASSERT_FALSE(ip.empty());
    const RunResult page = shell("runuser -u " + std::string(kUser) + " -- curl -sS --max-time 10 http://" +
                                 ip.substr(0, ip.find('\n')) + "/");
    EXPECT_NE(page.out.find("vm=web "), std::string::npos) << page.out << page.err;

    // The VM is the student's: in their session, its disk under their home,
    // and not in the system's libvirt.
    const auto vms = nlohmann::json::parse(student({"list", "--json"}).out);
    ASSERT_EQ(vms.size(), 1u);
    EXPECT_EQ(vms[0]["name"], "web");
    EXPECT_EQ(vms[0]["state"], "running");
    EXPECT_EQ(vms[0]["network"], "vmctl");
    EXPECT_TRUE(vms[0]["ip"].is_string()) << vms[0].dump();
    EXPECT_EQ(shell("ls " + quote(home) + "/.local/share/vmctl/pool/web-*").exit_code, 0);
    EXPECT_NE(shell("virsh -q list --all --name | grep -qx web").exit_code, 0);

    const RunResult exec = student({"exec", "web", "--", "uname", "-r"});
    EXPECT_EQ(exec.exit_code, 0) << exec.err;
    EXPECT_FALSE(exec.out.empty());
    EXPECT_EQ(student({"snapshot", "create", "web", "first"}).exit_code, 0);

    // Lab hosts need root: the student is told so, with the reason.
    const RunResult hosts = student({"hosts", "up"});
    EXPECT_NE(hosts.exit_code, 0);
    EXPECT_NE(hosts.err.find("root"), std::string::npos) << hosts.err;

    const RunResult deleted = student({"delete", "web", "--force"});
    EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_EQ(nlohmann::json::parse(student({"list", "--json"}).out).size(), 0u);
}

}  // namespace
}  // namespace vmctl::e2e
