// The fake's failure injection: every Hypervisor method can be made to fail
// once, so a unit test can check what an operation does when any step of it
// fails. The list of methods is read from hypervisor.h itself, so a method
// added to the interface fails here until the fake can fail it too.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

namespace vmctl {
namespace {

// The names of the pure virtual methods that hypervisor.h declares.
std::set<std::string> interface_methods() {
    std::ifstream header(std::string(VMCTL_TEST_DATA) + "/../../vmctl/core/hypervisor.h");
    std::stringstream text;
    text << header.rdbuf();
    std::set<std::string> names;
    const std::string source = text.str();
    const std::regex declaration(R"(virtual\s+[^;{]*?\b(\w+)\s*\([^;]*\)\s*=\s*0\s*;)");
    for (auto it = std::sregex_iterator(source.begin(), source.end(), declaration); it != std::sregex_iterator();
         ++it)
        names.insert((*it)[1]);
    return names;
}

class FakeFailureInjection : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/vmctl-fake-XXXXXX";
        m_dir = ::mkdtemp(pattern);
        prepare();
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    // A fresh fake with a running VM "web" that has a snapshot "s", and a
    // pool "vmctl" with its disk.
    void prepare() {
        hv = std::make_unique<testing::FakeHypervisor>();
        other = std::make_unique<testing::FakeHypervisor>();
        VmSpec spec;
        spec.name = "web";
        spec.vcpus = 1;
        spec.max_vcpus = 2;
        spec.memory_bytes = 64ULL << 20;
        spec.nic = {"vmctl", "52:54:00:01:02:03"};
        hv->define_domain(build_domain_xml(spec, {"/k", "/i", "", m_dir + "/d.qcow2", m_dir + "/web.log"}));
        hv->start_domain("web");
        hv->create_snapshot("web", build_snapshot_xml("s", ""));
        hv->ensure_pool("vmctl", m_dir);
        disk = hv->create_volume("vmctl", "d.qcow2", 1ULL << 30).path;
    }

