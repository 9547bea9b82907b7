#include "vmctl/core/guest_protocol.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(GuestProtocol, ParsesTheReadyLine) {
    const auto ready = parse_ready_line(
        "vmctl-guest: ready boot=0f1e2d3c-aaaa-bbbb-cccc-000000000001 kernel=6.1.0-28-amd64 cpus=2 mem_kb=241212\r");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->boot_id, "0f1e2d3c-aaaa-bbbb-cccc-000000000001");
    EXPECT_EQ(ready->kernel, "6.1.0-28-amd64");
    EXPECT_EQ(ready->cpus, 2u);
    EXPECT_EQ(ready->mem_kb, 241212u);
}

TEST(GuestProtocol, RejectsOtherLines) {
    EXPECT_FALSE(parse_ready_line("HB boot=x seq=1"));
    EXPECT_FALSE(parse_ready_line("vmctl-guest: ready boot=x cpus=two mem_kb=1"));
    EXPECT_FALSE(parse_ready_line("echo vmctl-guest: ready boot=x cpus=1 mem_kb=1"));
}

TEST(GuestProtocol, ParsesHeartbeats) {
    const auto beat = parse_heartbeat("HB boot=abc seq=42");
    ASSERT_TRUE(beat);
    EXPECT_EQ(beat->boot_id, "abc");
    EXPECT_EQ(beat->seq, 42u);
    EXPECT_FALSE(parse_heartbeat("HB boot=abc"));
    const auto after_prompt = parse_heartbeat("vmctl-guest:~# HB boot=abc seq=7");
    ASSERT_TRUE(after_prompt);
    EXPECT_EQ(after_prompt->seq, 7u);
}

TEST(CursorQueries, AreDroppedEvenWhenAChunkCutsOneInTwo) {
    std::string carry;
    EXPECT_EQ(drop_cursor_queries("~ # \x1b[6nuname\n", carry), "~ # uname\n");
    EXPECT_TRUE(carry.empty());
    EXPECT_EQ(drop_cursor_queries("HB seq=1\n\x1b[", carry), "HB seq=1\n");
    EXPECT_EQ(carry, "\x1b[");
    EXPECT_EQ(drop_cursor_queries("6n~ # ", carry), "~ # ");
    EXPECT_EQ(drop_cursor_queries("\x1b[31mred\x1b[0m", carry), "\x1b[31mred\x1b[0m") << "colours stay";
    EXPECT_EQ(drop_cursor_queries("end\x1b", carry), "end");
    EXPECT_EQ(carry, "\x1b") << "printed at the end if nothing completes it";
}

}  // namespace
}  // namespace vmctl
