#include "../fakes/fake_hypervisor.h"
#include "local_http.h"
#include "test_env.h"
#include "vmctl/core/base64.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/drain.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/migrate.h"
#include "vmctl/ops/snapshot.h"
#include "vmctl/host/files.h"
#include "vmctl/host/migration_journal.h"
#include "vmctl/host/snapshot_stash.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

class MigrateTest : public ::testing::Test {
protected:
    void SetUp() override {
        ops::CreateOptions o;
        o.name = "web";
        ops::create_vm(a, env, o, [](std::string_view) {});
        b.node.host_uuid = "00000000-0000-0000-0000-000000000002";
        a.peer = &b;
        options.name = "web";
        options.source_host = "host-a";
        options.dest_host = "host-b";
        options.source_uri = "fake://a";
        options.request.dest_uri = "fake://b";
        options.shared_storage = true;
        options.probe_network = false;  // but where a test turns it on, only loopback is probed
        for (DhcpLease& lease : a.leases["vmctl"])
            lease.ip = "127.0.0.1";
        agent_reads("web-boot-1 1\n");  // the fake guest printed beat 0 when it booted
    }

    ErrorKind failure() {
        try {
            ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; });
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::Internal;
    }

    // Appends a heartbeat to the VM's serial log, as the guest prints it
    // (on either host: they share the log).
    void beat(const std::string& boot_id, int seq) {
        if (serial_log.empty())
            serial_log = parse_domain_xml(a.domain_xml("web")).serial_log;
        std::ofstream(serial_log, std::ios::app)
            << "HB boot=" << boot_id << " seq=" << seq << "\n";
    }
    // What the guest agent on the destination reads from the heartbeat file.
    void agent_reads(const std::string& text) {
        b.next_exec_status =
            R"({"return":{"exited":true,"exitcode":0,"out-data":")" + base64_encode(text) + R"("}})";
    }
    ops::MigrationReport migrate() {
        return ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; });
    }

    std::string serial_log;
    TempHome home;
    FakeHypervisor a;
    FakeHypervisor b;
    ops::Environment env = home.env();
    ops::MigrateOptions options;
};

TEST_F(MigrateTest, MovesTheVmAndCarriesItsSnapshots) {
    ops::create_snapshot(a, "web", "s1", "kept");
    const auto report = ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; });
    EXPECT_EQ(a.domains.count("web"), 0u);
    EXPECT_EQ(b.domains.count("web"), 1u);
    EXPECT_EQ(report.snapshots_carried, 1u);
    ASSERT_EQ(b.list_snapshots("web").size(), 1u);
    EXPECT_EQ(b.list_snapshots("web")[0].name, "s1");
    ASSERT_EQ(a.migrations.size(), 1u);
    EXPECT_TRUE(a.migrations[0].unsafe) << "shared lab storage is flagged as such";
    ASSERT_TRUE(report.job);
    EXPECT_EQ(report.job->downtime_ms, 120u);
    EXPECT_TRUE(report.kept_running);
}

// On a host a class shares, a student drains only their own VMs: the
// others' stay where they are.
TEST_F(MigrateTest, ADrainWithLabelsMovesOnlyThoseVms) {
    ops::CreateOptions other;
    other.name = "bobs";
    other.labels = {{"student", "bob"}};
    ops::create_vm(a, env, other, [](std::string_view) {});
    ops::set_labels(a, "web", {{"student", "alice"}}, {});
    const host::HostEntry from{"host-a", "fake://a", true, 1, "127.0.0.1"};
    const host::HostEntry to{"host-b", "fake://b", true, 2, "127.0.0.1"};
    ops::DrainObserver observer;
    const auto moves = ops::drain_host(a, b, env, from, to, {{"student", "alice"}}, observer);
    ASSERT_EQ(moves.size(), 1u);
    EXPECT_EQ(moves[0].vm, "web");
    EXPECT_EQ(b.domains.count("web"), 1u);
    EXPECT_EQ(a.domains.count("bobs"), 1u) << "bob's VM stays on host-a";
}

// The snapshot metadata leaves libvirt during a move; it is on disk first.
TEST_F(MigrateTest, SnapshotsAreOnDiskWhileTheVmMoves) {
    ops::create_snapshot(a, "web", "s1", "kept");
    std::size_t stashed_during = 0;
    ops::migrate_vm(a, b, env, options, [&](const MigrationJob&) {
        if (host::has_snapshot_stash(env.paths.data_dir, "web"))
            stashed_during = host::load_snapshot_stash(env.paths.data_dir, "web").snapshots.size();
        return true;
    });
    EXPECT_EQ(stashed_during, 1u);
    EXPECT_FALSE(host::has_snapshot_stash(env.paths.data_dir, "web")) << "put back, so no longer needed";
}

