// apply, plan and destroy of deployment files, against the in-memory hypervisor.

#include "../fakes/fake_hypervisor.h"
#include "test_env.h"
#include "vmctl/core/deployment.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/host/usage_journal.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/deploy.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::FakeHypervisor;
using testing::TempHome;

std::string shop_file(unsigned web_count, bool with_db = true, const std::string& web_memory = "256M") {
    std::string text = "deployment: shop\nresources:\n"
                       "- name: web\n  type: vmctl.v1.group\n  properties:\n    count: " +
                       std::to_string(web_count) + "\n    memory: " + web_memory + "\n    labels: {owner: alice}\n";
    if (with_db)
        text += "- name: db\n  type: vmctl.v1.instance\n  properties: {protect: true, labels: {owner: bob}}\n";
    return text;
}

class DeployOpsTest : public ::testing::Test {
protected:
    TempHome home;
    FakeHypervisor hv;
    ops::Environment env = home.env();
    ops::Progress quiet = [](std::string_view) {};

    ops::ApplyReport apply(const std::string& text) {
        const Plan plan = ops::plan_on(hv, parse_deployment(text, "shop.yaml"));
        return ops::apply_plan(hv, env, plan, quiet, std::chrono::seconds(3));
    }
    Plan plan(const std::string& text) { return ops::plan_on(hv, parse_deployment(text, "shop.yaml")); }
};

TEST_F(DeployOpsTest, ApplyCreatesEverythingAndASecondApplyHasNothingToDo) {
    const auto report = apply(shop_file(2));
    EXPECT_EQ(report.failed(), 0u);
    ASSERT_EQ(report.outcomes.size(), 3u);
    for (const char* name : {"web-1", "web-2", "db"})
        EXPECT_EQ(hv.domains.at(name).state, DomainState::Running) << name;
    const DomainFacts db = parse_domain_xml(hv.domains.at("db").xml);
    EXPECT_EQ(db.metadata.labels.at("kind"), "pet");
    EXPECT_EQ(db.metadata.labels.at("deployment"), "shop");
    EXPECT_FALSE(plan(shop_file(2)).has_changes());
    // Each new VM is in the usage journal.
    EXPECT_EQ(host::read_usage(host::usage_journal_path(env.paths)).size(), 3u);
}

// Ctrl-C after the first VM started: no other step starts, and the VM that
// was not ready yet is removed, as when its boot fails.
TEST_F(DeployOpsTest, CtrlCStopsTheApplyAndRemovesWhatIsNotReady) {
    struct Reset {
        ~Reset() { host::set_interrupted(false); }
    } reset;
    const Plan plan = ops::plan_on(hv, parse_deployment(shop_file(2), "shop.yaml"));
    const auto report = ops::apply_plan(hv, env, plan, [](std::string_view line) {
        if (line.rfind("started ", 0) == 0)
            host::set_interrupted(true);  // as the signal handler does
    }, std::chrono::seconds(3));
    ASSERT_TRUE(report.first_failure);
    EXPECT_EQ(*report.first_failure, ErrorKind::Interrupted);
    EXPECT_EQ(report.failed(), 3u);
    EXPECT_TRUE(hv.domains.empty()) << "nothing half-made is left";
    for (const auto& outcome : report.outcomes)
        EXPECT_NE(outcome.error.find("interrupted"), std::string::npos) << outcome.name << ": " << outcome.error;
}

TEST_F(DeployOpsTest, AVmDeletedByHandIsMadeAgain) {
    apply(shop_file(2));
    ops::delete_vm(hv, env, "web-1", true);
    const Plan healing = plan(shop_file(2));
    ASSERT_EQ(healing.steps.size(), 1u);
    EXPECT_EQ(healing.steps[0].kind, StepKind::Create);
    EXPECT_EQ(healing.steps[0].name, "web-1");
    apply(shop_file(2));
    EXPECT_EQ(hv.domains.count("web-1"), 1u);
    EXPECT_FALSE(plan(shop_file(2)).has_changes());
}

TEST_F(DeployOpsTest, ChangingTheCountScalesTheGroup) {
    apply(shop_file(2));
    apply(shop_file(3));
    EXPECT_EQ(hv.domains.count("web-3"), 1u);
    const auto report = apply(shop_file(1));
    EXPECT_EQ(report.failed(), 0u);
    EXPECT_EQ(hv.domains.count("web-1"), 1u);
    EXPECT_EQ(hv.domains.count("web-2"), 0u);
    EXPECT_EQ(hv.domains.count("web-3"), 0u);
    EXPECT_FALSE(plan(shop_file(1)).has_changes());
}

