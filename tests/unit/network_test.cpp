#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/network.h"
#include "vmctl/host/ssh_keys.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/network.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;
using testing::failure_kind;

TEST(NetworkCore, DerivedMacIsStableQemuStyleAndDiffersBetweenNames) {
    const std::string mac = derive_mac("web");
    EXPECT_TRUE(std::regex_match(mac, std::regex("52:54:00(:[0-9a-f]{2}){3}"))) << mac;
    EXPECT_EQ(derive_mac("web"), mac);
    EXPECT_NE(derive_mac("web-2"), mac);
    EXPECT_NE(derive_mac("web", 1), mac);
}

TEST(NetworkCore, UnusedMacSkipsTakenOnes) {
    const std::set<std::string> taken{derive_mac("web"), derive_mac("web", 1)};
    EXPECT_EQ(unused_mac("web", taken), derive_mac("web", 2));
    EXPECT_EQ(unused_mac("db", taken), derive_mac("db"));
}

TEST(NetworkCore, AddressLinesParseAfterAPromptAndRejectGarbage) {
    const auto a = parse_address_line("~ # vmctl-guest: address eth0 10.215.0.57/24\r");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->interface, "eth0");
    EXPECT_EQ(a->ip, "10.215.0.57");
    EXPECT_EQ(a->prefix, 24u);
    EXPECT_FALSE(parse_address_line("vmctl-guest: address eth0 10.215.0.300/24"));
    EXPECT_FALSE(parse_address_line("vmctl-guest: address eth0 10.215.0/24"));
    EXPECT_FALSE(parse_address_line("vmctl-guest: address eth0 10.215.0.5/99"));
    EXPECT_FALSE(parse_address_line("vmctl-guest: ready boot=x"));
}

