// Inside the guest and reshaping it live: exec, resize seen from inside,
// refusals that change nothing, a CPU quota that slows a busy loop, top.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <thread>
#include <sstream>

namespace vmctl::e2e {
namespace {

class ReshapeE2E : public E2ETest {};

long meminfo_total_kb(const std::string& name) {
    const RunResult r = vmctl({"exec", name, "--", "sh", "-c", "awk '/MemTotal/ {print $2}' /proc/meminfo"});
    return r.exit_code == 0 ? std::atol(r.out.c_str()) : -1;
}

// Average BURN rate printed by vmctl-burn in the guest over `seconds`.
double burn_rate(const std::string& name, int seconds) {
    const RunResult r = vmctl({"exec", name, "--timeout", "60", "--", "vmctl-burn", std::to_string(seconds)});
    std::istringstream lines(r.out);
    double total = 0;
    int count = 0;
    const std::regex rate("BURN rate=([0-9]+)");
    std::smatch m;
    for (std::string line; std::getline(lines, line);)
        if (std::regex_search(line, m, rate) && count++ > 0)  // skip the first, partial second
            total += std::stod(m[1]);
    return count > 1 ? total / (count - 1) : 0;
}

TEST_F(ReshapeE2E, ExecReturnsOutputAndExitCode) {
    const std::string name = vm_name("exec");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    const RunResult r = vmctl({"exec", name, "--", "sh", "-c", "echo out-$((6*7)); echo err >&2; exit 7"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_EQ(r.out, "out-42\n");
    EXPECT_EQ(r.err, "err\n");
    const RunResult uname = vmctl({"exec", name, "--", "uname", "-r"});
    EXPECT_EQ(uname.exit_code, 0);
    EXPECT_NE(uname.out.find("-vmctl"), std::string::npos) << "the guest runs its own kernel: " << uname.out;
    EXPECT_EQ(vmctl({"exec", name}).exit_code, 2) << "no command";
    ASSERT_EQ(vmctl({"destroy", name}).exit_code, 0);
    const RunResult stopped = vmctl({"exec", name, "--", "true"});
    EXPECT_EQ(stopped.exit_code, 6);
    EXPECT_NE(stopped.err.find("vmctl start"), std::string::npos);
}

TEST_F(ReshapeE2E, LiveResizeIsSeenFromInside) {
    const std::string name = vm_name("grow");
    ASSERT_EQ(vmctl({"create", name, "--cpus", "1", "--memory", "256M", "--max-cpus", "2", "--max-memory", "512M"})
                  .exit_code,
              0);
    EXPECT_EQ(vmctl({"exec", name, "--", "nproc"}).out, "1\n");
    // A new guest boots with its maximum and its balloon hands the rest back
    // within seconds (later while its network services start): measure the
    // growth from where it settles, 256 MiB.
    long before = meminfo_total_kb(name);
    for (int i = 0; i < 40 && before > 256 * 1024; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        before = meminfo_total_kb(name);
    }
    ASSERT_GT(before, 0);
    ASSERT_LE(before, 256 * 1024) << "the balloon never brought the guest down to 256 MiB";

    const RunResult grown = vmctl({"resize", name, "--cpus", "2", "--memory", "448M"});
    ASSERT_EQ(grown.exit_code, 0) << grown.err;
    EXPECT_NE(grown.out.find("live"), std::string::npos) << grown.out;
    std::string nproc;
    long after = 0;
    for (int i = 0; i < 40; ++i) {  // hot-plug and balloon take a moment inside
        nproc = vmctl({"exec", name, "--", "nproc"}).out;
        after = meminfo_total_kb(name);
        if (nproc == "2\n" && after > before + 100 * 1024)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(nproc, "2\n");
    EXPECT_GT(after, before + 100 * 1024) << "MemTotal grew by the balloon";

    // Beyond the maximum: explained, and nothing changes.
    const RunResult refused = vmctl({"resize", name, "--cpus", "2", "--memory", "1G"});
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.err.find("--max-memory"), std::string::npos) << refused.err;
    EXPECT_EQ(nlohmann::json::parse(vmctl({"info", name, "--json"}).out)["max_memory_bytes"], 512 << 20);
}

TEST_F(ReshapeE2E, CpuQuotaSlowsABusyLoop) {
    const std::string name = vm_name("quota");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    const double free_rate = burn_rate(name, 4);
    ASSERT_GT(free_rate, 0);
    const RunResult limited = vmctl({"limit", name, "--cpu-quota", "20"});
    ASSERT_EQ(limited.exit_code, 0) << limited.err;
    const double capped_rate = burn_rate(name, 4);
    EXPECT_LT(capped_rate, free_rate * 0.6) << "free " << free_rate << " capped " << capped_rate;
    EXPECT_EQ(vmctl({"limit", name, "--cpu-quota", "0"}).exit_code, 0);
    EXPECT_EQ(vmctl({"limit", name, "--cpu-quota", "150"}).exit_code, 3);
}

TEST_F(ReshapeE2E, TopOnceJsonHasEveryRunningVm) {
    const std::string name = vm_name("top");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    const RunResult top = vmctl({"top", "--once", "--json"});
    ASSERT_EQ(top.exit_code, 0) << top.err;
    bool found = false;
    for (const auto& row : nlohmann::json::parse(top.out)) {
        if (row["name"] != name)
            continue;
        found = true;
        for (const char* field : {"state", "vcpus", "cpu_percent", "memory_bytes", "guest_used_bytes", "host_rss_bytes",
                                  "disk_read_bytes_per_s", "disk_write_bytes_per_s", "uptime_seconds"})
            EXPECT_TRUE(row.contains(field)) << field;
        EXPECT_EQ(row["state"], "running");
        EXPECT_TRUE(row["host_rss_bytes"].is_number());
        EXPECT_TRUE(row["uptime_seconds"].is_number());
    }
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace vmctl::e2e

namespace vmctl::e2e {
namespace {

TEST_F(ReshapeE2E, DiskAttachAndDetachSeenFromInside) {
    const std::string name = vm_name("disks");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    const RunResult attached = vmctl({"disk", "attach", name, "--size", "64M"});
    ASSERT_EQ(attached.exit_code, 0) << attached.err;
    EXPECT_NE(attached.out.find("/dev/vdb"), std::string::npos);
    EXPECT_TRUE(wait_for_exec(name, {"ls", "/dev/vdb"})) << "the guest sees the hot-plugged disk";
    const RunResult detached = vmctl({"disk", "detach", name, "vdb", "--delete"});
    ASSERT_EQ(detached.exit_code, 0) << detached.err;
    EXPECT_TRUE(wait_for_exec(name, {"ls", "/dev/vdb"}, false)) << "the guest let the disk go";
    EXPECT_EQ(vmctl({"disk", "detach", name, "vda"}).exit_code, 6) << "the boot disk stays";
}

TEST_F(ReshapeE2E, InfoShowsTheLimits) {
    const std::string name = vm_name("limits");
    ASSERT_EQ(vmctl({"create", name, "--no-wait"}).exit_code, 0);
    ASSERT_EQ(vmctl({"limit", name, "--cpu-quota", "40"}).exit_code, 0);
    const auto info = nlohmann::json::parse(vmctl({"info", name, "--json"}).out);
    EXPECT_EQ(info["cpu_quota_percent"], 40);
}

}  // namespace
}  // namespace vmctl::e2e