// A vmctl that dies (or whose redefine fails) after the metadata left the
// source: the next run puts it back where the VM is.
class StashRecoveryTest : public MigrateTest {
protected:
    ops::Connect connect = [this](const std::string& uri) -> std::unique_ptr<Hypervisor> {
        if (uri == "fake://a")
            return std::make_unique<testing::BorrowedHypervisor>(a);
        if (uri == "fake://b")
            return std::make_unique<testing::BorrowedHypervisor>(b);
        throw Error(ErrorKind::Unreachable, "host " + uri + " does not answer");
    };
    std::vector<std::string> restore() { return ops::restore_stashed_snapshots(env, connect); }
};

TEST_F(StashRecoveryTest, AKilledMoveGetsItsSnapshotsBackOnTheSource) {
    ops::create_snapshot(a, "web", "s1", "kept");
    ops::create_snapshot(a, "web", "s2", "kept too");
    // What migrate_vm had done when it was killed: saved, then forgotten.
    host::save_snapshot_stash(env.paths.data_dir, {"web", "fake://a", "fake://b", a.snapshot_definitions("web")});
    for (const char* s : {"s2", "s1"})
        a.forget_snapshot("web", s);
    ASSERT_TRUE(a.list_snapshots("web").empty());

    const auto notes = restore();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "put back 2 snapshots of VM 'web' that an interrupted move had set aside");
    ASSERT_EQ(a.list_snapshots("web").size(), 2u);
    EXPECT_FALSE(host::has_snapshot_stash(env.paths.data_dir, "web"));
    EXPECT_TRUE(restore().empty()) << "nothing is left to do";
}

TEST_F(StashRecoveryTest, AFailedRedefineOnTheDestinationIsFinishedLater) {
    ops::create_snapshot(a, "web", "s1", "kept");
    b.fail_on = "redefine_snapshot";
    EXPECT_THROW(ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; }), Error);
    ASSERT_EQ(b.domains.count("web"), 1u) << "the VM moved";
    EXPECT_TRUE(b.list_snapshots("web").empty());
    EXPECT_TRUE(host::has_snapshot_stash(env.paths.data_dir, "web"));
    // Until it is put back, the VM does not move again (its stash would be overwritten).
    EXPECT_EQ(failure(), ErrorKind::InvalidState);

    const auto notes = restore();
    ASSERT_EQ(notes.size(), 1u) << "on the host that has the VM now";
    ASSERT_EQ(b.list_snapshots("web").size(), 1u);
    EXPECT_EQ(b.list_snapshots("web")[0].name, "s1");
}

TEST_F(StashRecoveryTest, AMoveStillUnderWayOrAHostThatDoesNotAnswerIsLeftAlone) {
    ops::create_snapshot(a, "web", "s1", "kept");
    host::save_snapshot_stash(env.paths.data_dir, {"web", "fake://a", "fake://b", a.snapshot_definitions("web")});
    a.forget_snapshot("web", "s1");
    {
        const host::FileLock moving(host::snapshot_stash_lock(env.paths.data_dir, "web"));
        EXPECT_TRUE(restore().empty());
        EXPECT_TRUE(a.list_snapshots("web").empty());
    }
    host::save_snapshot_stash(env.paths.data_dir, {"web", "fake://gone", "fake://b", a.snapshot_definitions("web")});
    b.domains.clear();
    const auto notes = restore();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("wait until its hosts answer"), std::string::npos) << notes[0];
    EXPECT_TRUE(host::has_snapshot_stash(env.paths.data_dir, "web"));
}

// A host whose disks are its own shares no storage: nothing moves to or
// from it, whichever side it is on.
TEST(OptionsBetween, AHostWithLocalDisksIsRefusedEitherWay) {
    const host::HostEntry a{"host-a", "qemu+unix:///a", true, 1, "10.213.0.11"};
    host::HostEntry own{"alice-host", "qemu+unix:///o", true, 9, "10.213.0.19"};
    own.local_disks = true;
    EXPECT_TRUE(ops::options_between("web", a, a, false).shared_storage);
    for (const auto& [from, to] : {std::pair{own, a}, std::pair{a, own}}) {
        try {
            ops::options_between("web", from, to, false);
            ADD_FAILURE() << "moved " << from.name << " to " << to.name;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
            EXPECT_NE(std::string(e.what()).find("'alice-host' keeps its VMs' disks"), std::string::npos) << e.what();
        }
    }
}

