#pragma once

// The fixture most operation tests start from: a private VMCTL_HOME, the
// in-memory hypervisor, and one running VM "web" made by create_vm (by
// default 1 vCPU up to 2, 256 MiB up to 512 MiB, a 1 GiB disk).

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"

#include <gtest/gtest.h>

#include <functional>
#include <string_view>

namespace vmctl::testing {

class WebVmTest : public ::testing::Test {
protected:
    void SetUp() override { ops::create_vm(hv, env, web_options(), quiet); }

    // What "web" is made with; a fixture that needs more overrides it.
    virtual ops::CreateOptions web_options() const {
        ops::CreateOptions o;
        o.name = "web";
        return o;
    }

    static ErrorKind failure(const std::function<void()>& call) { return failure_kind(call); }

    TempHome home;
    FakeHypervisor hv;
    ops::Environment env = home.env();
    ops::Progress quiet = [](std::string_view) {};
};

}  // namespace vmctl::testing
