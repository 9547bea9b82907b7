// The prober and the held request, against this machine's loopback only.

#include "local_http.h"
#include "vmctl/core/error.h"
#include "vmctl/host/probe.h"

#include <gtest/gtest.h>

#include <thread>

namespace vmctl {
namespace {

TEST(Prober, LoopbackAnswersEveryProbeAtTheRateAsked) {
    host::Prober prober("127.0.0.1", std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const host::ProbeStats stats = prober.stop();
    EXPECT_GE(stats.sent, 20u);  // 30 due; a loaded machine may delay a few
    EXPECT_LE(stats.sent, 32u);
    EXPECT_EQ(stats.lost(), 0u) << stats.method;
    EXPECT_LT(stats.longest_gap_ms, 200.0);
    EXPECT_EQ(stats.interval_ms, 10.0);
    EXPECT_EQ(prober.stop().sent, stats.sent) << "a second stop returns the same";
}

TEST(Prober, AnAddressThatIsNotIpv4IsRefused) {
    try {
        host::Prober prober("web-1", std::chrono::milliseconds(10));
        FAIL() << "probed a name";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
}

TEST(HeldRequest, TheRequestIsFinishedOnlyWhenAskedAndTheAnswerReturned) {
    testing::LocalHttp server("vm=web boot=1\n");
    host::HeldRequest request("127.0.0.1", server.port(), std::chrono::seconds(2));
    ASSERT_EQ(request.open_error(), "");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(server.answered()) << "the server is still waiting for the end of the request";
    std::string why;
    const auto answer = request.finish(std::chrono::seconds(2), why);
    ASSERT_TRUE(answer) << why;
    EXPECT_NE(answer->find("200 OK"), std::string::npos);
    EXPECT_NE(answer->find("vm=web boot=1"), std::string::npos);
}

TEST(HeldRequest, NothingListeningIsReportedNotThrown) {
    std::uint16_t port;
    {
        testing::LocalHttp closed("");
        port = closed.port();
        host::HeldRequest take_it("127.0.0.1", port, std::chrono::seconds(1));  // lets the server thread end
        std::string ignored;
        take_it.finish(std::chrono::seconds(1), ignored);
    }
    host::HeldRequest request("127.0.0.1", port, std::chrono::seconds(1));
    EXPECT_NE(request.open_error().find("could not connect"), std::string::npos) << request.open_error();
    std::string why;
    EXPECT_FALSE(request.finish(std::chrono::seconds(1), why));
    EXPECT_EQ(why, request.open_error());
}

}  // namespace
}  // namespace vmctl
