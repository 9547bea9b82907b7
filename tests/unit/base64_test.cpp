#include "vmctl/core/base64.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(Base64, MatchesRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsAnyBytes) {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    EXPECT_EQ(base64_decode(base64_encode(all)), all);
    EXPECT_EQ(base64_decode("Zm9v\nYmFy\n"), "foobar");
    EXPECT_FALSE(base64_decode("Zm9v!"));
}

}  // namespace
}  // namespace vmctl
