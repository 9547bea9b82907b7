// Clones, golden images, herds and pets on real QEMU.

#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

namespace vmctl::e2e {
namespace {

class CloneE2E : public E2ETest {};

std::string boot_id_in(const std::string& text) {
    const auto at = text.find("ready boot=");
    return at == std::string::npos ? "" : text.substr(at + 11, 36);
}

TEST_F(CloneE2E, LinkedCloneIsThinAndBootsWithItsOwnIdentity) {
    const std::string src = vm_name("src");
    const std::string dst = vm_name("dst");
    const RunResult created = vmctl({"create", src});
    ASSERT_EQ(created.exit_code, 0);
    EXPECT_EQ(vmctl({"clone", src, dst}).exit_code, 6) << "a running source is refused";
    ASSERT_EQ(vmctl({"stop", src}).exit_code, 0);

    const RunResult cloned = vmctl({"clone", src, dst, "--linked", "--no-start"});
    ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
    const auto chain = nlohmann::json::parse(vmctl({"disk", "chain", dst, "--json"}).out);
    const auto& layers = chain[0]["layers"];
    ASSERT_EQ(layers.size(), 2u) << chain.dump();
    EXPECT_LE(layers[0]["allocated_bytes"].get<long>(), 1 << 20) << "a fresh linked clone allocates at most 1 MiB";
    EXPECT_FALSE(layers[0]["backing"].get<std::string>().empty());

    const RunResult started = vmctl({"start", dst});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    EXPECT_NE(boot_id_in(started.out), boot_id_in(created.out));
    const auto a = nlohmann::json::parse(vmctl({"info", src, "--json"}).out);
    const auto b = nlohmann::json::parse(vmctl({"info", dst, "--json"}).out);
    EXPECT_NE(a["uuid"], b["uuid"]);
    EXPECT_NE(a["disks"][0]["path"], b["disks"][0]["path"]);
    EXPECT_EQ(b["chipset"], a["chipset"]);
    EXPECT_EQ(b["firmware"], a["firmware"]);
    EXPECT_EQ(b["max_vcpus"], a["max_vcpus"]);

    // A copy of a server is a server: on the same network, with its own MAC
    // and address, and its page answers.
    EXPECT_EQ(b["network"], "vmctl");
    EXPECT_NE(b["mac"], a["mac"]);
    std::string ip;
    for (int i = 0; i < 100 && ip.empty(); ++i) {
        ip = vmctl({"info", dst, "--get", "ip"}).out;
        ip.erase(ip.find_last_not_of(" \n") + 1);
        if (ip.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_FALSE(ip.empty()) << "the clone got no address";
    const RunResult page = shell("curl -sS --max-time 10 http://" + ip + "/");
    ASSERT_EQ(page.exit_code, 0) << page.err;
    EXPECT_NE(page.out.find("vm=" + dst), std::string::npos) << page.out;
}

TEST_F(CloneE2E, GoldenImageInUseCannotBeDeleted) {
    const std::string prep = vm_name("prep");
    const std::string image = vm_name("golden");
    const std::string user = vm_name("user");
    ASSERT_EQ(vmctl({"create", prep, "--no-wait"}).exit_code, 0);
    EXPECT_EQ(vmctl({"image", "create", image, "--from", prep}).exit_code, 6) << "the VM must be stopped";
    ASSERT_EQ(vmctl({"destroy", prep}).exit_code, 0);
    ASSERT_EQ(vmctl({"image", "create", image, "--from", prep}).exit_code, 0);
    const RunResult made = vmctl({"create", user, "--image", image});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const RunResult refused = vmctl({"image", "delete", image});
    EXPECT_EQ(refused.exit_code, 6);
    EXPECT_NE(refused.err.find(user), std::string::npos) << refused.err;
    ASSERT_EQ(vmctl({"delete", user, "--force"}).exit_code, 0);
    EXPECT_EQ(vmctl({"image", "delete", image}).exit_code, 0);
}

TEST_F(CloneE2E, CountMakesARunningHerdAndLabelDeleteRemovesIt) {
    const std::string group = vm_name("herd");
    const RunResult made = vmctl({"create", group, "--count", "3"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const auto herd = nlohmann::json::parse(vmctl({"list", "--label", "group=" + group, "--json"}).out);
    ASSERT_EQ(herd.size(), 3u);
    for (const auto& vm : herd) {
        EXPECT_EQ(vm["state"], "running");
        EXPECT_EQ(vm["labels"]["kind"], "cattle");
    }
    const RunResult unasked = vmctl({"delete", "--label", "group=" + group});
    EXPECT_EQ(unasked.exit_code, 2) << "no terminal to ask: --yes is needed";
    EXPECT_NE(unasked.err.find("--yes"), std::string::npos);
    ASSERT_EQ(vmctl({"delete", "--label", "group=" + group, "--yes"}).exit_code, 0);
    EXPECT_TRUE(nlohmann::json::parse(vmctl({"list", "--label", "group=" + group, "--json"}).out).empty());
}

TEST_F(CloneE2E, PetsSurviveDeleteUntilUnprotected) {
    const std::string pet = vm_name("pet");
    ASSERT_EQ(vmctl({"create", pet, "--protect", "--no-wait"}).exit_code, 0);
    const RunResult refused = vmctl({"delete", pet, "--force"});
    EXPECT_EQ(refused.exit_code, 6);
    EXPECT_NE(refused.err.find("unprotect"), std::string::npos);
    EXPECT_EQ(vmctl({"unprotect", pet}).exit_code, 0);
    EXPECT_EQ(vmctl({"delete", pet, "--force"}).exit_code, 0);
}

}  // namespace
}  // namespace vmctl::e2e
