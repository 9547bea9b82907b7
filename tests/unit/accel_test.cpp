#include "vmctl/core/accel.h"
#include "vmctl/core/error.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(Accel, AutoPicksKvmOnlyWhenBothFactsHold) {
    EXPECT_EQ(choose_accel(AccelRequest::Auto, {true, true}).accel, Accel::Kvm);
    // The nested "PVM" case of these machines: /dev/kvm opens, no vmx/svm.
    const AccelChoice pvm = choose_accel(AccelRequest::Auto, {true, false});
    EXPECT_EQ(pvm.accel, Accel::Tcg);
    EXPECT_NE(pvm.reason.find("vmx or svm"), std::string::npos);
    EXPECT_EQ(choose_accel(AccelRequest::Auto, {false, true}).accel, Accel::Tcg);
}

TEST(Accel, ExplicitKvmWithoutItIsUnsupported) {
    try {
        choose_accel(AccelRequest::Kvm, {true, false});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
        EXPECT_NE(e.hint().find("--accel tcg"), std::string::npos);
    }
    EXPECT_EQ(choose_accel(AccelRequest::Kvm, {true, true}).accel, Accel::Kvm);
    EXPECT_EQ(choose_accel(AccelRequest::Tcg, {true, true}).accel, Accel::Tcg);
}

TEST(Accel, ParsesRequests) {
    EXPECT_EQ(parse_accel_request("auto"), AccelRequest::Auto);
    EXPECT_EQ(parse_accel_request("tcg"), AccelRequest::Tcg);
    EXPECT_THROW(parse_accel_request("hvf"), Error);
    EXPECT_STREQ(domain_type(Accel::Tcg), "qemu");
    EXPECT_STREQ(domain_type(Accel::Kvm), "kvm");
}

}  // namespace
}  // namespace vmctl
