#include "web_vm_fixture.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/snapshot.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

class SnapshotOpsTest : public testing::WebVmTest {
protected:
    std::vector<std::string> names() {
        std::vector<std::string> result;
        for (const auto& s : hv.list_snapshots("web"))
            result.push_back(s.name);
        return result;
    }

    // Replaces `from` by `to` in the running VM and its definition: a VM
    // defined that way from the start.
    void edit(const std::string& from, const std::string& to) {
        FakeHypervisor::Domain& d = hv.domains.at("web");
        for (std::string* xml : {&d.xml, &d.live_xml})
            xml->replace(xml->find(from), from.size(), to);
    }
};

TEST_F(SnapshotOpsTest, RunningVmSnapshotIncludesMemory) {
    EXPECT_TRUE(ops::create_snapshot(hv, "web", "s1", "").with_memory);
    hv.destroy_domain("web");
    EXPECT_FALSE(ops::create_snapshot(hv, "web", "s2", "").with_memory);
}

TEST_F(SnapshotOpsTest, BadOrTakenNamesChangeNothing) {
    ops::create_snapshot(hv, "web", "s1", "");
    EXPECT_EQ(failure([&] { ops::create_snapshot(hv, "web", "s1", ""); }), ErrorKind::AlreadyExists);
    EXPECT_EQ(failure([&] { ops::create_snapshot(hv, "web", "x</name><y>", ""); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(failure([&] { ops::create_snapshot(hv, "web", "", ""); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(names(), std::vector<std::string>{"s1"});
}

TEST_F(SnapshotOpsTest, UefiGuestsAreExplained) {
    edit("<kernel>", "<loader readonly='yes' type='pflash'>/x</loader><kernel>");
    try {
        ops::create_snapshot(hv, "web", "s1", "");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
        EXPECT_NE(std::string(e.what()).find("UEFI"), std::string::npos);
    }
}

TEST_F(SnapshotOpsTest, AVmStartingTheQbootRomIsNotTakenForUefi) {
    edit("<kernel>", "<loader readonly='yes' type='rom'>/usr/share/qemu/qboot.rom</loader><kernel>");
    EXPECT_NO_THROW(ops::create_snapshot(hv, "web", "s1", ""));
    edit(" type='rom'", "");  // a loader without a type may be UEFI's pflash
    EXPECT_EQ(failure([&] { ops::create_snapshot(hv, "web", "s2", ""); }), ErrorKind::Unsupported);
}

TEST_F(SnapshotOpsTest, RevertTakesASafetySnapshotFirst) {
    ops::create_snapshot(hv, "web", "s1", "");
    const auto result = ops::revert_snapshot(hv, "web", "s1", false, "20261127-210500");
    EXPECT_EQ(result.safety_snapshot, "safety-20261127-210500");
    EXPECT_EQ(names(), (std::vector<std::string>{"s1", "safety-20261127-210500"}));
    for (const auto& s : hv.list_snapshots("web"))
        EXPECT_EQ(s.current, s.name == "s1");
}

TEST_F(SnapshotOpsTest, TwoRevertsInOneSecondGetTwoSafetySnapshots) {
    ops::create_snapshot(hv, "web", "s1", "");
    EXPECT_EQ(ops::revert_snapshot(hv, "web", "s1", false, "20261127-210500").safety_snapshot,
              "safety-20261127-210500");
    EXPECT_EQ(ops::revert_snapshot(hv, "web", "s1", false, "20261127-210500").safety_snapshot,
              "safety-20261127-210500-2");
    EXPECT_EQ(names(), (std::vector<std::string>{"s1", "safety-20261127-210500", "safety-20261127-210500-2"}));
}

TEST_F(SnapshotOpsTest, NoSafetyMeansNoExtraSnapshot) {
    ops::create_snapshot(hv, "web", "s1", "");
    EXPECT_TRUE(ops::revert_snapshot(hv, "web", "s1", true, "x").safety_snapshot.empty());
    EXPECT_EQ(names(), std::vector<std::string>{"s1"});
}

TEST_F(SnapshotOpsTest, RevertAfterAResizeStopsTheVmFirstInsteadOfLosingIt) {
    ops::create_snapshot(hv, "web", "small", "");
    hv.set_vcpus("web", 2, true);  // a live hot-plug since the snapshot
    const auto result = ops::revert_snapshot(hv, "web", "small", false, "t1");
    EXPECT_TRUE(result.stopped_first);
    EXPECT_NE(result.note.find("vCPUs 1 -> 2"), std::string::npos) << result.note;
    EXPECT_EQ(hv.domains.at("web").state, DomainState::Running);
}

TEST_F(SnapshotOpsTest, FailedRevertGoesBackToTheSafetySnapshot) {
    ops::create_snapshot(hv, "web", "s1", "");
    hv.fail_on = "revert_snapshot";
    try {
        ops::revert_snapshot(hv, "web", "s1", false, "t2");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.hint().find("safety-t2"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(hv.domains.at("web").state, DomainState::Running);
    for (const auto& s : hv.list_snapshots("web"))
        EXPECT_EQ(s.current, s.name == "safety-t2");
}

TEST_F(SnapshotOpsTest, DeleteKeepsChildrenUnlessAsked) {
    ops::create_snapshot(hv, "web", "a", "");
    ops::create_snapshot(hv, "web", "b", "");
    ops::create_snapshot(hv, "web", "c", "");
    EXPECT_EQ(ops::delete_snapshot(hv, "web", "b", false), std::vector<std::string>{"b"});
    for (const auto& s : hv.list_snapshots("web")) {
        if (s.name == "c") {
            EXPECT_EQ(s.parent, "a");
        }
    }
    EXPECT_EQ(ops::delete_snapshot(hv, "web", "a", true), (std::vector<std::string>{"a", "c"}));
    EXPECT_TRUE(names().empty());
    EXPECT_EQ(failure([&] { ops::delete_snapshot(hv, "web", "zz", false); }), ErrorKind::NotFound);
}

}  // namespace
}  // namespace vmctl
