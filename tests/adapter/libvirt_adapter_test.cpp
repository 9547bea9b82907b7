// The libvirt adapter against libvirt's in-process test:/// driver: real
// libvirt API calls and error codes, a fake hypervisor. Each test gets its
// own node file so tests do not share state.

#include "test_domains.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/virt/libvirt_hypervisor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace vmctl {
namespace {

constexpr const char* kDomain = R"(  <domain type='test'>
    <name>alpha</name>
    <memory unit='MiB'>128</memory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
  </domain>
)";

class AdapterTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/vmctl-adapter-XXXXXX";
        m_dir = ::mkdtemp(pattern);
        const std::string node = m_dir + "/node.xml";
        std::ofstream(node) << "<node>\n" << kDomain << testing::kNodeNetworkAndPool << "</node>\n";
        hv = virt::connect("test://" + node);
    }
    void TearDown() override {
        hv.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::string vm_xml(const std::string& name, const Labels& labels = {}) {
        return testing::test_vm_xml(m_dir, name, labels, 1, /*for_test_driver=*/true);
    }

    static ErrorKind failure(const std::function<void()>& call, int* libvirt_code = nullptr) {
        try {
            call();
        } catch (const Error& e) {
            if (libvirt_code != nullptr)
                *libvirt_code = e.libvirt_code();
            return e.kind();
        }
        return ErrorKind::Internal;
    }

    std::string m_dir;
    std::unique_ptr<Hypervisor> hv;
};

TEST_F(AdapterTest, ListsDomainsFromOneBulkCall) {
    const auto rows = hv->list_domains();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "alpha");
    EXPECT_EQ(rows[0].state, DomainState::Running);
    EXPECT_EQ(rows[0].vcpus, 2u);
    EXPECT_EQ(rows[0].memory_bytes, 128ULL << 20);  // from the definition
    EXPECT_EQ(hv->balloon_bytes("alpha"), 128ULL << 20);  // live
    EXPECT_FALSE(rows[0].has_vmctl_metadata);
}

TEST_F(AdapterTest, MissingDomainIsNotFoundWithTheLibvirtCode) {
    EXPECT_FALSE(hv->domain_exists("nope"));
    int code = 0;
    EXPECT_EQ(failure([&] { hv->domain_state("nope"); }, &code), ErrorKind::NotFound);
    EXPECT_EQ(code, 42);  // VIR_ERR_NO_DOMAIN
}

TEST_F(AdapterTest, DefinesVmctlDomainsAndReadsTheirMetadataBack) {
    hv->define_domain(vm_xml("web", {{"owner", "alice"}}));
    EXPECT_TRUE(hv->domain_exists("web"));
    EXPECT_EQ(hv->domain_state("web"), DomainState::ShutOff);
    const auto facts = parse_domain_xml(hv->domain_xml("web"));
    EXPECT_TRUE(facts.has_vmctl_metadata);
    EXPECT_EQ(facts.metadata.labels.at("owner"), "alice");
    for (const auto& row : hv->list_domains()) {
        if (row.name != "web")
            continue;
        EXPECT_TRUE(row.has_vmctl_metadata);
        EXPECT_EQ(row.metadata.image, "tiny");
        EXPECT_EQ(row.metadata.labels.at("owner"), "alice");
    }
}

TEST_F(AdapterTest, LifecycleAndInvalidStates) {
    hv->define_domain(vm_xml("web"));
    hv->start_domain("web");
    EXPECT_EQ(hv->domain_state("web"), DomainState::Running);
    // The test driver reports this as an internal error (QEMU's says
    // "operation invalid"); either way it is a typed failure with libvirt's message.
    int code = 0;
    EXPECT_NE(failure([&] { hv->start_domain("web"); }, &code), ErrorKind::Internal);
    EXPECT_NE(code, 0);
    hv->shutdown_domain("web");
    EXPECT_EQ(hv->domain_state("web"), DomainState::ShutOff);
    EXPECT_EQ(failure([&] { hv->destroy_domain("web"); }), ErrorKind::InvalidState);  // not running
    hv->undefine_domain("web");
    EXPECT_FALSE(hv->domain_exists("web"));
}

TEST_F(AdapterTest, InvalidXmlIsRefused) {
    EXPECT_NE(failure([&] { hv->define_domain("<domain type='test'><name>x</name></doma"); }),
              ErrorKind::Internal);
}

