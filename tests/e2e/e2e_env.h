#pragma once

// Helpers for end-to-end tests: run the built vmctl binary as a user would,
// against the real libvirt daemon and QEMU, and clean up every VM the tests
// made (all named with kPrefix) even when a test fails.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace vmctl::e2e {

inline constexpr const char* kPrefix = "vmctl-e2e-";

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `vmctl ARGS...` with extra environment assignments ("VMCTL_HOME=/x").
RunResult vmctl(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// Runs a shell command line, capturing stdout and stderr.
RunResult shell(const std::string& command);

// Single-quotes a word for /bin/sh.
std::string quote(const std::string& word);

// The address `vmctl create` printed ("address: 10.215.0.57 on network
// 'vmctl'; ..."), or "" when it printed none.
std::string printed_address(const std::string& create_output);

// kPrefix + suffix: a VM name the cleanup will find.
std::string vm_name(const std::string& suffix);

// Removes every domain named with kPrefix (or the narrower prefix the test
// program is built with), with its volumes and logs.
void remove_test_vms();

// Removes every image named with kPrefix (golden images of test VMs'
// linked clones, images a test imported) that no VM uses any more.
void remove_test_images();
// Fails the test loudly (never skips) when the e2e environment is missing.
void require_environment();

// Polls `vmctl logs NAME` until `needle` appears; false after `timeout`.
bool wait_for_log(const std::string& name, const std::string& needle, std::chrono::seconds timeout,
                  const std::string& host = {});

// Runs `command` in the guest (`vmctl exec`) every half second until it
// succeeds (or, with `succeed` false, fails); false after `timeout`.
bool wait_for_exec(const std::string& name, const std::vector<std::string>& command, bool succeed = true,
                   std::chrono::seconds timeout = std::chrono::seconds(10));

// Types `command` into the VM's serial console shell (through `vmctl console`
// under a pseudo-terminal) and returns what the console printed meanwhile.
std::string console_run(const std::string& name, const std::string& command);

// The last heartbeat in the VM's serial log: boot id and seq, or nothing.
struct Beat {
    std::string boot_id;
    long seq = -1;
};
Beat last_heartbeat(const std::string& name);

// The fixture every e2e test starts from: the environment is checked first
// (a missing daemon or image fails loudly), and every VM the test named with
// kPrefix is removed afterwards, whether it passed or not.
class E2ETest : public ::testing::Test {
protected:
    void SetUp() override { require_environment(); }
    void TearDown() override {
        remove_test_vms();
        remove_test_images();
    }
};

}  // namespace vmctl::e2e
