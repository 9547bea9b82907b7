// One contract, two implementations: the same tests run against the
// in-memory fake the unit tier uses and against the libvirt adapter on
// libvirt's in-process test:/// driver. Where the fake and libvirt disagree,
// a unit test could pass on behaviour no user ever sees; these tests fail
// instead, and the fake is fixed to match.

#include "../fakes/fake_hypervisor.h"
#include "../unit/test_env.h"
#include "test_domains.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/virt/libvirt_hypervisor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

namespace vmctl {
namespace {

constexpr const char* kEmptyNode = R"(<node>
  <pool type='dir'><name>default</name><target><path>/default-pool</path></target></pool>
</node>
)";

enum class Implementation { Fake, TestDriver };

std::string implementation_name(const ::testing::TestParamInfo<Implementation>& info) {
    return info.param == Implementation::Fake ? "Fake" : "LibvirtTestDriver";
}

class HypervisorContract : public ::testing::TestWithParam<Implementation> {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/vmctl-contract-XXXXXX";
        m_dir = ::mkdtemp(pattern);
        if (GetParam() == Implementation::Fake) {
            hv = std::make_unique<testing::FakeHypervisor>();
        } else {
            std::ofstream(m_dir + "/node.xml") << kEmptyNode;
            hv = virt::connect("test://" + m_dir + "/node.xml");
        }
    }
    void TearDown() override {
        hv.reset();
        std::filesystem::remove_all(m_dir);
    }

    // A vmctl domain named `name`: 1 vCPU of at most 2, 64 MiB.
    std::string vm_xml(const std::string& name, const Labels& labels = {}) {
        return testing::test_vm_xml(m_dir, name, labels, 2, GetParam() == Implementation::TestDriver);
    }

    static ErrorKind failure(const std::function<void()>& call) { return testing::failure_kind(call); }

    std::string m_dir;
    std::unique_ptr<Hypervisor> hv;
};

TEST_P(HypervisorContract, AVmThatDoesNotExistIsNotFoundEverywhere) {
    EXPECT_FALSE(hv->domain_exists("ghost"));
    EXPECT_EQ(failure([&] { hv->domain_state("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->domain_xml("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->domain_config_xml("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->start_domain("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->undefine_domain("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->limits("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->list_snapshots("ghost"); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->set_vcpus("ghost", 1, false); }), ErrorKind::NotFound);
    EXPECT_EQ(failure([&] { hv->set_metadata("ghost", {}); }), ErrorKind::NotFound);
}

TEST_P(HypervisorContract, DefineStartStopUndefine) {
    hv->define_domain(vm_xml("web"));
    EXPECT_TRUE(hv->domain_exists("web"));
    EXPECT_EQ(hv->domain_state("web"), DomainState::ShutOff);
    EXPECT_EQ(failure([&] { hv->destroy_domain("web"); }), ErrorKind::InvalidState) << "it is not running";
    hv->start_domain("web");
    EXPECT_EQ(hv->domain_state("web"), DomainState::Running);
    EXPECT_NE(failure([&] { hv->start_domain("web"); }), ErrorKind::Internal) << "already running: a typed error";
    hv->destroy_domain("web");
    EXPECT_EQ(hv->domain_state("web"), DomainState::ShutOff);
    hv->undefine_domain("web");
    EXPECT_FALSE(hv->domain_exists("web"));
}

TEST_P(HypervisorContract, VcpusBeyondTheMaximumFixedAtDefinitionAreRefused) {
    hv->define_domain(vm_xml("web"));
    hv->set_vcpus("web", 2, false);
    EXPECT_EQ(parse_domain_xml(hv->domain_config_xml("web")).vcpus, 2u);
    EXPECT_EQ(failure([&] { hv->set_vcpus("web", 3, false); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(parse_domain_xml(hv->domain_config_xml("web")).vcpus, 2u) << "nothing changed";
}

TEST_P(HypervisorContract, UndefineTakesTheSnapshotsAlong) {
    hv->define_domain(vm_xml("web"));
    hv->create_snapshot("web", build_snapshot_xml("before", ""));
    ASSERT_EQ(hv->list_snapshots("web").size(), 1u);
    hv->undefine_domain("web");
    hv->define_domain(vm_xml("web"));
    EXPECT_TRUE(hv->list_snapshots("web").empty()) << "a VM made again under the name starts without snapshots";
}

TEST_P(HypervisorContract, LabelsComeBackExactlyAsSet) {
    hv->define_domain(vm_xml("web", {{"owner", "alice"}}));
    VmMetadata metadata = parse_domain_xml(hv->domain_xml("web")).metadata;
    metadata.labels = {{"owner", "bob"}, {"note", "a<b & \"c\" 'd'"}};
    hv->set_metadata("web", metadata);
    const DomainFacts facts = parse_domain_xml(hv->domain_xml("web"));
    EXPECT_EQ(facts.metadata.labels, metadata.labels);
    bool listed = false;
    for (const auto& row : hv->list_domains())
        if (row.name == "web") {
            listed = true;
            EXPECT_EQ(row.metadata.labels, metadata.labels);
        }
    EXPECT_TRUE(listed);
}

INSTANTIATE_TEST_SUITE_P(BothImplementations, HypervisorContract,
                         ::testing::Values(Implementation::Fake, Implementation::TestDriver), implementation_name);

}  // namespace
}  // namespace vmctl