TEST_F(AdapterTest, PoolsAndVolumes) {
    hv->ensure_pool("vmctl", m_dir + "/pool");
    hv->ensure_pool("vmctl", m_dir + "/pool");  // a second call changes nothing
    const VolumeFacts volume = hv->create_volume("vmctl", "web-disk0.qcow2", 1ULL << 30);
    EXPECT_EQ(volume.capacity_bytes, 1ULL << 30);
    EXPECT_EQ(hv->list_volumes("vmctl").size(), 1u);
    ASSERT_TRUE(hv->volume_by_path(volume.path));
    int code = 0;
    EXPECT_NE(failure([&] { hv->create_volume("vmctl", "web-disk0.qcow2", 1ULL << 30); }, &code),
              ErrorKind::Internal);
    EXPECT_NE(code, 0);
    hv->delete_volume(volume.path);
    EXPECT_FALSE(hv->volume_by_path(volume.path));
    EXPECT_TRUE(hv->list_volumes("no-such-pool").empty());
}

TEST_F(AdapterTest, SnapshotTreeCreateListRevertDelete) {
    hv->define_domain(vm_xml("web"));
    hv->start_domain("web");
    hv->create_snapshot("web", build_snapshot_xml("a", "first"));
    hv->create_snapshot("web", build_snapshot_xml("b", ""));
    auto list = hv->list_snapshots("web");
    ASSERT_EQ(list.size(), 2u);
    for (const auto& s : list) {
        if (s.name == "a") {
            EXPECT_EQ(s.description, "first");
            EXPECT_EQ(s.state, "running");
            EXPECT_FALSE(s.current);
        } else {
            EXPECT_EQ(s.parent, "a");
            EXPECT_TRUE(s.current);
        }
    }
    hv->revert_snapshot("web", "a");
    for (const auto& s : hv->list_snapshots("web"))
        EXPECT_EQ(s.current, s.name == "a");
    EXPECT_EQ(failure([&] { hv->revert_snapshot("web", "zz"); }), ErrorKind::NotFound);
    hv->delete_snapshot("web", "a", false);
    list = hv->list_snapshots("web");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "b");
    EXPECT_TRUE(list[0].parent.empty()) << "b was re-parented";
}

TEST_F(AdapterTest, MetadataCanBeReplacedLive) {
    hv->define_domain(vm_xml("web", {{"owner", "alice"}}));
    hv->start_domain("web");
    hv->set_metadata("web", {"tiny", "", "2026-11-27T00:00:00Z", {{"kind", "pet"}}});
    const auto facts = parse_domain_xml(hv->domain_xml("web"));
    EXPECT_EQ(facts.metadata.labels, (Labels{{"kind", "pet"}}));
    EXPECT_EQ(facts.metadata.image, "tiny");
}

TEST_F(AdapterTest, NetworksAndTheirLeasesAreRead) {
    const auto networks = hv->list_networks();
    ASSERT_EQ(networks.size(), 1u);
    EXPECT_EQ(networks[0].name, "vmctl");
    EXPECT_TRUE(networks[0].active);
    EXPECT_EQ(networks[0].bridge, "vmctl0");
    // The test driver has no DHCP server: that is "unsupported", not a bug.
    EXPECT_EQ(failure([&] { hv->dhcp_leases("vmctl"); }), ErrorKind::Unsupported);
    int code = 0;
    EXPECT_EQ(failure([&] { hv->dhcp_leases("nosuch"); }, &code), ErrorKind::NotFound);
}

TEST_F(AdapterTest, ANicIsDefinedAndReadBack) {
    VmSpec spec;
    spec.name = "web";
    spec.vcpus = 1;
    spec.memory_bytes = 64ULL << 20;
    spec.nic = {"vmctl", "52:54:00:01:02:03"};
    std::string xml = build_domain_xml(spec, {"/k", "/i", "", "/d.qcow2", m_dir + "/web.log"});
    xml.replace(xml.find("type=\"qemu\""), 11, "type=\"test\"");
    hv->define_domain(xml);
    const DomainFacts facts = parse_domain_xml(hv->domain_xml("web"));
    ASSERT_EQ(facts.interfaces.size(), 1u);
    EXPECT_EQ(facts.interfaces[0].network, "vmctl");
    EXPECT_EQ(facts.interfaces[0].mac, "52:54:00:01:02:03");
}

TEST_F(AdapterTest, VersionsAreReported) {
    const auto v = hv->versions();
    EXPECT_FALSE(v.libvirt_library.empty());
    EXPECT_EQ(v.uri.rfind("test://", 0), 0u);
}

TEST(AdapterConnect, UnreachableDaemonIsUnreachable) {
    try {
        virt::connect("qemu+unix:///system?socket=/nonexistent/libvirt-sock");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Unreachable);
    }
    EXPECT_FALSE(virt::answers("qemu+unix:///system?socket=/nonexistent/libvirt-sock"));
}

}  // namespace
}  // namespace vmctl
