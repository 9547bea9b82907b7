#include "vmctl/core/error.h"
#include "vmctl/core/names.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

bool name_ok(std::string_view name) {
    try {
        validate_vm_name(name);
        return true;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_FALSE(e.hint().empty());
        return false;
    }
}

TEST(VmName, FollowsTheCloudRule) {
    EXPECT_TRUE(name_ok("web"));
    EXPECT_TRUE(name_ok("web-1"));
    EXPECT_TRUE(name_ok("a"));
    EXPECT_TRUE(name_ok(std::string(63, 'a')));
    EXPECT_FALSE(name_ok(""));
    EXPECT_FALSE(name_ok(std::string(64, 'a')));
    EXPECT_FALSE(name_ok("1web"));
    EXPECT_FALSE(name_ok("-web"));
    EXPECT_FALSE(name_ok("web-"));
    EXPECT_FALSE(name_ok("Web"));
    EXPECT_FALSE(name_ok("web_1"));
    EXPECT_FALSE(name_ok("web.example"));
    EXPECT_FALSE(name_ok("../etc"));
    EXPECT_FALSE(name_ok("web<script>"));
    EXPECT_FALSE(name_ok("wéb"));
    EXPECT_FALSE(name_ok(std::string("we\0b", 4)));
}

TEST(VmName, ErrorSaysWhatIsWrong) {
    try {
        validate_vm_name("Web");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("uppercase"), std::string::npos);
    }
}

TEST(Labels, ParseKeyValuePairs) {
    const Labels labels = parse_labels({"owner=alice", "tier=web-front", "empty="});
    EXPECT_EQ(labels.at("owner"), "alice");
    EXPECT_EQ(labels.at("tier"), "web-front");
    EXPECT_EQ(labels.at("empty"), "");
}

TEST(Labels, RefuseBadOnes) {
    for (const char* bad : {"owner", "=alice", "Owner=alice", "1x=y", "owner=Alice", "owner=a b", "k=<x>",
                            "owner=\"quoted\""})
        EXPECT_THROW(parse_label(bad), Error) << bad;
    EXPECT_THROW(parse_labels({"a=1", "a=2"}), Error);
}

}  // namespace
}  // namespace vmctl
