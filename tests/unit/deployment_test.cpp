// Deployment files: parsing (good and broken files) and plans against golden outputs.

#include "golden.h"
#include "vmctl/core/deployment.h"
#include "vmctl/core/deployment_plan.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::expect_golden;
using testing::read_test_data;

Deployment shop() { return parse_deployment(read_test_data("deploy-shop.yaml"), "shop.yaml"); }

// The one-line error a broken file gets.
std::string error_in(const std::string& text, const std::string& file_name) {
    try {
        parse_deployment(text, file_name);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::FileInvalid) << e.what();
        return std::string(e.what()) + "; " + e.hint();
    }
    ADD_FAILURE() << file_name << " parsed without an error";
    return {};
}

std::string error_of(const std::string& data_file) { return error_in(read_test_data(data_file), data_file); }

ExistingVm existing(const WantedVm& want, DomainState state = DomainState::Running) {
    ExistingVm vm;
    vm.name = want.name;
    vm.state = state;
    vm.vcpus = want.vcpus;
    vm.max_vcpus = std::max(2U, 2 * want.vcpus);
    vm.memory_bytes = want.memory_bytes;
    vm.max_memory_bytes = 2 * want.memory_bytes;
    vm.disk_bytes = want.disk_bytes;
    vm.image = want.image;
    vm.startup_script = want.startup_script;
    vm.network = want.network == "none" ? "" : want.network;
    vm.chipset = want.chipset.empty() ? "q35" : want.chipset;
    vm.labels = want.labels;
    return vm;
}

std::vector<ExistingVm> as_deployed(const Deployment& d) {
    std::vector<ExistingVm> vms;
    for (const auto& want : d.vms)
        vms.push_back(existing(want));
    return vms;
}

TEST(DeploymentFile, ExpandsGroupsAndResolvesSizes) {
    const Deployment d = shop();
    EXPECT_EQ(d.name, "shop");
    ASSERT_EQ(d.vms.size(), 3u);
    EXPECT_EQ(d.vms[0].name, "web-1");
    EXPECT_EQ(d.vms[1].name, "web-2");
    EXPECT_EQ(d.vms[0].vcpus, 2u);
    EXPECT_EQ(d.vms[0].memory_bytes, 1ULL << 30);
    EXPECT_EQ(d.vms[0].labels.at("group"), "web");
    EXPECT_EQ(d.vms[0].labels.at("kind"), "cattle");
    EXPECT_EQ(d.vms[0].labels.at("deployment"), "shop");
    EXPECT_EQ(d.vms[0].labels.at("owner"), "alice");
    const WantedVm& db = d.vms[2];
    EXPECT_EQ(db.memory_bytes, 512ULL << 20);
    EXPECT_EQ(db.disk_bytes, 2ULL << 30);
    EXPECT_TRUE(db.protect);
    EXPECT_EQ(db.labels.at("kind"), "pet");
    EXPECT_EQ(db.startup_script, "echo \"db ready\" > /data/db.txt\n");
    EXPECT_EQ(db.where, "shop.yaml:13:3");
}

TEST(DeploymentFile, UnknownKeyGetsPositionAndDidYouMean) {
    const std::string error = error_of("deploy-bad-key.yaml");
    EXPECT_EQ(error.rfind("deploy-bad-key.yaml:6:5: unknown key 'memroy'", 0), 0u) << error;
    EXPECT_NE(error.find("did you mean 'memory'?"), std::string::npos) << error;
}

