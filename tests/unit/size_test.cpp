#include "vmctl/core/error.h"
#include "vmctl/core/size.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(ParseSize, AcceptsBinaryUnitsInAnySpelling) {
    EXPECT_EQ(parse_size("512M", "--memory"), 512 * MiB);
    EXPECT_EQ(parse_size("512MiB", "--memory"), 512 * MiB);
    EXPECT_EQ(parse_size("512mb", "--memory"), 512 * MiB);
    EXPECT_EQ(parse_size("2G", "--memory"), 2 * GiB);
    EXPECT_EQ(parse_size("1.5GiB", "--memory"), 3 * GiB / 2);
    EXPECT_EQ(parse_size("64K", "--memory"), 64 * KiB);
    EXPECT_EQ(parse_size("1T", "--disk-size"), TiB);
}

ErrorKind kind_of(std::string_view text) {
    try {
        parse_size(text, "--memory");
    } catch (const Error& e) {
        return e.kind();
    }
    return ErrorKind::Internal;
}

TEST(ParseSize, RefusesNumbersWithoutUnitsAndGarbage) {
    for (const char* bad : {"512", "", "M", "1..5G", ".5G", "5.G", "12Q", "-1G", "1 G B", "ten"})
        EXPECT_EQ(kind_of(bad), ErrorKind::InvalidArgument) << bad;
}

TEST(ParseSize, ErrorNamesTheOptionAndTheFix) {
    try {
        parse_size("512", "--memory");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--memory"), std::string::npos);
        EXPECT_NE(e.hint().find("512M"), std::string::npos);
    }
}

TEST(CheckSizeRange, SaysTheAllowedRange) {
    EXPECT_NO_THROW(check_size_range(256 * MiB, 64 * MiB, GiB, "--memory"));
    try {
        check_size_range(16 * MiB, 64 * MiB, GiB, "--memory");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_EQ(e.hint(), "choose between 64 MiB and 1 GiB");
    }
}

TEST(FormatSize, ArgumentsRoundTrip) {
    EXPECT_EQ(format_size_arg(GiB), "1G");
    EXPECT_EQ(format_size_arg(512 * MiB), "512M");
    EXPECT_EQ(parse_size(format_size_arg(1536 * MiB), "x"), 1536 * MiB);
}

TEST(FormatSize, PicksTheLargestReadableUnit) {
    EXPECT_EQ(format_size(256 * MiB), "256 MiB");
    EXPECT_EQ(format_size(3 * GiB / 2), "1.5 GiB");
    EXPECT_EQ(format_size(512), "512 B");
    EXPECT_EQ(format_size(2 * TiB), "2 TiB");
}

}  // namespace
}  // namespace vmctl
