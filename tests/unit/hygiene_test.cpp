// Cloud hygiene: findings on a planted set-up in the fake, and their fixes.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/hygiene.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/hygiene.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/snapshot.h"

#include <gtest/gtest.h>

#include <ctime>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

constexpr long long kDay = 86400;

PriceSheet prices() {
    PriceSheet p;
    p.vcpu_hour = 0.02;
    p.memory_gib_hour = 0.003;
    p.disk_gib_month = 0.04;
    p.snapshot_month = 0.02;
    return p;
}

std::vector<FindingKind> kinds_for(const std::vector<Finding>& findings, const std::string& subject) {
    std::vector<FindingKind> kinds;
    for (const auto& f : findings)
        if (f.subject == subject)
            kinds.push_back(f.kind);
    return kinds;
}

TEST(Hygiene, FindsEachProblemWithItsMonthlyCostAndFix) {
    HygieneInput input;
    input.now = 100 * kDay;
    HygieneVm idle{"idle", DomainState::Running, 2, 1ULL << 30, 10ULL << 30, {{"owner", "alice"}}, 0.4};
    HygieneVm busy{"busy", DomainState::Running, 1, 1ULL << 30, 0, {{"owner", "alice"}}, 80.0};
    HygieneVm old{"old", DomainState::ShutOff, 1, 1ULL << 30, 10ULL << 30, {{"owner", "bob"}}};
    old.stopped_since = 90 * kDay;
    old.snapshots.push_back({"before-upgrade", "", "", 10 * kDay});
    old.snapshots.push_back({"yesterday", "", "", 99 * kDay});  // too young to be a finding
    HygieneVm pet{"db", DomainState::Running, 1, 1ULL << 30, 0, {{"kind", "pet"}}, 0.1};
    input.vms = {idle, busy, old, pet};
    input.unused_volumes.push_back({"lost-disk0.qcow2", "/pool/lost-disk0.qcow2", 5ULL << 30, 0});
    input.golden_images = {{"base", 2ULL << 30, 0}, {"used", 1ULL << 30, 3}};
    const auto findings = find_hygiene_problems(input, {}, prices());

    EXPECT_EQ(kinds_for(findings, "idle"), std::vector<FindingKind>{FindingKind::IdleVm});
    EXPECT_TRUE(kinds_for(findings, "busy").empty());
    EXPECT_EQ(kinds_for(findings, "old"), (std::vector<FindingKind>{FindingKind::LongStopped, FindingKind::OldSnapshot}));
    EXPECT_EQ(kinds_for(findings, "db"), (std::vector<FindingKind>{FindingKind::IdleVm, FindingKind::NoOwner}));
    EXPECT_EQ(kinds_for(findings, "lost-disk0.qcow2"), std::vector<FindingKind>{FindingKind::UnusedVolume});
    EXPECT_EQ(kinds_for(findings, "base"), std::vector<FindingKind>{FindingKind::UnusedImage});
    EXPECT_TRUE(kinds_for(findings, "used").empty());

    for (const auto& f : findings) {
        if (f.subject == "idle") {
            // 730 h * (2 * 0.02 + 1 * 0.003)
            EXPECT_NEAR(f.monthly_cost, 31.39, 1e-9);
            EXPECT_EQ(f.fix, "vmctl stop idle");
            EXPECT_TRUE(f.automatic);
        }
        if (f.kind == FindingKind::LongStopped) {
            // Its disk and its young snapshot: the old one is a finding of its
            // own, and the total must not count it twice.
            EXPECT_NEAR(f.monthly_cost, 10 * 0.04 + 0.02, 1e-9);
            EXPECT_EQ(f.fix, "vmctl delete old");
        }
        if (f.kind == FindingKind::OldSnapshot) {
            EXPECT_EQ(f.fix, "vmctl snapshot delete old before-upgrade");
        }
        if (f.subject == "db") {
            EXPECT_FALSE(f.automatic) << "a pet is never fixed automatically";
        }
        if (f.kind == FindingKind::UnusedVolume) {
            EXPECT_EQ(f.fix, "virsh vol-delete --pool vmctl lost-disk0.qcow2");
        }
    }
    const std::string text = format_findings(findings, prices());
    EXPECT_NE(text.find("fix: vmctl image delete base"), std::string::npos) << text;
    EXPECT_NE(text.find("7 findings"), std::string::npos) << text;
    // idle 31.39 + old 0.42 + its snapshot 0.02 + the pet 16.79 + volume 0.20 + image 0.08
    EXPECT_NE(text.find("saves about 48.90"), std::string::npos) << text;
    EXPECT_NE(text.find("(16.79"), std::string::npos) << text;
    EXPECT_NE(text.find("of it on protected pets, which --fix leaves to you"), std::string::npos) << text;
}