    // One call of each method, with arguments it accepts.
    std::map<std::string, std::function<void()>> calls() {
        const std::string device = build_disk_device_xml(disk, "vdb");
        return {
            {"versions", [this] { hv->versions(); }},
            {"domain_exists", [this] { hv->domain_exists("web"); }},
            {"define_domain", [this] { hv->define_domain(hv->domain_config_xml("web")); }},
            {"start_domain",
             [this] {
                 hv->destroy_domain("web");
                 hv->start_domain("web");
             }},
            {"shutdown_domain", [this] { hv->shutdown_domain("web"); }},
            {"reboot_domain", [this] { hv->reboot_domain("web"); }},
            {"destroy_domain", [this] { hv->destroy_domain("web"); }},
            {"undefine_domain", [this] { hv->undefine_domain("web"); }},
            {"domain_state", [this] { hv->domain_state("web"); }},
            {"domain_xml", [this] { hv->domain_xml("web"); }},
            {"domain_config_xml", [this] { hv->domain_config_xml("web"); }},
            {"list_domains", [this] { hv->list_domains(); }},
            {"balloon_bytes", [this] { hv->balloon_bytes("web"); }},
            {"ensure_pool", [this] { hv->ensure_pool("vmctl", m_dir); }},
            {"create_volume", [this] { hv->create_volume("vmctl", "e.qcow2", 1ULL << 30); }},
            {"volume_by_path", [this] { hv->volume_by_path(disk); }},
            {"delete_volume", [this] { hv->delete_volume(disk); }},
            {"list_volumes", [this] { hv->list_volumes("vmctl"); }},
            {"set_metadata", [this] { hv->set_metadata("web", {}); }},
            {"create_snapshot", [this] { hv->create_snapshot("web", build_snapshot_xml("t", "")); }},
            {"list_snapshots", [this] { hv->list_snapshots("web"); }},
            {"revert_snapshot", [this] { hv->revert_snapshot("web", "s"); }},
            {"delete_snapshot", [this] { hv->delete_snapshot("web", "s", false); }},
            {"create_overlay_volume", [this] { hv->create_overlay_volume("vmctl", "o.qcow2", 1ULL << 30, disk); }},
            {"copy_volume", [this] { hv->copy_volume("vmctl", "c.qcow2", disk); }},
            {"agent_command", [this] { hv->agent_command("web", R"({"execute":"guest-ping"})", 1); }},
            {"set_vcpus", [this] { hv->set_vcpus("web", 2, true); }},
            {"set_memory", [this] { hv->set_memory("web", 32ULL << 20, true); }},
            {"resize_disk", [this] { hv->resize_disk("web", "vda", disk, 2ULL << 30, true); }},
            {"attach_device", [this, device] { hv->attach_device("web", device, true); }},
            {"detach_device",
             [this, device] {
                 hv->attach_device("web", device, true);
                 hv->detach_device("web", device, true);
             }},
            {"limits", [this] { hv->limits("web"); }},
            {"set_limits", [this] { hv->set_limits("web", {std::nullopt, std::nullopt, 100, std::nullopt}, true); }},
            {"all_domain_stats", [this] { hv->all_domain_stats(); }},
            {"node_facts", [this] { hv->node_facts(); }},
            {"list_networks", [this] { hv->list_networks(); }},
            {"dhcp_leases", [this] { hv->dhcp_leases("vmctl"); }},
            {"migrate",
             [this] {
                 hv->peer = other.get();
                 hv->migrate("web", {}, [](const MigrationJob&) { return true; });
             }},
            {"completed_job", [this] { hv->completed_job("web"); }},
            {"snapshot_definitions", [this] { hv->snapshot_definitions("web"); }},
            {"forget_snapshot", [this] { hv->forget_snapshot("web", "s"); }},
            {"redefine_snapshot", [this] { hv->redefine_snapshot("web", hv->snapshot_definitions("web").at(0)); }},
            {"wait_for_event", [this] { hv->wait_for_event(std::chrono::milliseconds(1)); }},
            {"attach_console", [this] { hv->attach_console("web", -1, -1, ']'); }},
        };
    }

    std::string m_dir;
    std::string disk;
    std::unique_ptr<testing::FakeHypervisor> hv;
    std::unique_ptr<testing::FakeHypervisor> other;
};

TEST_F(FakeFailureInjection, TheTableNamesEveryMethodOfTheInterface) {
    const std::set<std::string> declared = interface_methods();
    ASSERT_GT(declared.size(), 40u) << "hypervisor.h was read";
    std::set<std::string> tabled;
    for (const auto& [name, call] : calls())
        tabled.insert(name);
    EXPECT_EQ(tabled, declared);
}

// Without an injected failure each call succeeds: the table's arguments are
// good ones, so a failure below is the injected one.
TEST_F(FakeFailureInjection, EachCallSucceedsWithoutAnInjectedFailure) {
    for (const auto& [name, call] : calls()) {
        prepare();
        EXPECT_NO_THROW(call()) << name;
    }
}

TEST_F(FakeFailureInjection, EveryMethodFailsOnceWhenTold) {
    for (const auto& [name, call] : calls()) {
        prepare();
        hv->fail_on = name;
        try {
            call();
            ADD_FAILURE() << name << " did not fail";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::OperationFailed) << name;
            EXPECT_EQ(std::string(e.what()), "injected failure in " + name);
        }
        EXPECT_TRUE(hv->fail_on.empty()) << name << ": the failure is used up";
    }
}

TEST_F(FakeFailureInjection, AFailureSaysWhatItWasToldTo) {
    hv->fail_on = "domain_xml";
    hv->fail_message = "connection reset by peer";
    try {
        hv->domain_xml("web");
        ADD_FAILURE() << "domain_xml did not fail";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "connection reset by peer");
    }
    EXPECT_NO_THROW(hv->domain_xml("web")) << "once";
}

}  // namespace
}  // namespace vmctl
