// VMs as servers on the vmctl network: an address, a web page, SSH, and
// each other by name. Traffic goes only to the test's own VMs on the vmctl
// network that scripts/prepare-host.sh made.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace vmctl::e2e {
namespace {

class NetworkE2E : public E2ETest {};

TEST_F(NetworkE2E, AVmGetsAnAddressServesItsPageAndAnswersSsh) {
    const std::string name = vm_name("net");
    const RunResult created = vmctl({"create", name});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    const std::string ip = printed_address(created.out);
    ASSERT_FALSE(ip.empty()) << "create did not print the address:\n" << created.out;
    EXPECT_EQ(ip.rfind("10.215.0.", 0), 0u) << ip;
    EXPECT_NE(created.out.find("vmctl ssh " + name), std::string::npos) << created.out;

    // list and info show the same address, and the MAC.
    const auto list = nlohmann::json::parse(vmctl({"list", "--json"}).out);
    bool listed = false;
    for (const auto& row : list)
        if (row["name"] == name) {
            listed = true;
            EXPECT_EQ(row["ip"], ip);
            EXPECT_EQ(row["network"], "vmctl");
        }
    EXPECT_TRUE(listed);
    const RunResult info = vmctl({"info", name, "--json"});
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const auto facts = nlohmann::json::parse(info.out);
    EXPECT_EQ(facts["ip"], ip);
    EXPECT_TRUE(std::regex_match(facts["mac"].get<std::string>(), std::regex("52:54:00(:[0-9a-f]{2}){3}")));
    const RunResult table = vmctl({"list"});
    EXPECT_NE(table.out.find(ip), std::string::npos) << table.out;

    // The default page names the VM and shows it alive.
    const RunResult page = shell("curl -sS --max-time 10 http://" + ip + "/");
    ASSERT_EQ(page.exit_code, 0) << page.err;
    EXPECT_NE(page.out.find("vm=" + name), std::string::npos) << page.out;
    EXPECT_NE(page.out.find("heartbeat="), std::string::npos) << page.out;

    // SSH with vmctl's key: the guest's hostname, and the exit code carried through.
    const RunResult who = vmctl({"ssh", name, "--", "hostname"});
    EXPECT_EQ(who.exit_code, 0) << who.err;
    EXPECT_EQ(who.out, name + "\n");
    EXPECT_EQ(vmctl({"ssh", name, "--", "exit", "7"}).exit_code, 7);

    // The first call left one shared connection for this run of the VM; the
    // second went through it; delete closes it.
    const std::string uuid = facts["uuid"].get<std::string>();
    const std::string sockets = "find /var/lib/vmctl/ssh/mux -type s -name " + quote(uuid.substr(0, 8) + "-*");
    EXPECT_EQ(shell(sockets + " | wc -l").out, "1\n");
    ASSERT_EQ(vmctl({"delete", name, "--force"}).exit_code, 0);
    EXPECT_EQ(shell(sockets + " | wc -l").out, "0\n");
    // (The master names itself "ssh: PATH [mux]"; anchored, grep does not find itself.)
    EXPECT_EQ(shell("ps -eo args= | grep -c " + quote("^ssh: /var/lib/vmctl/ssh/mux/" + uuid.substr(0, 8))).out,
              "0\n");
}

TEST_F(NetworkE2E, VmsReachEachOtherByName) {
    const std::string a = vm_name("neta");
    const std::string b = vm_name("netb");
    ASSERT_EQ(vmctl({"create", a, "--no-wait"}).exit_code, 0);
    const RunResult second = vmctl({"create", b});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    ASSERT_TRUE(wait_for_log(a, "vmctl-guest: address", std::chrono::seconds(60)));
    const std::string ip_b = printed_address(second.out);
    ASSERT_FALSE(ip_b.empty()) << second.out;
    // From inside a: b's page, fetched by b's name through the network's DNS.
    const RunResult fetched = vmctl({"exec", a, "--", "wget", "-q", "-O", "-", "http://" + b + "/"});
    EXPECT_EQ(fetched.exit_code, 0) << fetched.err;
    EXPECT_NE(fetched.out.find("vm=" + b), std::string::npos) << fetched.out;
    const RunResult ping = vmctl({"exec", a, "--", "ping", "-c", "1", "-W", "5", b});
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find(ip_b), std::string::npos) << ping.out;
}

TEST_F(NetworkE2E, NetworkNoneKeepsAVmOffTheNetworkAndSshSaysSo) {
    const std::string name = vm_name("nonet");
    const RunResult created = vmctl({"create", name, "--network", "none"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(created.out.find("address:"), std::string::npos) << created.out;
    EXPECT_EQ(vmctl({"xml", name}).out.find("<interface"), std::string::npos);
    const RunResult ssh = vmctl({"ssh", name, "--", "true"});
    EXPECT_EQ(ssh.exit_code, 15) << ssh.err;
    EXPECT_NE(ssh.err.find("has no network interface"), std::string::npos) << ssh.err;
    EXPECT_NE(ssh.err.find("vmctl exec"), std::string::npos) << ssh.err;

    ASSERT_EQ(vmctl({"stop", name}).exit_code, 0);
    const RunResult stopped = vmctl({"ssh", name});
    EXPECT_EQ(stopped.exit_code, 6) << stopped.err;
    EXPECT_NE(stopped.err.find("vmctl start"), std::string::npos) << stopped.err;
}

TEST_F(NetworkE2E, AnUnknownNetworkIsRefusedWithTheListAndNothingIsMade) {
    const std::string name = vm_name("badnet");
    const RunResult created = vmctl({"create", name, "--network", "nosuch"});
    EXPECT_EQ(created.exit_code, 3) << created.err;
    EXPECT_NE(created.err.find("no network named 'nosuch'"), std::string::npos) << created.err;
    EXPECT_NE(created.err.find("vmctl"), std::string::npos) << created.err;
    EXPECT_EQ(vmctl({"info", name}).exit_code, 4);
}

TEST_F(NetworkE2E, AnInactiveNetworkIsRefusedWithTheCommandThatStartsIt) {
    // A network of the test's own, defined but never started (no bridge is made).
    const std::string net = vm_name("inactive");
    const RunResult dir = shell("mktemp -d");
    ASSERT_EQ(dir.exit_code, 0);
    const std::string file = dir.out.substr(0, dir.out.find('\n')) + "/net.xml";
    const std::string xml = "<network><name>" + net + "</name><bridge name='vmctl-e2e-br'/></network>";
    ASSERT_EQ(shell("printf '%s' " + quote(xml) + " > " + quote(file) + " && virsh -q net-define " + quote(file))
                  .exit_code,
              0);
    const std::string name = vm_name("downnet");
    const RunResult created = vmctl({"create", name, "--network", net});
    shell("virsh -q net-undefine " + quote(net) + "; rm -rf " + quote(file.substr(0, file.rfind('/'))));
    EXPECT_EQ(created.exit_code, 15) << created.err;
    EXPECT_NE(created.err.find("virsh net-start " + net), std::string::npos) << created.err;
    EXPECT_EQ(vmctl({"info", name}).exit_code, 4);
}

TEST_F(NetworkE2E, DoctorChecksTheNetwork) {
    const RunResult doctor = vmctl({"doctor"});
    EXPECT_NE(doctor.out.find("network 'vmctl' is active"), std::string::npos) << doctor.out << doctor.err;
}

}  // namespace
}  // namespace vmctl::e2e