TEST(NetworkCore, NetworkRequestParsesNoneNamesAndRefusesOddNames) {
    EXPECT_EQ(parse_network_request("").kind, NetworkRequest::Kind::Default);
    EXPECT_EQ(parse_network_request("none").kind, NetworkRequest::Kind::None);
    const auto named = parse_network_request("lab-net");
    EXPECT_EQ(named.kind, NetworkRequest::Kind::Named);
    EXPECT_EQ(named.name, "lab-net");
    EXPECT_EQ(failure_kind([] { parse_network_request("a b"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(failure_kind([] { parse_network_request("../x'"); }), ErrorKind::InvalidArgument);
}

TEST(NetworkCore, DomainXmlCarriesTheNicHostnameAndKeyAndReadsThemBack) {
    VmSpec spec;
    spec.name = "web";
    spec.memory_bytes = 256ULL << 20;
    spec.nic = {"vmctl", "52:54:00:aa:bb:cc"};
    spec.ssh_authorized_keys = "ssh-ed25519 AAAA vmctl\n";
    spec.metadata.network = "vmctl";
    spec.metadata.mac = "52:54:00:aa:bb:cc";
    const std::string xml = build_domain_xml(spec, {"/k", "/i", "", "/d.qcow2", "/l.log"});
    EXPECT_NE(xml.find("<entry name=\"opt/vmctl/hostname\">web</entry>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("opt/vmctl/ssh-authorized-keys"), std::string::npos);
    const DomainFacts facts = parse_domain_xml(xml);
    ASSERT_EQ(facts.interfaces.size(), 1u);
    EXPECT_EQ(facts.interfaces[0].type, "network");
    EXPECT_EQ(facts.interfaces[0].network, "vmctl");
    EXPECT_EQ(facts.interfaces[0].mac, "52:54:00:aa:bb:cc");
    EXPECT_EQ(facts.interfaces[0].model, "virtio");
    EXPECT_EQ(facts.metadata.network, "vmctl");
    EXPECT_EQ(facts.metadata.mac, "52:54:00:aa:bb:cc");

    spec.nic = {};
    EXPECT_TRUE(parse_domain_xml(build_domain_xml(spec, {"/k", "/i", "", "/d.qcow2", "/l.log"})).interfaces.empty());
}

class NetworkOpsTest : public ::testing::Test {
protected:
    TempHome home;
    FakeHypervisor hv;
    ops::Environment env = home.env();
    std::vector<std::string> notes;
    ops::Progress progress = [this](std::string_view s) { notes.emplace_back(s); };

    ops::CreateResult create(const std::string& name, const std::string& network = "") {
        ops::CreateOptions o;
        o.name = name;
        o.ready_timeout = std::chrono::seconds(3);
        o.network = parse_network_request(network);
        return ops::create_vm(hv, env, o, progress);
    }
    DomainFacts facts(const std::string& name) { return parse_domain_xml(hv.domains.at(name).xml); }
    void expect_nothing_left() {
        EXPECT_TRUE(hv.domains.empty());
        EXPECT_TRUE(hv.volumes.empty());
    }
};

TEST_F(NetworkOpsTest, ANewVmGetsAVirtioNicOnTheVmctlNetworkWithItsOwnMacAndTheUsersKey) {
    const auto result = create("web");
    EXPECT_EQ(result.nic.network, "vmctl");
    EXPECT_EQ(result.nic.mac, derive_mac("web"));
    const DomainFacts f = facts("web");
    ASSERT_EQ(f.interfaces.size(), 1u);
    EXPECT_EQ(f.interfaces[0].mac, derive_mac("web"));
    EXPECT_EQ(f.metadata.mac, derive_mac("web"));
    // The key vmctl made for this user, private key kept 0600 in a 0700 dir.
    const std::string key = env.paths.data_dir + "/ssh/id_ed25519";
    ASSERT_TRUE(std::filesystem::exists(key));
    EXPECT_EQ(std::filesystem::status(env.paths.data_dir + "/ssh").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
    std::ifstream pub(key + ".pub");
    std::string line;
    std::getline(pub, line);
    EXPECT_NE(hv.domains.at("web").xml.find("opt/vmctl/ssh-authorized-keys"), std::string::npos);
    EXPECT_EQ(line.rfind("ssh-ed25519 ", 0), 0u) << line;
}

TEST_F(NetworkOpsTest, TwoVmsNeverShareAMac) {
    // Another machine's VM already holds the MAC "web" would get.
    hv.leases["vmctl"].push_back({derive_mac("web"), "10.215.0.99", 24, "elsewhere"});
    create("web");
    EXPECT_EQ(facts("web").interfaces.at(0).mac, derive_mac("web", 1));
}

TEST_F(NetworkOpsTest, NetworkNoneMakesAVmWithoutANicOrKey) {
    create("web", "none");
    EXPECT_TRUE(facts("web").interfaces.empty());
    EXPECT_EQ(hv.domains.at("web").xml.find("ssh-authorized-keys"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(env.paths.data_dir + "/ssh/id_ed25519"));
}

TEST_F(NetworkOpsTest, WithoutTheVmctlNetworkTheDefaultMakesNoNicAndSaysSo) {
    hv.networks.clear();
    create("web");
    EXPECT_TRUE(facts("web").interfaces.empty());
    ASSERT_FALSE(notes.empty());
    bool told = false;
    for (const auto& note : notes)
        told = told || note.find("no 'vmctl' network") != std::string::npos;
    EXPECT_TRUE(told);
}

TEST_F(NetworkOpsTest, AnUnknownNetworkIsRefusedWithTheListAndNothingMade) {
    try {
        create("web", "nosuch");
        FAIL() << "created on an unknown network";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("networks here: vmctl"), std::string::npos) << e.what();
    }
    expect_nothing_left();
}

TEST_F(NetworkOpsTest, AnInactiveNetworkIsRefusedWithTheCommandThatStartsIt) {
    hv.networks.front().active = false;
    try {
        create("web");
        FAIL() << "created on an inactive network";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::NetworkUnavailable);
        EXPECT_NE(e.hint().find("virsh net-start vmctl"), std::string::npos) << e.hint();
    }
    expect_nothing_left();
}

TEST_F(NetworkOpsTest, AddressesComeFromTheLeasesOnlyForRunningVms) {
    create("web");
    create("db");
    create("quiet", "none");
    auto addresses = ops::running_addresses(hv, env, hv.list_domains());
    EXPECT_EQ(addresses.size(), 2u);
    EXPECT_EQ(addresses.at("web"), "10.215.0.10");
    EXPECT_EQ(addresses.at("db"), "10.215.0.11");
    hv.destroy_domain("db");
    addresses = ops::running_addresses(hv, env, hv.list_domains());
    EXPECT_EQ(addresses.count("db"), 0u);  // its lease outlives it; its address does not
}

TEST_F(NetworkOpsTest, TheCreateWaitSeesTheGuestsAddressLine) {
    const auto result = create("web");
    const auto wait = ops::wait_for_address(hv, "web", result.serial_log, std::chrono::milliseconds(500));
    ASSERT_TRUE(wait.address);
    EXPECT_EQ(wait.address->ip, "10.215.0.10");
}

TEST_F(NetworkOpsTest, AGuestWithoutALeaseGetsAReasonNotAnError) {
    hv.dhcp_answers = false;
    const auto result = create("web");
    const auto wait = ops::wait_for_address(hv, "web", result.serial_log, std::chrono::milliseconds(300));
    EXPECT_FALSE(wait.address);
    EXPECT_FALSE(wait.problem.empty());
}

TEST_F(NetworkOpsTest, SshNeedsARunningVmWithANicAndAnAddress) {
    create("web");
    const auto target = ops::ssh_target(hv, env, "web");
    EXPECT_EQ(target.ip, "10.215.0.10");
    EXPECT_EQ(target.key_path, env.paths.data_dir + "/ssh/id_ed25519");
    // One shared connection per run of the VM, in a directory only its user reads.
    const std::string mux = env.paths.data_dir + "/ssh/mux/" + facts("web").uuid.substr(0, 8) + "-";
    EXPECT_EQ(target.control_path.rfind(mux, 0), 0u) << target.control_path;
    EXPECT_EQ(target.control_path.substr(target.control_path.size() - 12), "-10.215.0.10");
    EXPECT_EQ(std::filesystem::status(env.paths.data_dir + "/ssh/mux").permissions(),
              std::filesystem::perms::owner_all);

    EXPECT_EQ(failure_kind([&] { ops::ssh_target(hv, env, "ghost"); }), ErrorKind::NotFound);
    hv.destroy_domain("web");
    EXPECT_EQ(failure_kind([&] { ops::ssh_target(hv, env, "web"); }), ErrorKind::InvalidState);

    create("quiet", "none");
    EXPECT_EQ(failure_kind([&] { ops::ssh_target(hv, env, "quiet"); }), ErrorKind::NetworkUnavailable);

    hv.dhcp_answers = false;
    create("late");
    EXPECT_EQ(failure_kind([&] { ops::ssh_target(hv, env, "late"); }), ErrorKind::NetworkUnavailable);
}

TEST(SshConnections, APathTooLongForASocketMeansNoSharedConnection) {
    host::Paths paths;
    paths.data_dir = "/tmp/" + std::string(80, 'd');
    EXPECT_EQ(host::ssh_control_path(paths, "2a8c67c8-0000-4000-8000-000000000000", 3, "10.215.0.10"), "");
}

TEST(SshConnections, DeleteClosesOnlyThatVmsSocketsAndLeavesOtherFiles) {
    TempHome home;
    const host::Paths paths = host::default_paths();
    const std::string uuid = "2a8c67c8-0000-4000-8000-000000000000";
    const std::string path = host::ssh_control_path(paths, uuid, 3, "10.215.0.10");
    ASSERT_FALSE(path.empty());
    const std::string other = host::ssh_control_path(paths, "99999999-0000-4000-8000-000000000000", 1, "10.215.0.11");
    // Sockets whose master is gone (as after a crash), and a plain file that
    // only looks like one.
    for (const std::string& socket_path : {path, other}) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
        ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << socket_path;
        ::close(fd);
    }
    const std::string look_alike = path.substr(0, path.rfind('/') + 1) + uuid.substr(0, 8) + "-notes";
    std::ofstream(look_alike) << "mine";

    host::close_ssh_connections(paths, uuid);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(std::filesystem::exists(other));
    EXPECT_TRUE(std::filesystem::exists(look_alike));
}

TEST_F(NetworkOpsTest, WithoutALeaseTheSerialLogStillTellsTheAddress) {
    const auto result = create("web");
    hv.leases.clear();  // e.g. a NIC libvirt's network does not manage
    const ops::VmAddress address = ops::vm_address(hv, env, facts("web"), DomainState::Running);
    EXPECT_EQ(address.network, "vmctl");
    EXPECT_EQ(address.ip, "10.215.0.10");
    EXPECT_TRUE(ops::vm_address(hv, env, facts("web"), DomainState::ShutOff).ip.empty());
}

// A lab host's 'vmctl' network is a bridge onto this machine's: the leases
// of its VMs are only in this machine's DHCP server.
TEST_F(NetworkOpsTest, OnASharedSegmentTheAddressComesFromThisMachinesLeases) {
    create("web");
    hv.leases.clear();
    std::filesystem::remove(facts("web").serial_log);
    std::vector<std::string> asked;
    env.segment_leases = [&](const std::string& network) {
        asked.push_back(network);
        return std::vector<DhcpLease>{{derive_mac("web"), "10.215.0.77", 24, "web"}};
    };
    EXPECT_EQ(ops::vm_address(hv, env, facts("web"), DomainState::Running).ip, "10.215.0.77");
    EXPECT_EQ(ops::running_addresses(hv, env, hv.list_domains()).at("web"), "10.215.0.77");
    EXPECT_EQ(asked.front(), "vmctl");
}

// On a shared segment a lease in the new VM's name may belong to a VM of
// that name on another host, still running: its MAC is not reused.
TEST_F(NetworkOpsTest, OnASharedSegmentAVmOfTheSameNameElsewhereKeepsItsMac) {
    env.segment_leases = [](const std::string&) {
        return std::vector<DhcpLease>{{derive_mac("web"), "10.215.0.77", 24, "web"}};
    };
    create("web");
    EXPECT_EQ(facts("web").interfaces.at(0).mac, derive_mac("web", 1));
}

}  // namespace
}  // namespace vmctl