TEST(PrecopyLosesWrites, OnlyTcgOnQemuBefore9) {
    EXPECT_TRUE(ops::precopy_loses_writes("qemu", "7.2.0"));
    EXPECT_TRUE(ops::precopy_loses_writes("qemu", "8.2.2"));
    EXPECT_TRUE(ops::precopy_loses_writes("qemu", "unknown")) << "an unknown version is taken as affected";
    EXPECT_FALSE(ops::precopy_loses_writes("qemu", "9.0.0"));
    EXPECT_FALSE(ops::precopy_loses_writes("qemu", "10.1.2"));
    EXPECT_FALSE(ops::precopy_loses_writes("kvm", "7.2.0")) << "KVM tracks dirty pages itself";
}

TEST_F(MigrateTest, ARunningTcgGuestOnQemu72MovesPaused) {
    const auto report = migrate();
    ASSERT_EQ(a.migrations.size(), 1u);
    EXPECT_FALSE(a.migrations[0].live) << "libvirt pauses the guest for the copy";
    EXPECT_FALSE(a.migrations[0].offline) << "it is still running: its memory moves";
    EXPECT_EQ(report.mode, "paused copy");
    EXPECT_TRUE(report.kept_running);
}

TEST_F(MigrateTest, PrecopyIsLiveWhereAsked) {
    options.force_precopy = true;
    EXPECT_EQ(migrate().mode, "pre-copy");
    ASSERT_EQ(a.migrations.size(), 1u);
    EXPECT_TRUE(a.migrations[0].live);
}

TEST_F(MigrateTest, AQemuWithTheFixMovesLive) {
    a.qemu_version = "9.0.0";
    options.request.auto_converge = true;
    EXPECT_EQ(migrate().mode, "pre-copy");
    ASSERT_EQ(a.migrations.size(), 1u);
    EXPECT_TRUE(a.migrations[0].live);
    EXPECT_TRUE(a.migrations[0].auto_converge);
}

TEST_F(MigrateTest, SameHostIsRefusedBeforeAnythingMoves) {
    b.node.host_uuid = a.node.host_uuid;
    EXPECT_EQ(failure(), ErrorKind::InvalidArgument);
    EXPECT_TRUE(a.migrations.empty());
}

TEST_F(MigrateTest, NotEnoughMemoryThereIsRefused) {
    b.node.free_memory_bytes = 64ULL << 20;
    EXPECT_EQ(failure(), ErrorKind::InvalidState);
    EXPECT_TRUE(a.migrations.empty());
}

TEST_F(MigrateTest, NameTakenThereIsRefused) {
    b.domains["web"] = a.domains["web"];
    EXPECT_EQ(failure(), ErrorKind::AlreadyExists);
}

TEST_F(MigrateTest, UnsharedDiskSuggestsCopyStorage) {
    options.shared_storage = false;
    try {
        ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; });
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidState);
        EXPECT_NE(e.hint().find("--copy-storage"), std::string::npos);
    }
    options.request.copy_storage = true;
    EXPECT_NO_THROW(ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; }));
}

TEST_F(MigrateTest, StoppedVmNeedsOffline) {
    a.destroy_domain("web");
    EXPECT_EQ(failure(), ErrorKind::InvalidState);
    options.request.offline = true;
    EXPECT_NO_THROW(ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return true; }));
}

TEST_F(MigrateTest, CancelledMigrationLeavesTheVmAndItsSnapshotsOnTheSource) {
    ops::create_snapshot(a, "web", "s1", "");
    EXPECT_THROW(ops::migrate_vm(a, b, env, options, [](const MigrationJob&) { return false; }), Error);
    EXPECT_EQ(a.domains.count("web"), 1u);
    EXPECT_EQ(b.domains.count("web"), 0u);
    ASSERT_EQ(a.list_snapshots("web").size(), 1u);
    EXPECT_TRUE(a.list_snapshots("web")[0].current);
}