TEST(Hygiene, CleanSaysSo) {
    HygieneInput input;
    input.vms.push_back({"ok", DomainState::Running, 1, 1ULL << 30, 0, {{"owner", "alice"}}, 50.0});
    EXPECT_TRUE(find_hygiene_problems(input, {}, prices()).empty());
    EXPECT_EQ(format_findings({}, prices()).rfind("Clean:", 0), 0u);
}

TEST(Hygiene, StoppedSinceComesFromTheJournal) {
    UsageRecord run{100, "old"};
    run.running = true;
    UsageRecord stop{200, "old", "stop"};
    EXPECT_EQ(last_seen_running({run, stop}, "old"), 100);
    EXPECT_EQ(last_seen_running({stop}, "old"), 200) << "never seen running: stopped since first seen";
    EXPECT_FALSE(last_seen_running({stop}, "other"));
}

class HygieneOpsTest : public ::testing::Test {
protected:
    TempHome home;
    FakeHypervisor hv;
    ops::Environment env = home.env();

    void make(const std::string& name, Labels labels) {
        ops::CreateOptions o;
        o.name = name;
        o.labels = std::move(labels);
        o.ready_timeout = std::chrono::seconds(3);
        ops::create_vm(hv, env, o, [](std::string_view) {});
    }
};

TEST_F(HygieneOpsTest, APlantedMessIsFoundAndFixedButThePetIsNot) {
    make("idle", {{"owner", "alice"}});
    make("pet", {{"owner", "bob"}});
    ops::set_protected(hv, "pet", true);
    ops::create_snapshot(hv, "pet", "ancient", "");  // the fake's clock makes it from 1970
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    hv.create_volume(host::kPoolName, "leftover-disk0.qcow2", 1ULL << 30);
    hv.stats = {{"idle", DomainState::Running, 1, 1000}, {"pet", DomainState::Running, 1, 1000}};

    const auto input = ops::gather_hygiene(hv, env, std::chrono::milliseconds(10), {}, ops::UseElsewhere{});
    const auto findings = find_hygiene_problems(input, {}, prices());
    EXPECT_EQ(kinds_for(findings, "idle"), std::vector<FindingKind>{FindingKind::IdleVm});
    EXPECT_EQ(kinds_for(findings, "pet"), (std::vector<FindingKind>{FindingKind::IdleVm, FindingKind::OldSnapshot}));
    EXPECT_EQ(kinds_for(findings, "leftover-disk0.qcow2"), std::vector<FindingKind>{FindingKind::UnusedVolume});

    for (const auto& f : findings) {
        if (f.subject == "pet") {
            EXPECT_EQ(testing::failure_kind([&] { ops::fix_finding(hv, env, f); }), ErrorKind::InvalidState);
            continue;
        }
        ops::fix_finding(hv, env, f);
    }
    EXPECT_EQ(hv.domains.at("idle").state, DomainState::ShutOff);
    EXPECT_EQ(hv.domains.at("pet").state, DomainState::Running);
    EXPECT_EQ(hv.snapshots.at("pet").size(), 1u);
    EXPECT_EQ(hv.volumes.size(), 2u) << "only the leftover volume went";
}

TEST_F(HygieneOpsTest, AVolumeUsedOnAnotherHostIsNotUnused) {
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    const auto volume = hv.create_volume(host::kPoolName, "elsewhere-disk0.qcow2", 1ULL << 30);
    ops::UseElsewhere elsewhere;
    elsewhere.disks = {volume.path};
    const auto input = ops::gather_hygiene(hv, env, std::chrono::milliseconds(1), {}, elsewhere);
    EXPECT_TRUE(input.unused_volumes.empty());
}

TEST_F(HygieneOpsTest, ADiskInAVmsSavedDefinitionOnlyIsNotUnused) {
    make("web", {});
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    const auto volume = hv.create_volume(host::kPoolName, "web-data.qcow2", 1ULL << 30);
    std::string& saved = hv.domains.at("web").xml;  // the definition; the running VM has no such disk
    saved.insert(saved.find("<serial"), build_disk_device_xml(volume.path, "vdb"));
    const auto input = ops::gather_hygiene(hv, env, std::chrono::milliseconds(1), {}, ops::UseElsewhere{});
    EXPECT_TRUE(input.unused_volumes.empty());
}

// Run against one host, hygiene must count what every other host uses (they
// share the pool), and leave alone what a host that does not answer may use.
TEST_F(HygieneOpsTest, WhatOtherHostsUseCountsAndASilentHostIsUnreachable) {
    testing::FakeHypervisor other;
    ops::CreateOptions o;
    o.name = "far";
    ops::create_vm(other, env, o, [](std::string_view) {});
    const ops::UseElsewhere use = ops::use_on({{"host-b", &other}, {"host-c", nullptr}});
    EXPECT_EQ(use.unreachable, std::vector<std::string>{"host-c"});
    EXPECT_EQ(use.image_users.at("tiny"), std::vector<std::string>{"host-b/far"});
    EXPECT_EQ(use.disks.count(parse_domain_xml(other.domains.at("far").xml).disks.at(0).path), 1u);
}

}  // namespace
}  // namespace vmctl