TEST(DeploymentFile, BrokenFilesSayWhereAndWhat) {
    EXPECT_EQ(error_of("deploy-bad-size.yaml").rfind("deploy-bad-size.yaml:6:13: memory '512' has no unit", 0), 0u)
        << error_of("deploy-bad-size.yaml");
    EXPECT_EQ(error_of("deploy-bad-name.yaml").rfind("deploy-bad-name.yaml:3:9: the VM name 'Web_1'", 0), 0u)
        << error_of("deploy-bad-name.yaml");
    const std::string duplicate = error_of("deploy-duplicate.yaml");
    EXPECT_EQ(duplicate.rfind("deploy-duplicate.yaml:5:9: the VM name 'web-1' is declared twice (first at "
                              "deploy-duplicate.yaml:3:9)",
                              0),
              0u)
        << duplicate;
    EXPECT_EQ(error_of("deploy-bad-yaml.yaml").rfind("deploy-bad-yaml.yaml:7:", 0), 0u) << error_of("deploy-bad-yaml.yaml");
    const std::string type = error_of("deploy-bad-type.yaml");
    EXPECT_EQ(type.rfind("deploy-bad-type.yaml:4:9: unknown resource type 'compute.v1.instance'", 0), 0u) << type;
    EXPECT_NE(error_of("deploy-no-count.yaml").find("group 'web' has no 'count:'"), std::string::npos);
}

TEST(DeploymentFile, ErrorsAreOneLine) {
    for (const char* file : {"deploy-bad-key.yaml", "deploy-bad-size.yaml", "deploy-bad-name.yaml",
                             "deploy-duplicate.yaml", "deploy-bad-yaml.yaml", "deploy-bad-type.yaml",
                             "deploy-no-count.yaml"})
        EXPECT_EQ(error_of(file).find('\n'), std::string::npos) << file;
}

