// A real operating system: the debian-12 image (systemd, OpenSSH, the guest
// agent, cloud-init) set up the cloud's way, from a NoCloud seed disk. Needs
// the image built (scripts/test.sh builds it). Traffic goes only to the
// test's own VMs on the vmctl network.

#include "e2e_env.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace vmctl::e2e {
namespace {

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

    // A snapshot brings back a file deleted after it.
    ASSERT_EQ(vmctl({"snapshot", "create", name, "before"}).exit_code, 0);
    ASSERT_EQ(vmctl({"exec", name, "--", "rm", "/srv/www/index.html"}).exit_code, 0);
    const RunResult reverted = vmctl({"snapshot", "revert", name, "before"});
    ASSERT_EQ(reverted.exit_code, 0) << reverted.out << reverted.err;
    EXPECT_TRUE(wait_for_exec(name, {"test", "-f", "/srv/www/index.html"}, true, std::chrono::seconds(30)));
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