TEST_F(DeployOpsTest, AnUndeclaredPetIsKeptAndSaidSo) {
    apply(shop_file(1));
    const Plan without_db = plan(shop_file(1, false));
    ASSERT_EQ(without_db.steps.size(), 1u);
    EXPECT_EQ(without_db.steps[0].kind, StepKind::KeepPet);
    EXPECT_FALSE(without_db.has_changes());
    EXPECT_NE(format_plan(without_db).find("apply never removes pets"), std::string::npos);
    apply(shop_file(1, false));
    EXPECT_EQ(hv.domains.count("db"), 1u);
}

TEST_F(DeployOpsTest, MemoryChangesLiveWithinTheMaximum) {
    apply(shop_file(1, false));
    const Plan bigger = plan(shop_file(1, false, "384M"));
    ASSERT_EQ(bigger.steps.size(), 1u);
    EXPECT_EQ(bigger.steps[0].kind, StepKind::Update);
    EXPECT_EQ(bigger.steps[0].changes.at(0).how, "live: the balloon gives or takes it now");
    apply(shop_file(1, false, "384M"));
    EXPECT_EQ(parse_domain_xml(hv.domains.at("web-1").xml).memory_bytes, 384ULL << 20);
    EXPECT_FALSE(plan(shop_file(1, false, "384M")).has_changes());
    // Beyond the maximum (twice 256M) only a new VM will do.
    EXPECT_EQ(plan(shop_file(1, false, "1G")).steps.at(0).kind, StepKind::Replace);
}

TEST_F(DeployOpsTest, AFailedStepIsReportedAndARerunFinishesTheJob) {
    hv.fail_on = "start_domain";  // the first VM to start fails
    const auto report = apply(shop_file(2));
    EXPECT_EQ(report.failed(), 1u);
    ASSERT_TRUE(report.first_failure);
    EXPECT_EQ(*report.first_failure, ErrorKind::OperationFailed);
    EXPECT_EQ(hv.domains.size(), 2u) << "the failed VM is not left half-made";
    const Plan rest = plan(shop_file(2));
    EXPECT_EQ(rest.count(StepKind::Create), 1u);
    EXPECT_EQ(apply(shop_file(2)).failed(), 0u);
    EXPECT_EQ(hv.domains.size(), 3u);
}

TEST_F(DeployOpsTest, AConflictChangesNothing) {
    ops::CreateOptions other;
    other.name = "web-2";
    ops::create_vm(hv, env, other, quiet);
    EXPECT_EQ(testing::failure_kind([&] { apply(shop_file(2)); }), ErrorKind::AlreadyExists);
    EXPECT_EQ(hv.domains.size(), 1u);
}

TEST_F(DeployOpsTest, AnImpossibleSizeIsRefusedBeforeAnythingChanges) {
    const std::string text = shop_file(1) + "- name: huge\n  type: vmctl.v1.instance\n  properties: {memory: 1T}\n";
    try {
        apply(text);
        FAIL() << "a 1 TiB VM was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::FileInvalid);
        EXPECT_EQ(std::string(e.what()).rfind("shop.yaml:12:3: VM 'huge':", 0), 0u) << e.what();
    }
    EXPECT_TRUE(hv.domains.empty());
}

TEST_F(DeployOpsTest, DestroyRemovesTheDeploymentButKeepsPetsUnlessTold) {
    apply(shop_file(2));
    ops::CreateOptions other;
    other.name = "bystander";
    ops::create_vm(hv, env, other, quiet);
    const auto kept = ops::teardown_deployment(hv, env, "shop", false);
    EXPECT_EQ(kept.failed(), 0u);
    EXPECT_EQ(hv.domains.count("web-1") + hv.domains.count("web-2"), 0u);
    EXPECT_EQ(hv.domains.count("db"), 1u);
    EXPECT_EQ(hv.domains.count("bystander"), 1u);
    ops::teardown_deployment(hv, env, "shop", true);
    EXPECT_EQ(hv.domains.count("db"), 0u);
    EXPECT_EQ(hv.domains.count("bystander"), 1u);
}

}  // namespace
}  // namespace vmctl
