#pragma once

// Runs the CLI as main() would, with an in-memory fake lent as the hypervisor.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/cli/command.h"
#include "vmctl/core/error.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vmctl::testing {

class CliTest : public ::testing::Test {
protected:
    TempHome home;
    FakeHypervisor fake;
    std::ostringstream out;
    std::ostringstream err;
    int connects = 0;

    int run(const cli::Args& args) {
        out.str("");
        err.str("");
        return cli::run_cli(args, out, err, [this](const std::string& uri) -> std::unique_ptr<Hypervisor> {
            ++connects;
            if (uri == "fake:///down")
                throw Error(ErrorKind::Unreachable, "could not connect to libvirt at fake:///down");
            return std::make_unique<BorrowedHypervisor>(fake);
        });
    }
};

}  // namespace vmctl::testing
