#include "test_env.h"
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

TEST(FreeText, UnicodeIsWelcomeButBrokenUtf8ControlsAndLengthAreRefused) {
    EXPECT_NO_THROW(validate_text("answer", "", 10));
    EXPECT_NO_THROW(validate_text("answer", "6.1.0-28-amd64", 100));
    EXPECT_NO_THROW(validate_text("answer", "café ✓ 🚀", 100));
    EXPECT_NO_THROW(validate_text("answer", "éééé", 4)) << "characters, not bytes";
    for (const std::string& bad : {std::string("\xff"), std::string("caf\xc3"), std::string("\xc0\xaf"),
                                  std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
        try {
            validate_text("answer", bad, 100);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
            EXPECT_NE(std::string(e.what()).find("not valid UTF-8"), std::string::npos) << e.what();
        }
    }
    for (const std::string& bad : {std::string("a\nb"), std::string("\x1b[31mred"), std::string("tab\there"),
                                  std::string("\xc2\x85")})
        EXPECT_EQ(testing::failure_kind([&] { validate_text("snapshot description", bad, 100); }),
                  ErrorKind::InvalidArgument)
            << bad;
    EXPECT_EQ(testing::failure_kind([&] { validate_text("answer", std::string(11, 'a'), 10); }),
              ErrorKind::InvalidArgument);
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

// Every error is printed as one line, whatever text it quotes (a key from a
// file, QEMU's stderr): newlines and control characters are shown escaped,
// a trailing newline dropped, and a huge value cut.
TEST(Error, IsAlwaysOneLine) {
    const Error e(ErrorKind::FileInvalid, "unknown key 'si\nze'\n", "fix\tit\x08");
    EXPECT_EQ(std::string(e.what()), "unknown key 'si\\nze'");
    EXPECT_EQ(e.hint(), "fix\\tit\\x08");
    EXPECT_EQ(e.line(), "unknown key 'si\\nze'; fix\\tit\\x08");
    const Error huge(ErrorKind::InvalidArgument, std::string(100000, 'x'));
    EXPECT_LT(std::string(huge.what()).size(), 2100u);
}

}  // namespace
}  // namespace vmctl
