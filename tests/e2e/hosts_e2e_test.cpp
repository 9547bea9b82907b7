// Simulated hosts come and go without leaving anything on this machine.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vmctl::e2e {
namespace {

TEST(HostsE2E, DownLeavesNothingBehind) {
    require_environment();
    ASSERT_EQ(vmctl({"hosts", "up", "--count", "2"}).exit_code, 0);
    const std::string pid = shell("cat /run/vmctl/hosts/host-a/libvirtd.pid").out;
    ASSERT_FALSE(pid.empty());
    ASSERT_EQ(vmctl({"hosts", "down", "--force"}).exit_code, 0);
    EXPECT_NE(shell("kill -0 " + pid).exit_code, 0) << "the daemon is gone";
    EXPECT_EQ(shell("ip netns list | grep vmctl-host").out, "");
    EXPECT_EQ(shell("ip -o link | grep -E 'vmctl-lab0| vl-| vn-'").out, "") << "no link of the hosts or their VMs' segment";
    EXPECT_EQ(nlohmann::json::parse(vmctl({"hosts", "list", "--json"}).out).size(), 0u);
    EXPECT_EQ(shell("ip route show 10.213.0.0/24").out, "") << "the hosts' subnet route goes with the last host";
}

// A lab host's libvirtd runs as root and does anything its client asks
// (define a pool over /etc, ...): no other user of this machine may reach it.
TEST(HostsE2E, NoLocalUserReachesAHostsDaemon) {
    require_environment();
    ASSERT_EQ(vmctl({"hosts", "up", "--count", "1"}).exit_code, 0);
    const std::string as_nobody = "setpriv --reuid=nobody --regid=nogroup --clear-groups ";
    const std::string run = "/var/lib/vmctl/hosts/host-a/run/";

    // Its Unix sockets: root's only, read-only and admin ones too.
    for (const char* socket : {"libvirt-sock", "libvirt-sock-ro", "libvirt-admin-sock"})
        EXPECT_EQ(shell("stat -c '%U %a' " + run + socket).out, "root 700\n") << socket;
    for (const char* socket : {"libvirt-sock", "libvirt-sock-ro"}) {
        const RunResult r = shell(as_nobody + "virsh -r -c " + quote(std::string("qemu+unix:///system?socket=") + run +
                                                                     socket) + " version");
        EXPECT_NE(r.exit_code, 0) << socket;
        EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
    }
    // The network: the daemon listens on none, and this machine has no way
    // onto the hosts' subnet (checked before anything connects, so no packet
    // for it ever takes the default route).
    EXPECT_EQ(shell("ip netns exec vmctl-host-a ss -Hltn").out, "") << "nothing listens on TCP in the host";
    const RunResult route = shell("ip route get 10.213.0.11");
    ASSERT_NE(route.exit_code, 0) << route.out;
    EXPECT_NE(route.err.find("No route to host"), std::string::npos) << route.err;
    for (const char* port : {"16509", "16514"}) {
        const RunResult r = shell(as_nobody + "bash -c 'exec 3<>/dev/tcp/10.213.0.11/" + port + "'");
        EXPECT_NE(r.exit_code, 0) << port;
    }
    // vmctl, as root, still reaches it.
    EXPECT_EQ(vmctl({"--host", "host-a", "list"}).exit_code, 0);
    EXPECT_EQ(vmctl({"hosts", "down"}).exit_code, 0);
}

// --force lists what it deletes, and a pet anywhere stops it before the
// first deletion; without --force, the VMs are listed and nothing happens.
TEST(HostsE2E, DownListsTheVmsItWouldDeleteAndAPetStopsItAll) {
    require_environment();
    ASSERT_EQ(vmctl({"hosts", "up", "--count", "2"}).exit_code, 0);
    const std::string pet = vm_name("hostpet");
    const std::string cattle = vm_name("hostcattle");
    ASSERT_EQ(vmctl({"--host", "host-a", "create", cattle, "--network", "none", "--no-wait"}).exit_code, 0);
    ASSERT_EQ(vmctl({"--host", "host-b", "create", pet, "--network", "none", "--no-wait"}).exit_code, 0);
    ASSERT_EQ(vmctl({"--host", "host-b", "protect", pet}).exit_code, 0);

    const RunResult plain = vmctl({"hosts", "down"});
    EXPECT_EQ(plain.exit_code, 6) << plain.err;
    EXPECT_NE(plain.err.find("host-a/" + cattle), std::string::npos) << plain.err;
    EXPECT_NE(plain.err.find("host-b/" + pet), std::string::npos) << plain.err;

    const RunResult forced = vmctl({"hosts", "down", "--force"});
    EXPECT_EQ(forced.exit_code, 6) << forced.err;
    EXPECT_NE(forced.err.find("protected pets: host-b/" + pet), std::string::npos) << forced.err;
    EXPECT_EQ(vmctl({"--host", "host-a", "info", cattle}).exit_code, 0) << "nothing was deleted";

    ASSERT_EQ(vmctl({"--host", "host-b", "unprotect", pet}).exit_code, 0);
    const RunResult gone = vmctl({"hosts", "down", "--force"});
    EXPECT_EQ(gone.exit_code, 0) << gone.err;
    EXPECT_NE((gone.out + gone.err).find("deleting 2 VM(s): host-a/" + cattle + ", host-b/" + pet), std::string::npos)
        << gone.out << gone.err;
}

// An unplanned failure: `hosts fail` kills a host's guests and daemon at
// once; its VMs cannot be reached, and `hosts down` retires it, listing what
// died with it and deleting it with --force. A host with local disks keeps
// them in its own folder, which goes with it.
TEST(HostsE2E, FailKillsTheGuestsAndDownRetiresTheDeadHost) {
    require_environment();
    const std::string own = "e2e-own-host";
    struct Cleanup {  // whatever happens, the host goes
        std::string name;
        ~Cleanup() { vmctl({"hosts", "down", name, "--force"}); }
    } cleanup{own};
    const RunResult up = vmctl({"hosts", "up", "--name", own, "--local-disks"});
    ASSERT_EQ(up.exit_code, 0) << up.err;
    const std::string vm = vm_name("doomed");
    ASSERT_EQ(vmctl({"--host", own, "create", vm, "--network", "none", "--no-wait"}).exit_code, 0);
    const std::string disks = "/var/lib/vmctl/hosts/" + own + "/disks/";
    EXPECT_NE(vmctl({"--host", own, "xml", vm}).out.find(disks), std::string::npos) << "its disk is the host's own";
    const std::string qemu = shell("cat /var/lib/vmctl/hosts/" + own + "/run/qemu/" + vm + ".pid").out;
    ASSERT_FALSE(qemu.empty());

    const RunResult fail = vmctl({"hosts", "fail", own});
    ASSERT_EQ(fail.exit_code, 0) << fail.err;
    EXPECT_NE(fail.out.find("stopped dead with it: " + vm), std::string::npos) << fail.out;
    EXPECT_NE(shell("kill -0 " + qemu).exit_code, 0) << "its guest was killed";
    EXPECT_NE(vmctl({"--host", own, "list"}).exit_code, 0) << "a dead host does not answer";
    const auto listed = nlohmann::json::parse(vmctl({"hosts", "list", "--json"}).out);
    bool failed = false;
    for (const auto& h : listed)
        failed = failed || (h["name"] == own && h["failed"] == true);
    EXPECT_TRUE(failed) << listed.dump();
    EXPECT_EQ(vmctl({"hosts", "fail", own}).exit_code, 6) << "it failed already";

    const RunResult refused = vmctl({"hosts", "down", own});
    EXPECT_EQ(refused.exit_code, 6) << refused.err;
    EXPECT_NE(refused.err.find(own + "/" + vm), std::string::npos) << refused.err;
    EXPECT_NE(vmctl({"--host", own, "list"}).exit_code, 0) << "a refused retirement leaves it dead";

    const RunResult retired = vmctl({"hosts", "down", own, "--force"});
    EXPECT_EQ(retired.exit_code, 0) << retired.err;
    EXPECT_NE(shell("test -e " + disks).exit_code, 0) << "its local disks went with it";
    EXPECT_EQ(shell("ip netns list | grep -w vmctl-" + own).out, "");
    EXPECT_EQ(vmctl({"hosts", "list", "--json"}).out.find(own), std::string::npos);
}

// After a reboot, a pid file may name whatever process got that number
// next: a host's pid files are on /run, and `down` stops a process only
// when it is that host's daemon (its program and its network namespace).
TEST(HostsE2E, DownNeverKillsAProcessAStalePidFileNames) {
    require_environment();
    const RunResult bystander = shell("sleep 300 >/dev/null 2>&1 & echo $!");
    ASSERT_EQ(bystander.exit_code, 0);
    const std::string pid = bystander.out.substr(0, bystander.out.find('\n'));
    // A host that is not up, with pid files (where vmctl keeps them now, and
    // where an older vmctl kept them) that name the bystander.
    const std::string plant = "for d in /run/vmctl/hosts/host-h /var/lib/vmctl/hosts/host-h; do mkdir -p $d && "
                              "for f in libvirtd virtlogd; do echo " + pid + " > $d/$f.pid; done; done";
    ASSERT_EQ(shell(plant).exit_code, 0);
    const RunResult down = shell(std::string(VMCTL_SOURCE_DIR) + "/scripts/lab-host.sh down host-h 8 /var/lib/vmctl/hosts");
    EXPECT_EQ(down.exit_code, 0) << down.err;
    EXPECT_EQ(shell("kill -0 " + pid).exit_code, 0) << "the bystander was killed";
    EXPECT_NE(shell("test -e /run/vmctl/hosts/host-h").exit_code, 0);
    shell("kill " + pid);
}

// An 'up' interrupted after it made the host's link, before its address:
// the next 'up' finishes each step instead of skipping it.
TEST(HostsE2E, UpFinishesWhatAnInterruptedUpLeft) {
    require_environment();
    struct Cleanup {  // whatever happens, host-a goes
        ~Cleanup() {
            shell("ip netns list | grep -qw vmctl-host-a && " + std::string(VMCTL_SOURCE_DIR) +
                  "/scripts/lab-host.sh down host-a 1 /var/lib/vmctl/hosts");
        }
    } cleanup;
    ASSERT_EQ(shell("ip netns add vmctl-host-a && ip link add vl-1 type veth peer name eth0 netns vmctl-host-a")
                  .exit_code,
              0);
    const RunResult up = vmctl({"hosts", "up", "--count", "1"});
    EXPECT_EQ(up.exit_code, 0) << up.err;
    EXPECT_NE(shell("ip -n vmctl-host-a -o addr show dev eth0").out.find("10.213.0.11/24"), std::string::npos);
    EXPECT_EQ(vmctl({"--host", "host-a", "list"}).exit_code, 0);
    EXPECT_EQ(vmctl({"hosts", "down"}).exit_code, 0);
    EXPECT_EQ(shell("ip netns list | grep vmctl-host").out, "");
}

TEST(HostsE2E, NonRootIsToldWhy) {
    require_environment();
    const RunResult r = shell("setpriv --reuid=nobody --regid=nogroup --clear-groups " + quote(VMCTL_BINARY) +
                              " hosts up");
    EXPECT_EQ(r.exit_code, 10) << r.err;
    EXPECT_NE(r.err.find("need root"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmctl::e2e
