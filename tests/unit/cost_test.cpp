// Usage from the journal and its price, checked against hand-computed cases.

#include "golden.h"
#include "test_env.h"
#include "vmctl/core/cost.h"
#include "vmctl/core/error.h"
#include "vmctl/core/usage.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

constexpr long long kHour = 3600;
constexpr std::uint64_t kGiB = 1ULL << 30;

UsageRecord seen(long long at, const std::string& event, bool running, long long since, unsigned vcpus = 2,
                 std::uint64_t memory = kGiB, std::uint64_t disk = 10 * kGiB) {
    UsageRecord r;
    r.at = at;
    r.vm = "web";
    r.event = event;
    r.running = running;
    r.running_since = since;
    r.vcpus = vcpus;
    r.memory_bytes = memory;
    r.disk_bytes = disk;
    r.labels = {{"owner", "alice"}};
    return r;
}

UsageRecord deleted(long long at, const std::string& event = "delete") {
    UsageRecord r;
    r.at = at;
    r.vm = "web";
    r.event = event;
    r.deleted = true;
    return r;
}

PriceSheet example_prices() {
    PriceSheet p;
    p.file = "prices.yaml";
    p.vcpu_hour = 0.02;
    p.memory_gib_hour = 0.003;
    p.disk_gib_month = 0.04;
    p.snapshot_month = 0.02;
    return p;
}

TEST(Usage, RunFromCreateToStopAndDiskUntilNow) {
    // Created at 0 (2 vCPUs, 1 GiB, 10 GiB disk), stopped by vmctl after 10 h, billed at 2 days.
    const auto usage = compute_usage({seen(0, "create", true, 0), seen(10 * kHour, "stop", false, 0)}, 0, 48 * kHour);
    ASSERT_EQ(usage.size(), 1u);
    EXPECT_DOUBLE_EQ(usage[0].running_hours, 10);
    EXPECT_DOUBLE_EQ(usage[0].vcpu_hours, 20);
    EXPECT_DOUBLE_EQ(usage[0].memory_gib_hours, 10);
    EXPECT_DOUBLE_EQ(usage[0].disk_gib_days, 20);
    // 20 * 0.02 + 10 * 0.003 + 20 GiB-days / (730 / 24) days * 0.04
    const CostLine line = price(usage[0], example_prices());
    EXPECT_NEAR(line.vcpu_cost, 0.40, 1e-12);
    EXPECT_NEAR(line.memory_cost, 0.03, 1e-12);
    EXPECT_NEAR(line.disk_cost, 0.0263013698630137, 1e-12);
    EXPECT_NEAR(line.total(), 0.4563013698630137, 1e-12);
}

TEST(Usage, AVmStartedWithVirshCountsFromItsQemuStartUntilLastSeenRunning) {
    // Samples at 2 h and 3 h see QEMU running since 1 h; at 4 h it is off, stopped by someone else
    // some time after 3 h: vmctl bills only what it is sure of, 1 h .. 3 h.
    const auto usage = compute_usage({seen(2 * kHour, "sample", true, kHour), seen(3 * kHour, "sample", true, kHour + 1),
                                      seen(4 * kHour, "sample", false, 0)},
                                     0, 4 * kHour);
    EXPECT_DOUBLE_EQ(usage.at(0).running_hours, 2);
}

TEST(Usage, AResizeChangesTheRateFromThenOn) {
    const auto usage = compute_usage({seen(0, "create", true, 0, 1), seen(kHour, "resize", true, 0, 2),
                                      seen(2 * kHour, "stop", false, 0, 2)},
                                     0, 2 * kHour);
    EXPECT_DOUBLE_EQ(usage.at(0).vcpu_hours, 1 * 1 + 1 * 2);
}

TEST(Usage, ARestartIsANewRunAndTheGapIsNotBilled) {
    const auto usage = compute_usage({seen(0, "create", true, 0), seen(kHour, "sample", true, 0),
                                      seen(2 * kHour, "start", true, 2 * kHour), seen(3 * kHour, "sample", true, 2 * kHour)},
                                     0, 3 * kHour);
    EXPECT_DOUBLE_EQ(usage.at(0).running_hours, 2);
}

