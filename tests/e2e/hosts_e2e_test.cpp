// Simulated hosts come and go without leaving anything on this machine.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vmctl::e2e {
namespace {

TEST(HostsE2E, DownLeavesNothingBehind) {
    require_environment();
    ASSERT_EQ(vmctl({"hosts", "up", "--count", "2"}).exit_code, 0);
    const std::string pid = shell("cat /var/lib/vmctl/hosts/host-a/libvirtd.pid").out;
    ASSERT_FALSE(pid.empty());
    ASSERT_EQ(vmctl({"hosts", "down", "--force"}).exit_code, 0);
    EXPECT_NE(shell("kill -0 " + pid).exit_code, 0) << "the daemon is gone";
    EXPECT_EQ(shell("ip netns list | grep vmctl-host").out, "");
    EXPECT_EQ(shell("ip -o link | grep -E 'vmctl-lab0| vl-| vn-'").out, "") << "no link of the hosts or their VMs' segment";
    EXPECT_EQ(nlohmann::json::parse(vmctl({"hosts", "list", "--json"}).out).size(), 0u);
}

TEST(HostsE2E, NonRootIsToldWhy) {
    require_environment();
    const RunResult r = shell("setpriv --reuid=nobody --regid=nogroup --clear-groups " + quote(VMCTL_BINARY) +
                              " hosts up");
    EXPECT_EQ(r.exit_code, 10) << r.err;
    EXPECT_NE(r.err.find("need root"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vmctl::e2e
