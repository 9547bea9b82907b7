#include "vmctl/core/error.h"
#include "vmctl/core/machine_type.h"
#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

TEST(MachineType, KnowsTheSlideTypes) {
    EXPECT_EQ(find_machine_type("e2-micro").memory_bytes, 1 * GiB);
    EXPECT_EQ(find_machine_type("e2-small").memory_bytes, 2 * GiB);
    EXPECT_EQ(find_machine_type("e2-medium").vcpus, 2u);
}

TEST(MachineType, UnknownSuggestsTheClosest) {
    try {
        find_machine_type("e2-smal");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(e.hint().find("did you mean 'e2-small'"), std::string::npos);
    }
    try {
        find_machine_type("n1-standard-8");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.hint().find("e2-micro, e2-small, e2-medium"), std::string::npos);
    }
}

TEST(Suggest, FindsTyposAndPrefixes) {
    const std::vector<std::string> words{"create", "list", "delete", "destroy"};
    EXPECT_EQ(closest_match("crate", words), "create");
    EXPECT_EQ(closest_match("lst", words), "list");
    EXPECT_EQ(closest_match("dest", words), "destroy");
    EXPECT_EQ(closest_match("frobnicate", words), std::nullopt);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace vmctl
