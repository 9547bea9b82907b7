// A real guest under QEMU, driven only through the vmctl binary.

#include "e2e_env.h"
#include "vmctl/core/guest_protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <fstream>
#include <sstream>

namespace vmctl::e2e {
namespace {

class LifecycleE2E : public E2ETest {};

std::optional<ReadyLine> ready_in(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (auto ready = parse_ready_line(line))
            return ready;
    return std::nullopt;
}

TEST_F(LifecycleE2E, CreateSeeReadyInspectStopStartDelete) {
    const std::string name = vm_name("life");
    const RunResult created = vmctl({"create", name, "--memory", "256M", "--label", "owner=e2e"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    const auto ready = ready_in(created.out);
    ASSERT_TRUE(ready) << created.out;
    EXPECT_EQ(ready->cpus, 1u);
    // A new VM runs the kernel built for vmctl, on the q35 board.
    EXPECT_TRUE(ready->kernel.ends_with("-vmctl")) << ready->kernel;
    // The guest starts with its maximum (twice its size, room for a live
    // resize) and its balloon may still be handing the rest back when it
    // prints the ready line; within seconds the guest sees 256 MiB.
    EXPECT_GT(ready->mem_kb, 150u * 1024);
    EXPECT_LE(ready->mem_kb, 512u * 1024);
    // The kernel and initrd every VM shares are read through the read-only
    // view, so libvirt cannot hand them to the QEMU user: they stay root's.
    const RunResult defined = shell("virsh -c qemu:///system dumpxml " + name);
    EXPECT_NE(defined.out.find("<kernel>/run/vmctl-images/tiny/vmlinux</kernel>"), std::string::npos)
        << defined.out;
    EXPECT_NE(defined.out.find("<initrd>/run/vmctl-images/tiny/initrd.img</initrd>"), std::string::npos);
    EXPECT_EQ(shell("stat -c %U:%G:%a /var/lib/vmctl/images/tiny/vmlinux /var/lib/vmctl/images/tiny/initrd.img").out,
              "root:root:644\nroot:root:644\n");
    // list shows the size it was given, not where the balloon is on its way.
    const RunResult given = vmctl({"list", "--json"});
    ASSERT_EQ(given.exit_code, 0) << given.err;
    for (const auto& row : nlohmann::json::parse(given.out)) {
        if (row["name"] == name) {
            EXPECT_EQ(row["memory_bytes"], 256 << 20) << given.out;
        }
    }
    bool settled = false;
    for (int i = 0; i < 40 && !settled; ++i) {
        const RunResult total = vmctl({"exec", name, "--", "awk", "/^MemTotal:/ { print $2 }", "/proc/meminfo"});
        settled = total.exit_code == 0 && std::stoul("0" + total.out) <= 256u * 1024;
        if (!settled)
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    EXPECT_TRUE(settled) << "the balloon never brought the guest down to 256 MiB";
    EXPECT_NE(created.out.find("boot to ready"), std::string::npos);
    EXPECT_NE(created.err.find("TCG"), std::string::npos) << "the accelerator choice is explained";

    // info --json: the facts a student looks at.
    const RunResult info = vmctl({"info", name, "--json"});
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const auto facts = nlohmann::json::parse(info.out);
    EXPECT_EQ(facts["state"], "running");
    EXPECT_EQ(facts["accelerator"], "tcg");
    EXPECT_EQ(facts["chipset"], "q35");
    EXPECT_TRUE(facts["machine"].get<std::string>().starts_with("pc-q35-")) << info.out;
    EXPECT_EQ(facts["firmware"], "qboot") << "the fast firmware comes with the q35 board";
    EXPECT_EQ(facts["vcpus"], 1);
    EXPECT_EQ(facts["memory_bytes"], 256 << 20);
    EXPECT_EQ(facts["labels"]["owner"], "e2e");
    ASSERT_TRUE(facts["qemu_pid"].is_number()) << info.out;
    EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(facts["qemu_pid"].get<int>())));
    ASSERT_EQ(facts["disks"].size(), 1u);
    EXPECT_EQ(facts["disks"][0]["capacity_bytes"], 1 << 30);
    const std::string disk = facts["disks"][0]["path"];
    EXPECT_TRUE(std::filesystem::exists(disk));

    // The human-readable forms work too.
    EXPECT_EQ(vmctl({"info", name}).exit_code, 0);
    const RunResult listed = vmctl({"list", "--json"});
    ASSERT_EQ(listed.exit_code, 0);
    bool found = false;
    for (const auto& row : nlohmann::json::parse(listed.out))
        if (row["name"] == name) {
            found = true;
            EXPECT_EQ(row["state"], "running");
            EXPECT_EQ(row["labels"]["owner"], "e2e");
        }
    EXPECT_TRUE(found);
    EXPECT_NE(vmctl({"list"}).out.find(name), std::string::npos);

    // The guest's heartbeat keeps coming on the serial console.
    EXPECT_TRUE(wait_for_log(name, "HB boot=" + ready->boot_id + " seq=2", std::chrono::seconds(30)));

    // The domain XML validates against libvirt's schema.
    const RunResult xml = vmctl({"xml", name});
    ASSERT_EQ(xml.exit_code, 0);
    EXPECT_EQ(shell("printf '%s' " + quote(xml.out) + " | virt-xml-validate - domain").exit_code, 0);

    // Clean shutdown by the ACPI power button, then boot again: a new boot id.
    const RunResult stopped = vmctl({"stop", name});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
    EXPECT_EQ(nlohmann::json::parse(vmctl({"info", name, "--json"}).out)["state"], "shut off");
    const RunResult started = vmctl({"start", name});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    const auto second = ready_in(started.out);
    ASSERT_TRUE(second);
    EXPECT_NE(second->boot_id, ready->boot_id);

    // Reboot waits for a new boot.
    const RunResult rebooted = vmctl({"reboot", name});
    ASSERT_EQ(rebooted.exit_code, 0) << rebooted.err;
    const auto third = ready_in(rebooted.out);
    ASSERT_TRUE(third);
    EXPECT_NE(third->boot_id, second->boot_id);

    // A running VM is not deleted without --force; with it, nothing remains.
    EXPECT_EQ(vmctl({"delete", name}).exit_code, 6);
    EXPECT_EQ(nlohmann::json::parse(vmctl({"info", name, "--json"}).out)["state"], "running");
    const RunResult deleted = vmctl({"delete", name, "--force"});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_NE(shell("virsh dominfo " + quote(name)).exit_code, 0);
    EXPECT_FALSE(std::filesystem::exists(disk));
    EXPECT_EQ(shell("virsh vol-list vmctl").out.find(name), std::string::npos);
}

TEST_F(LifecycleE2E, StartupScriptRunsInTheGuestAndWritesToItsDisk) {
    const std::string name = vm_name("script");
    const std::string script = "/tmp/" + name + ".sh";
    std::ofstream(script) << "#!/bin/sh\necho hello-from-$(hostname 2>/dev/null || echo guest)\n"
                             "echo persisted > /data/marker && cat /data/marker\n";
    const RunResult created = vmctl({"create", name, "--startup-script", script, "--disk-size", "64M"});
    std::filesystem::remove(script);
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    EXPECT_TRUE(wait_for_log(name, "startup: hello-from-", std::chrono::seconds(30)));
    EXPECT_TRUE(wait_for_log(name, "startup: persisted", std::chrono::seconds(30)));
    EXPECT_TRUE(wait_for_log(name, "vmctl-guest: startup-script exit=0", std::chrono::seconds(30)));
}

TEST_F(LifecycleE2E, ConsoleGivesAShellAndCtrlBracketLeaves) {
    const std::string name = vm_name("console");
    ASSERT_EQ(vmctl({"create", name}).exit_code, 0);
    // The guest's shell computes 6*7, so the answer can only come from inside it.
    const std::string session = console_run(name, "echo console-$((6*7))");
    EXPECT_NE(session.find("console-42"), std::string::npos) << session;
    EXPECT_NE(session.find("Left the console"), std::string::npos) << "Ctrl-] leaves: " << session;
    EXPECT_EQ(nlohmann::json::parse(vmctl({"info", name, "--json"}).out)["state"], "running")
        << "leaving the console leaves the VM running";
}

TEST_F(LifecycleE2E, DestroyPullsThePlugAndKeepsTheDisk) {
    const std::string name = vm_name("plug");
    ASSERT_EQ(vmctl({"create", name, "--no-wait"}).exit_code, 0);
    const RunResult destroyed = vmctl({"destroy", name});
    ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
    const auto facts = nlohmann::json::parse(vmctl({"info", name, "--json"}).out);
    EXPECT_EQ(facts["state"], "shut off");
    EXPECT_TRUE(std::filesystem::exists(facts["disks"][0]["path"].get<std::string>()));
    EXPECT_EQ(vmctl({"destroy", name}).exit_code, 0) << "already stopped is not an error";
}

// The old way stays one flag away: Debian's own kernel on the i440FX board,
// as every VM was before q35 and the vmctl kernel (and as VMs made then stay).
TEST_F(LifecycleE2E, DebianKernelAndPcBoardStillBootAndTakeADisk) {
    const std::string name = vm_name("oldway");
    const RunResult created = vmctl({"create", name, "--image", "tiny-debian-kernel", "--chipset", "pc"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    const auto ready = ready_in(created.out);
    ASSERT_TRUE(ready) << created.out;
    EXPECT_TRUE(ready->kernel.ends_with("-amd64")) << ready->kernel;
    const auto facts = nlohmann::json::parse(vmctl({"info", name, "--json"}).out);
    EXPECT_EQ(facts["chipset"], "pc");
    EXPECT_EQ(facts["firmware"], "SeaBIOS");
    EXPECT_EQ(facts["image"], "tiny-debian-kernel");
    // Hot-plug on the pc board goes through ACPI, not a PCIe root port.
    const RunResult attached = vmctl({"disk", "attach", name, "--size", "32M"});
    ASSERT_EQ(attached.exit_code, 0) << attached.err;
    EXPECT_TRUE(wait_for_exec(name, {"ls", "/dev/vdb"})) << "the guest sees the hot-plugged disk";
    EXPECT_EQ(vmctl({"create", vm_name("board"), "--chipset", "isa"}).exit_code, 3) << "an unknown chipset";
}

TEST_F(LifecycleE2E, VmsDefinedWithVirshAreListedToo) {
    const std::string name = vm_name("virsh");
    const std::string xml = "/tmp/" + name + ".xml";
    std::ofstream(xml) << "<domain type='qemu'><name>" << name
                       << "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                          "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
    ASSERT_EQ(shell("virsh define " + quote(xml)).exit_code, 0);
    std::filesystem::remove(xml);
    bool found = false;
    for (const auto& row : nlohmann::json::parse(vmctl({"list", "--json"}).out))
        if (row["name"] == name) {
            found = true;
            EXPECT_FALSE(row["managed_by_vmctl"].get<bool>());
            EXPECT_EQ(row["state"], "shut off");
            EXPECT_EQ(row["memory_bytes"], 64 << 20);
        }
    EXPECT_TRUE(found);
    const RunResult info = vmctl({"info", name});
    EXPECT_EQ(info.exit_code, 0);
    EXPECT_NE(info.out.find("not made by vmctl"), std::string::npos);
}

// Ctrl-C while a herd boots: vmctl removes every member, as after an error,
// and exits 130; a second Ctrl-C is not needed.
TEST_F(LifecycleE2E, CtrlCDuringCreateCountRemovesTheWholeHerd) {
    const std::string group = vm_name("sigherd");
    char pattern[] = "/tmp/vmctl-e2e-sigint-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    const std::string dir = pattern;
    struct Cleanup {
        std::string dir, group;
        ~Cleanup() {
            shell("pid=$(cat " + dir + "/pid 2>/dev/null) && kill -KILL \"$pid\" 2>/dev/null; sleep 0.5");
            vmctl({"delete", "--label", "group=" + group, "--force"});
            std::filesystem::remove_all(dir);
        }
    } cleanup{dir, group};
    // $! inside the subshell is vmctl's own pid, so the signal reaches vmctl.
    shell("(" + quote(VMCTL_BINARY) + " create " + group + " --count 2 > " + dir + "/out 2>&1 & echo $! > " + dir +
          "/pid; wait $!; echo $? > " + dir + "/rc) >/dev/null 2>&1 &");
    bool booting = false;
    for (int i = 0; i < 300 && !booting; ++i) {
        booting = shell("grep -q 'waiting for 2 VMs' " + dir + "/out").exit_code == 0;
        if (!booting)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(booting) << shell("cat " + dir + "/out").out;
    shell("kill -INT $(cat " + dir + "/pid)");
    bool ended = false;
    for (int i = 0; i < 300 && !ended; ++i) {
        ended = shell("test -s " + dir + "/rc").exit_code == 0;
        if (!ended)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    const std::string out = shell("cat " + dir + "/out").out;
    ASSERT_TRUE(ended) << "vmctl did not end after Ctrl-C:\n" << out;
    EXPECT_EQ(shell("cat " + dir + "/rc").out, "130\n") << out;
    EXPECT_NE(out.find("interrupted"), std::string::npos) << out;
    const auto herd = nlohmann::json::parse(vmctl({"list", "--label", "group=" + group, "--json"}).out);
    EXPECT_TRUE(herd.empty()) << herd.dump();
    EXPECT_EQ(shell("virsh vol-list vmctl | grep -c " + group).out, "0\n") << "no disk of the herd is left";
}

}  // namespace
}  // namespace vmctl::e2e
