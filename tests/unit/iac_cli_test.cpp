// apply, plan, destroy -f, cost, hygiene and label through the command line.

#include "cli_fixture.h"
#include "golden.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace vmctl {
namespace {

class IacCliTest : public testing::CliTest {
protected:
    std::string file = home.dir() + "/shop.yaml";
    void write(const std::string& text) { std::ofstream(file) << text; }
    void SetUp() override {
        write("deployment: shop\nresources:\n- name: web\n  type: vmctl.v1.group\n  properties: {count: 2, labels: "
              "{owner: alice}}\n");
    }
};

TEST_F(IacCliTest, PlanApplyAgainAndTeardown) {
    EXPECT_EQ(run({"plan", "-f", file}), 0);
    EXPECT_NE(out.str().find("Plan: 2 to create"), std::string::npos) << out.str();
    EXPECT_TRUE(fake.domains.empty()) << "plan changes nothing";
    EXPECT_EQ(run({"apply", "-f", file, "--timeout", "3"}), 0) << err.str();
    EXPECT_NE(out.str().find("created, ready in"), std::string::npos) << out.str();
    EXPECT_EQ(run({"apply", "-f", file}), 0);
    EXPECT_EQ(out.str().rfind("No changes:", 0), 0u) << out.str();

    EXPECT_EQ(run({"teardown", "-f", file}), exit_code(ErrorKind::Usage)) << "no terminal to ask: needs --yes";
    EXPECT_NE(err.str().find("--yes"), std::string::npos);
    EXPECT_EQ(fake.domains.size(), 2u);
    EXPECT_EQ(run({"teardown", "-f", file, "--yes"}), 0) << err.str();
    EXPECT_TRUE(fake.domains.empty());
    EXPECT_EQ(run({"teardown"}), exit_code(ErrorKind::Usage)) << "the file is needed";
}

// destroy NAME keeps everything; the old spelling destroy -f FILE (which
// deletes) still works and says it is now teardown.
TEST_F(IacCliTest, TheOldSpellingDestroyFileStillWorksAndSaysSo) {
    EXPECT_EQ(run({"apply", "-f", file, "--timeout", "3"}), 0) << err.str();
    EXPECT_EQ(run({"destroy", "web-1"}), 0) << err.str();
    EXPECT_EQ(fake.domains.size(), 2u) << "destroy NAME deletes nothing";
    EXPECT_EQ(run({"destroy", "-f", file, "--yes"}), 0) << err.str();
    EXPECT_NE(err.str().find("is now 'vmctl teardown -f FILE'"), std::string::npos) << err.str();
    EXPECT_TRUE(fake.domains.empty());
}

TEST_F(IacCliTest, ABrokenFileIsOneLineWithItsPosition) {
    write("deployment: shop\nresources:\n- name: web\n  type: vmctl.v1.group\n  properties: {counts: 2}\n");
    EXPECT_EQ(run({"apply", "-f", file}), 13);
    const std::string line = err.str();
    EXPECT_EQ(line.rfind("error: " + file + ":5:16: unknown key 'counts'", 0), 0u) << line;
    EXPECT_NE(line.find("did you mean 'count'?"), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
    EXPECT_EQ(run({"plan", "-f", home.dir() + "/missing.yaml"}), exit_code(ErrorKind::NotFound));
    EXPECT_EQ(run({"apply"}), exit_code(ErrorKind::Usage));
}

TEST_F(IacCliTest, CostIsABillWithATotalAndJson) {
    ASSERT_EQ(run({"apply", "-f", file, "--timeout", "3"}), 0) << err.str();
    EXPECT_EQ(run({"cost", "--by", "label", "owner"}), 0) << err.str();
    EXPECT_NE(out.str().find("EXAMPLE PRICES"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("TOTAL"), std::string::npos);
    EXPECT_NE(out.str().find("by label 'owner'"), std::string::npos);
    EXPECT_EQ(run({"cost", "--json", "--since", "1d"}), 0) << err.str();
    const auto bill = nlohmann::json::parse(out.str());
    EXPECT_EQ(bill["vms"].size(), 2u);
    EXPECT_TRUE(bill["example_prices"].get<bool>());
    EXPECT_EQ(run({"cost", "--since", "yesterday"}), exit_code(ErrorKind::InvalidArgument));
    EXPECT_EQ(run({"cost", "--by", "owner"}), exit_code(ErrorKind::Usage));
    EXPECT_EQ(run({"cost", "--prices", home.dir() + "/none.yaml"}), exit_code(ErrorKind::NotFound));
}

TEST_F(IacCliTest, HygieneFindsTheMissingOwnerAndLabelFixesIt) {
    write("deployment: shop\nresources:\n- name: web\n  type: vmctl.v1.instance\n");
    ASSERT_EQ(run({"apply", "-f", file, "--timeout", "3"}), 0) << err.str();
    EXPECT_EQ(run({"hygiene", "--json", "--window", "0.1"}), 0) << err.str();
    const auto report = nlohmann::json::parse(out.str());
    ASSERT_FALSE(report["findings"].empty());
    bool no_owner = false;
    for (const auto& f : report["findings"])
        no_owner = no_owner || (f["kind"] == "no-owner" && f["fix"] == "vmctl label web owner=<who>");
    EXPECT_TRUE(no_owner) << report.dump(2);
    fake.stats = {{"web", DomainState::Running, 1, 1000}};  // idle: no CPU time between the samples
    EXPECT_EQ(run({"hygiene", "--fix", "--window", "0.1"}), exit_code(ErrorKind::Usage)) << "no terminal: needs --yes";
    EXPECT_EQ(fake.domains.at("web").state, DomainState::Running);
    EXPECT_EQ(run({"label", "web", "owner=carol"}), 0) << err.str();
    EXPECT_EQ(out.str(), "VM 'web' labels: deployment=shop owner=carol\n");
    EXPECT_EQ(run({"label", "web", "kind=pet"}), exit_code(ErrorKind::InvalidArgument));
}

}  // namespace
}  // namespace vmctl