TEST_F(MigrateTest, TheAgentOnTheDestinationShowsTheGuestKeptRunning) {
    beat("boot-1", 7);
    agent_reads("boot-1 9\n");
    const auto report = migrate();
    EXPECT_TRUE(report.kept_running);
    EXPECT_EQ(report.boot_id, "boot-1");
    EXPECT_EQ(report.seq_before, 7u);
    EXPECT_EQ(report.seq_after, 9u);
    ASSERT_FALSE(b.agent_requests.empty()) << "the destination's agent was asked";
}

TEST_F(MigrateTest, AnotherBootIdMeansTheGuestRestarted) {
    beat("boot-1", 7);
    agent_reads("boot-2 9\n");
    EXPECT_FALSE(migrate().kept_running);
}

TEST_F(MigrateTest, WithoutTheAgentTheNextHeartbeatInTheLogDecides) {
    beat("boot-1", 7);
    b.agent_down_calls = 100;  // an agent that never answers
    std::thread guest([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        beat("boot-1", 8);  // printed by the guest on the destination
    });
    const auto report = migrate();
    guest.join();
    EXPECT_TRUE(report.kept_running);
    EXPECT_EQ(report.seq_after, 8u);
}

TEST_F(MigrateTest, AnAgentWithNoBeatSinceTheMoveStartedIsNotTakenAsProof) {
    beat("boot-1", 7);
    agent_reads("boot-1 7\n");  // the move took less than a heartbeat
    std::thread guest([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        beat("boot-1", 8);
    });
    const auto report = migrate();
    guest.join();
    EXPECT_EQ(report.seq_after, 8u) << "the log's next beat, not the agent's old one";
    EXPECT_TRUE(report.kept_running);
}

TEST_F(MigrateTest, AVmWithAnAddressIsProbedAndATcpConnectionHeldAcrossTheMove) {
    testing::LocalHttp guest_web("<p>vm=web boot=web-boot-1 uptime=9</p>");
    options.probe_network = true;
    options.web_port = guest_web.port();
    const auto report = migrate();
    ASSERT_TRUE(report.network);
    EXPECT_EQ(report.network->ip, "127.0.0.1");
    EXPECT_GE(report.network->probes.sent, 2u);
    EXPECT_EQ(report.network->probes.lost(), 0u);
    EXPECT_EQ(report.network->tcp_kept, true) << report.network->tcp_detail;
    EXPECT_EQ(guest_web.request().rfind("GET / HTTP/1.0\r\n", 0), 0u);
    // The journal labs check has the same numbers.
    const auto records = host::load_migration_records(env.paths.data_dir);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.back().probes_sent, report.network->probes.sent);
    EXPECT_EQ(records.back().probes_lost, 0u);
    EXPECT_EQ(records.back().tcp_kept, true);
}

TEST_F(MigrateTest, AnAnswerFromAnotherMachineIsNoProofTheConnectionSurvived) {
    testing::LocalHttp impostor("<p>vm=db boot=x</p>");
    options.probe_network = true;
    options.web_port = impostor.port();
    const auto report = migrate();
    ASSERT_TRUE(report.network);
    EXPECT_EQ(report.network->tcp_kept, false);
    EXPECT_NE(report.network->tcp_detail.find("did not come from this VM"), std::string::npos);
}

TEST_F(MigrateTest, AStoppedVmOrOneWithoutAnAddressIsNotProbed) {
    options.probe_network = true;
    a.leases.clear();
    std::filesystem::remove(parse_domain_xml(a.domain_xml("web")).serial_log);
    EXPECT_FALSE(migrate().network);
}

// A drain without --to goes to the reachable other host with the most free memory.
TEST(DrainTarget, IsTheReachableOtherHostWithTheMostFreeMemory) {
    const auto status = [](const std::string& name, bool reachable, std::uint64_t free_gib) {
        ops::HostStatus s;
        s.entry.name = name;
        s.reachable = reachable;
        s.node.free_memory_bytes = free_gib << 30;
        return s;
    };
    const std::vector<ops::HostStatus> hosts{status("host-a", true, 9), status("host-b", true, 2),
                                             status("host-c", false, 50), status("host-d", true, 4)};
    EXPECT_EQ(ops::choose_drain_target(hosts, "host-a").name, "host-d") << "itself and an unreachable host never";
    EXPECT_EQ(ops::choose_drain_target(hosts, "host-d").name, "host-a");
    const std::vector<ops::HostStatus> alone{status("host-a", true, 9), status("host-c", false, 50)};
    EXPECT_EQ(testing::failure_kind([&] { ops::choose_drain_target(alone, "host-a"); }), ErrorKind::InvalidState);
}

}  // namespace
}  // namespace vmctl