TEST(DeploymentFile, SmallMistakesAreRefused) {
    const auto kind = [](const std::string& text) {
        try {
            parse_deployment(text, "f.yaml");
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::Internal;
    };
    EXPECT_EQ(kind("resources: []\n"), ErrorKind::FileInvalid);                       // no deployment name
    EXPECT_EQ(kind("deployment: Shop!\nresources: []\n"), ErrorKind::FileInvalid);   // not a label value
    EXPECT_EQ(kind("deployment: s\nresources:\n- name: a\n  type: vmctl.v1.instance\n  properties: {labels: {kind: pet}}\n"),
              ErrorKind::FileInvalid);  // reserved label
    EXPECT_EQ(kind("deployment: s\nresources:\n- name: a\n  type: vmctl.v1.group\n  properties: {count: 0}\n"),
              ErrorKind::FileInvalid);
    EXPECT_EQ(kind("deployment: s\nresources:\n- name: a\n  type: vmctl.v1.instance\n  properties: {machineType: e2-mirco}\n"),
              ErrorKind::FileInvalid);
    EXPECT_EQ(kind("deployment: s\nresources:\n- name: a\n  type: vmctl.v1.instance\n  properties: {network: 'a b'}\n"),
              ErrorKind::FileInvalid);
    EXPECT_EQ(kind("just text"), ErrorKind::FileInvalid);
    EXPECT_NO_THROW(parse_deployment("deployment: empty\nresources: []\n", "f.yaml"));
}

// cloudInit is a whole user-data file, checked like --cloud-init's.
TEST(DeploymentFile, CloudInitIsUserDataWithItsPlaceWhenItIsNot) {
    const auto deployment = parse_deployment("deployment: s\n"
                                             "resources:\n"
                                             "- name: site\n"
                                             "  type: vmctl.v1.instance\n"
                                             "  properties:\n"
                                             "    image: debian-12\n"
                                             "    cloudInit: |\n"
                                             "      #cloud-config\n"
                                             "      packages: [nginx-light]\n",
                                             "f.yaml");
    ASSERT_EQ(deployment.vms.size(), 1u);
    EXPECT_EQ(deployment.vms[0].cloud_init, "#cloud-config\npackages: [nginx-light]\n");
    const std::string error = error_in("deployment: s\n"
                                       "resources:\n"
                                       "- name: site\n"
                                       "  type: vmctl.v1.instance\n"
                                       "  properties: {image: debian-12, cloudInit: 'packages: [nginx]'}\n",
                                       "f.yaml");
    EXPECT_NE(error.find("f.yaml:5:"), std::string::npos) << error;
    EXPECT_NE(error.find("#cloud-config"), std::string::npos) << error;
}

// yaml-cpp keeps the first of two equal keys; a second 'memory:' the student
// added to change the size would be silently ignored.
TEST(DeploymentFile, ARepeatedKeyIsRefusedWhereItIsRepeated) {
    const std::string text = "deployment: s\n"
                             "resources:\n"
                             "- name: a\n"
                             "  type: vmctl.v1.instance\n"
                             "  properties:\n"
                             "    memory: 256M\n"
                             "    memory: 512M\n";
    try {
        parse_deployment(text, "f.yaml");
        ADD_FAILURE() << "a repeated key was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::FileInvalid);
        EXPECT_EQ(std::string(e.what()), "f.yaml:7:5: the key 'memory' appears twice in the same mapping");
    }
    EXPECT_THROW(parse_deployment("deployment: a\ndeployment: b\nresources: []\n", "f.yaml"), Error);
    // The same key in two different mappings is fine.
    EXPECT_NO_THROW(parse_deployment("deployment: s\nresources:\n- name: a\n  type: vmctl.v1.instance\n"
                                     "- name: b\n  type: vmctl.v1.instance\n",
                                     "f.yaml"));
}

// Aliases can make a few lines a tree of billions of values; the check stops early.
TEST(DeploymentFile, AnAliasBombIsRefused) {
    std::string text = "deployment: s\nresources: []\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i)
        text += fmt::format("a{0}: &a{0} [*a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}]\n", i,
                            i - 1);
    try {
        parse_deployment(text, "f.yaml");
        ADD_FAILURE() << "an alias bomb was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("too many values or aliases"), std::string::npos) << e.what();
    }
}

TEST(DeploymentPlan, EverythingToCreateOnAnEmptyHost) {
    expect_golden("plan-create.txt", format_plan(plan_deployment(shop(), {})));
}

TEST(DeploymentPlan, NoChangesWhenAllMatches) {
    const Deployment d = shop();
    const Plan plan = plan_deployment(d, as_deployed(d));
    EXPECT_FALSE(plan.has_changes());
    EXPECT_EQ(plan.unchanged.size(), 3u);
    EXPECT_EQ(format_plan(plan), "No changes: the 3 VMs of deployment 'shop' match shop.yaml.\n");
}

// Without student=NAME kept, the next apply took it off, so a plan right after
// a create said "change labels -student" (lab 08 never reached "No changes")
// and that student's 'vmctl lab reset' no longer found the VM.
TEST(DeploymentPlan, TheLabelsOfTheLabThatMadeAVmAreKept) {
    const Deployment d = shop();
    auto vms = as_deployed(d);
    for (auto& vm : vms) {
        vm.labels["lab"] = "08-infrastructure-as-code";  // made by apply while a lab was active
        vm.labels["student"] = "alice";
    }
    EXPECT_FALSE(plan_deployment(d, vms).has_changes());
    vms[0].labels["tier"] = "changed";
    const Plan plan = plan_deployment(d, vms);
    ASSERT_TRUE(plan.has_changes());
    for (const auto& step : plan.steps) {
        if (step.new_labels) {
            EXPECT_EQ(step.new_labels->at("lab"), "08-infrastructure-as-code");
            EXPECT_EQ(step.new_labels->at("student"), "alice");
        }
    }
}

TEST(DeploymentPlan, ChangesScalingRemovalsPetsAndConflicts) {
    const Deployment d = shop();
    auto vms = as_deployed(d);
    vms[0].memory_bytes = 768ULL << 20;    // web-1: memory changes live
    vms[0].labels.erase("owner");          // and a label is back
    vms[1].state = DomainState::ShutOff;   // web-2: stopped, stays so
    vms[2].vcpus = 2;                      // db: vCPUs go down: at the next boot
    vms[2].disk_bytes = 4ULL << 30;        // db: disks never shrink
    ExistingVm web3 = existing(d.vms[0]);  // the group was bigger
    web3.name = "web-3";
    vms.push_back(web3);
    ExistingVm old = existing(d.vms[2]);   // an old pet, no longer declared
    old.name = "db-old";
    vms.push_back(old);
    ExistingVm gone = existing(d.vms[0]);  // a single VM no longer declared
    gone.name = "cache";
    gone.labels.erase("group");
    vms.push_back(gone);
    const Plan plan = plan_deployment(d, vms);
    EXPECT_EQ(plan.count(StepKind::Update), 2u);
    EXPECT_EQ(plan.count(StepKind::Remove), 2u);
    EXPECT_EQ(plan.count(StepKind::KeepPet), 1u);
    expect_golden("plan-changes.txt", format_plan(plan));
}

TEST(DeploymentPlan, ReplaceWhatOnlyANewVmCanChangeButNeverAPet) {
    const Deployment d = shop();
    auto vms = as_deployed(d);
    vms[0].image = "base";                  // web-1: another image
    vms[1].max_memory_bytes = 512ULL << 20;  // web-2: beyond its maximum
    vms[2].startup_script = "old";          // db: a pet, kept
    ExistingVm stranger;                    // a VM made by hand with a declared name
    stranger.name = "web-3";
    const Plan plan = plan_deployment(d, vms);
    EXPECT_EQ(plan.count(StepKind::Replace), 2u);
    EXPECT_EQ(plan.count(StepKind::KeepPet), 1u);
    expect_golden("plan-replace.txt", format_plan(plan));

    Deployment bigger = d;
    WantedVm third = d.vms[0];
    third.name = "web-3";
    bigger.vms.push_back(third);
    vms.push_back(stranger);
    const Plan conflict = plan_deployment(bigger, vms);
    ASSERT_EQ(conflict.steps.front().kind, StepKind::Conflict);
    EXPECT_NE(format_plan(conflict).find("apply refuses to start while there is a conflict"), std::string::npos);
}

TEST(DeploymentFile, ANetworkIsReadAndAChangedOneReplacesTheVm) {
    const Deployment d = parse_deployment(
        "deployment: s\nresources:\n- name: web\n  type: vmctl.v1.group\n  properties: {count: 2, network: vmctl}\n"
        "- name: quiet\n  type: vmctl.v1.instance\n  properties: {network: none}\n",
        "s.yaml");
    ASSERT_EQ(d.vms.size(), 3u);
    EXPECT_EQ(d.vms[0].network, "vmctl");
    EXPECT_EQ(d.vms[2].network, "none");
    auto vms = as_deployed(d);
    EXPECT_FALSE(plan_deployment(d, vms).has_changes());
    vms[0].network = "";  // web-1 was made without a NIC
    const Plan plan = plan_deployment(d, vms);
    ASSERT_EQ(plan.count(StepKind::Replace), 1u);
    EXPECT_NE(format_plan(plan).find("its network changes from none to 'vmctl'"), std::string::npos)
        << format_plan(plan);
}

TEST(DeploymentFile, AChipsetIsReadAndAnotherBoardReplacesTheVm) {
    const Deployment d = parse_deployment(
        "deployment: s\nresources:\n- name: old\n  type: vmctl.v1.instance\n  properties: {chipset: pc}\n"
        "- name: new\n  type: vmctl.v1.instance\n",
        "s.yaml");
    ASSERT_EQ(d.vms.size(), 2u);
    EXPECT_EQ(d.vms[0].chipset, "pc");
    EXPECT_EQ(d.vms[1].chipset, "");
    EXPECT_NE(format_plan(plan_deployment(d, {})).find("image tiny, pc board"), std::string::npos);
    auto vms = as_deployed(d);
    EXPECT_FALSE(plan_deployment(d, vms).has_changes());
    vms[0].chipset = "q35";  // made on q35, the file asks for pc
    vms[1].chipset = "pc";   // made on pc before q35; the file names no board: kept
    const Plan plan = plan_deployment(d, vms);
    ASSERT_EQ(plan.count(StepKind::Replace), 1u) << format_plan(plan);
    EXPECT_NE(format_plan(plan).find("its chipset changes from q35 to pc"), std::string::npos) << format_plan(plan);

    const std::string bad = error_in(
        "deployment: s\nresources:\n- name: a\n  type: vmctl.v1.instance\n  properties: {chipset: i440fx}\n", "s.yaml");
    EXPECT_NE(bad.find("s.yaml:5:"), std::string::npos) << bad;
    EXPECT_NE(bad.find("unknown chipset 'i440fx'"), std::string::npos) << bad;
    EXPECT_NE(bad.find("chipset: pc"), std::string::npos) << bad;
}

}  // namespace
}  // namespace vmctl
