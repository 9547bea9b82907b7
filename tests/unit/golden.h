#pragma once

// Golden files: expected outputs kept in tests/data, compared byte for byte.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#ifndef VMCTL_TEST_DATA
#define VMCTL_TEST_DATA "tests/data"
#endif

namespace vmctl::testing {

// The contents of tests/data/NAME.
inline std::string read_test_data(const std::string& name) {
    std::ifstream in(std::string(VMCTL_TEST_DATA) + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Compares with tests/data/NAME; VMCTL_UPDATE_GOLDEN=1 rewrites the file.
inline void expect_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(VMCTL_TEST_DATA) + "/" + name;
    if (std::getenv("VMCTL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(path) << actual;
        return;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run with VMCTL_UPDATE_GOLDEN=1)";
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(actual, expected.str()) << "golden file " << path;
}

}  // namespace vmctl::testing
