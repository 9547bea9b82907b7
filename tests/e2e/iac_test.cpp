// Infrastructure as code on real QEMU: apply twice, heal, scale, destroy.
// Its own program, cleaning up only vmctl-e2e-iac-* VMs.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vmctl::e2e {
namespace {

const std::string kDeployment = "vmctl-e2e-iac";
const std::string kGroup = "vmctl-e2e-iac-web";

class IacE2E : public E2ETest {
protected:
    std::string file = "/tmp/vmctl-e2e-iac-" + std::to_string(::getpid()) + ".yaml";

    void TearDown() override {
        E2ETest::TearDown();
        std::filesystem::remove(file);
    }

    void declare(unsigned count) {
        std::ofstream(file) << "deployment: " << kDeployment << "\nresources:\n- name: " << kGroup
                            << "\n  type: vmctl.v1.group\n  properties:\n    count: " << count
                            << "\n    labels: {owner: e2e}\n";
    }

    std::vector<std::string> running_members() {
        std::vector<std::string> names;
        for (const auto& vm : nlohmann::json::parse(vmctl({"list", "--label", "deployment=" + kDeployment, "--json"}).out))
            if (vm["state"] == "running")
                names.push_back(vm["name"]);
        return names;
    }
};

TEST_F(IacE2E, ApplyIsIdempotentHealsScalesAndDestroys) {
    declare(2);
    const RunResult first = vmctl({"apply", "-f", file});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_EQ(running_members(), (std::vector<std::string>{kGroup + "-1", kGroup + "-2"}));

    const RunResult again = vmctl({"apply", "-f", file});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out.rfind("No changes:", 0), 0u) << again.out;

    // Healing: a VM deleted by hand comes back.
    ASSERT_EQ(vmctl({"delete", kGroup + "-1", "--force"}).exit_code, 0);
    const RunResult plan = vmctl({"plan", "-f", file});
    EXPECT_NE(plan.out.find(kGroup + "-1  create"), std::string::npos) << plan.out;
    const RunResult healed = vmctl({"apply", "-f", file});
    ASSERT_EQ(healed.exit_code, 0) << healed.out << healed.err;
    EXPECT_EQ(running_members().size(), 2u);

    // Scaling down: count 2 -> 1 removes web-2.
    declare(1);
    const RunResult scaled = vmctl({"apply", "-f", file});
    ASSERT_EQ(scaled.exit_code, 0) << scaled.out << scaled.err;
    EXPECT_NE(scaled.out.find("removed"), std::string::npos) << scaled.out;
    EXPECT_EQ(running_members(), std::vector<std::string>{kGroup + "-1"});

    // The bill knows the VM, from the journal and its QEMU process.
    const auto bill = nlohmann::json::parse(vmctl({"cost", "--json", "--since", "1h"}).out);
    bool billed = false;
    for (const auto& line : bill["vms"])
        billed = billed || (line["name"] == kGroup + "-1" && line["running_hours"].get<double>() > 0);
    EXPECT_TRUE(billed) << bill.dump(2);

    const RunResult destroyed = vmctl({"teardown", "-f", file, "--yes"});
    ASSERT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
    EXPECT_TRUE(running_members().empty());
    EXPECT_EQ(vmctl({"list", "--label", "deployment=" + kDeployment, "--json"}).out.find("vmctl-e2e-iac-web"),
              std::string::npos);
}

}  // namespace
}  // namespace vmctl::e2e
