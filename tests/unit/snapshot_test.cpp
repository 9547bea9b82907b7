#include "vmctl/core/error.h"
#include "vmctl/core/snapshot.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(SnapshotName, AcceptsPlainNamesAndRefusesHostileOnes) {
    EXPECT_NO_THROW(validate_snapshot_name("before-upgrade"));
    EXPECT_NO_THROW(validate_snapshot_name("v1.2_ok"));
    for (const char* bad : {"", "-x", ".hidden", "a b", "a/b", "../etc", "<x>", "a'b", "a\"b", "a&b", "a;rm"})
        EXPECT_THROW(validate_snapshot_name(bad), Error) << bad;
    EXPECT_THROW(validate_snapshot_name(std::string(64, 'a')), Error);
}

TEST(SnapshotXml, EscapesTheDescriptionAndReadsLibvirtsAnswer) {
    const std::string xml = build_snapshot_xml("s1", "a <b> & \"c\"");
    EXPECT_NE(xml.find("a &lt;b&gt; &amp; \"c\""), std::string::npos) << xml;
    const SnapshotInfo info = parse_snapshot_xml(R"(<domainsnapshot><name>s2</name>
      <description>d</description><state>running</state><parent><name>s1</name></parent>
      <creationTime>1700000000</creationTime>
      <domain type='qemu'><name>web</name><memory unit='KiB'>524288</memory>
      <currentMemory unit='KiB'>262144</currentMemory><vcpu current='1'>2</vcpu></domain>
      </domainsnapshot>)");
    EXPECT_EQ(info.name, "s2");
    EXPECT_EQ(info.parent, "s1");
    EXPECT_EQ(info.state, "running");
    EXPECT_EQ(info.created, 1700000000);
    EXPECT_EQ(info.vcpus, 1u);
    EXPECT_EQ(info.memory_bytes, 256ULL << 20);
}

TEST(SnapshotTree, DrawsParentsBeforeChildrenAndMarksTheCurrent) {
    std::vector<SnapshotInfo> snaps{
        {"other", "base", "", 30, "shutoff", false},
        {"base", "", "", 10, "running", false},
        {"child", "base", "", 20, "running", false},
        {"grandchild", "child", "", 25, "running", true},
    };
    const auto lines = render_snapshot_tree(snaps);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].rfind("base  (", 0), 0u);
    EXPECT_EQ(lines[1].rfind("├─ child", 0), 0u);
    EXPECT_EQ(lines[2].rfind("│  └─ grandchild", 0), 0u);
    EXPECT_NE(lines[2].find("<- current"), std::string::npos);
    EXPECT_EQ(lines[3].rfind("└─ other", 0), 0u);
    EXPECT_NE(lines[3].find("disk only"), std::string::npos);
}

TEST(SnapshotTree, SafetyNamesAreRecognisable) {
    EXPECT_EQ(safety_snapshot_name("20261127-210500"), "safety-20261127-210500");
    EXPECT_NO_THROW(validate_snapshot_name(safety_snapshot_name("20261127-210500")));
}

}  // namespace
}  // namespace vmctl