TEST(Usage, SinceClipsThePeriodAndDeleteEndsEverything) {
    const auto clipped = compute_usage({seen(0, "create", true, 0), seen(10 * kHour, "stop", false, 0)}, 5 * kHour,
                                       10 * kHour);
    EXPECT_DOUBLE_EQ(clipped.at(0).running_hours, 5);
    const auto gone = compute_usage({seen(0, "create", true, 0), deleted(kHour)}, 0, 48 * kHour);
    EXPECT_DOUBLE_EQ(gone.at(0).running_hours, 1);
    EXPECT_DOUBLE_EQ(gone.at(0).disk_gib_days, 10.0 / 24);
    EXPECT_FALSE(gone.at(0).exists);
}

TEST(Usage, JournalLinesRoundTripAndDamagedLinesAreSkipped) {
    UsageRecord r = seen(1795813500, "start", true, 1795813400);
    r.snapshots = 2;
    const auto back = parse_usage_line(usage_line(r));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->running_since, 1795813400);
    EXPECT_EQ(back->snapshots, 2u);
    EXPECT_EQ(back->labels.at("owner"), "alice");
    EXPECT_FALSE(parse_usage_line("{\"at\": 12, \"vm\""));
}

TEST(Usage, SinceTakesDurationsAndDates) {
    const long long now = 1795813500;  // 2026-11-27 21:05:00 UTC
    EXPECT_EQ(parse_since("7d", now), now - 7 * 86400);
    EXPECT_EQ(parse_since("12h", now), now - 12 * 3600);
    EXPECT_EQ(parse_since("2026-11-01", now), 1793491200);
    EXPECT_EQ(parse_since("2026-11-01T10:00:00Z", now), 1793491200 + 10 * 3600);
    EXPECT_EQ(month_start(now), 1793491200);
    EXPECT_EQ(testing::failure_kind([&] { parse_since("last week", now); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(testing::failure_kind([&] { parse_since("2030-01-01", now); }), ErrorKind::InvalidArgument);
    // Found by fuzzing: 20 digits of days overflowed (undefined behaviour).
    EXPECT_EQ(testing::failure_kind([&] { parse_since("184467440737095516d", now); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(parse_since("36500d", now), now - 36500LL * 86400);
}

TEST(Bill, SumsPerVmPerLabelAndInTotal) {
    Usage a;
    a.vm = "web-1";
    a.labels = {{"owner", "alice"}};
    a.vcpu_hours = 100;  // 2.00
    a.exists = true;
    Usage b = a;
    b.vm = "web-2";
    b.memory_gib_hours = 1000;  // 3.00
    Usage c;
    c.vm = "stray";
    c.disk_gib_days = 730.0 / 24 * 10;  // 10 GiB for a month: 0.40
    c.exists = true;
    const Bill bill = make_bill({a, b, c}, example_prices(), 1793491200, 1795813500, "owner");
    EXPECT_NEAR(bill.total, 2 + 2 + 3 + 0.4, 1e-9);
    ASSERT_EQ(bill.by_label.size(), 2u);
    EXPECT_EQ(bill.by_label[0].name, "(none)");
    EXPECT_NEAR(bill.by_label[1].total(), 7, 1e-9);
    testing::expect_golden("bill.txt", format_bill(bill));
}

TEST(PriceSheet, TheShippedExampleParsesAndSaysItIsAnExample) {
    const std::string text = testing::read_test_data("../../share/prices.yaml");
    const PriceSheet sheet = parse_price_sheet(text, "share/prices.yaml");
    EXPECT_TRUE(sheet.example);
    EXPECT_EQ(sheet.currency, "EUR");
    EXPECT_GT(sheet.vcpu_hour, 0);
}

TEST(PriceSheet, MistakesSayWhere) {
    try {
        parse_price_sheet("currency: EUR\nprices:\n  vcpuHour: 0.02\n  memoryGibHour: 1\n", "p.yaml");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::FileInvalid);
        EXPECT_EQ(std::string(e.what()), "p.yaml:4:3: unknown key 'memoryGibHour' in prices");
        EXPECT_NE(e.hint().find("did you mean 'memoryGiBHour'?"), std::string::npos);
    }
    EXPECT_EQ(testing::failure_kind([] { parse_price_sheet("prices: {vcpuHour: cheap}\n", "p.yaml"); }),
              ErrorKind::FileInvalid);
}

}  // namespace
}  // namespace vmctl
