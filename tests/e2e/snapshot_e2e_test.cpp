// Snapshots of a real running guest: break it, roll back, and see that both
// the disk and the memory (the heartbeat counter) went back in time.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace vmctl::e2e {
namespace {

class SnapshotE2E : public E2ETest {};

nlohmann::json snapshots_of(const std::string& name) {
    return nlohmann::json::parse(vmctl({"snapshot", "list", name, "--json"}).out);
}

TEST_F(SnapshotE2E, RevertUndoesTheDiskAndTheMemory) {
    const std::string name = vm_name("snap");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    ASSERT_TRUE(wait_for_log(name, "seq=1", std::chrono::seconds(30)));

    const RunResult taken = vmctl({"snapshot", "create", name, "clean", "--description", "before the mess"});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(taken.out.find("memory"), std::string::npos);
    const Beat at_snapshot = last_heartbeat(name);

    // Break it: a file on the disk, written from the guest's own shell.
    const std::string wrote = console_run(name, "echo mess > /data/mess.txt && sync && cat /data/mess.txt");
    ASSERT_NE(wrote.find("mess"), std::string::npos) << wrote;
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const Beat before_revert = last_heartbeat(name);
    ASSERT_GT(before_revert.seq, at_snapshot.seq + 2);

    const RunResult reverted = vmctl({"snapshot", "revert", name, "clean"});
    ASSERT_EQ(reverted.exit_code, 0) << reverted.err;
    EXPECT_NE(reverted.out.find("safety-"), std::string::npos);

    // The memory went back: same boot, heartbeat counting again from the snapshot.
    ASSERT_TRUE(wait_for_log(name, "HB boot=" + at_snapshot.boot_id, std::chrono::seconds(30)));
    const Beat after = last_heartbeat(name);
    EXPECT_EQ(after.boot_id, at_snapshot.boot_id);
    EXPECT_LT(after.seq, before_revert.seq);
    // The disk went back: the file is gone.
    const std::string look = console_run(name, "ls /data/mess.txt 2>/dev/null || echo no-such-$((6*7))");
    EXPECT_NE(look.find("no-such-42"), std::string::npos) << look;

    // The safety snapshot holds the broken state, so the revert can be undone.
    bool safety = false;
    for (const auto& s : snapshots_of(name))
        if (s["name"].get<std::string>().rfind("safety-", 0) == 0)
            safety = true;
    EXPECT_TRUE(safety);
    const RunResult tree = vmctl({"snapshot", "list", name, "--tree"});
    EXPECT_NE(tree.out.find("<- current"), std::string::npos) << tree.out;

    // The chain shows the snapshots stored inside the qcow2 file.
    const RunResult chain = vmctl({"disk", "chain", name});
    ASSERT_EQ(chain.exit_code, 0) << chain.err;
    EXPECT_NE(chain.out.find("snapshot clean"), std::string::npos) << chain.out;

    EXPECT_EQ(vmctl({"snapshot", "delete", name, "clean"}).exit_code, 0);
    EXPECT_EQ(snapshots_of(name).size(), 1u);
}

TEST_F(SnapshotE2E, HostileNamesAreRejectedAndNothingChanges) {
    const std::string name = vm_name("snapname");
    ASSERT_EQ(vmctl({"create", name, "--no-wait"}).exit_code, 0);
    ASSERT_EQ(vmctl({"snapshot", "create", name, "ok"}).exit_code, 0);
    for (const char* bad : {"a b", "../x", "<x>", "x'y", ".x", ""}) {
        const RunResult r = vmctl({"snapshot", "create", name, bad});
        EXPECT_EQ(r.exit_code, 3) << bad << ": " << r.err;
    }
    EXPECT_EQ(vmctl({"snapshot", "create", name, "ok"}).exit_code, 5);
    EXPECT_EQ(vmctl({"snapshot", "revert", name, "nope"}).exit_code, 4);
    EXPECT_EQ(snapshots_of(name).size(), 1u);
}

}  // namespace
}  // namespace vmctl::e2e
