#include "e2e_env.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#ifndef VMCTL_BINARY
#define VMCTL_BINARY "vmctl"
#endif

// What this test program cleans up: a program may narrow it to its own VMs
// (vmctl-e2e-iac-), so it never removes another program's VMs running beside it.
#ifndef VMCTL_E2E_CLEANUP_PREFIX
#define VMCTL_E2E_CLEANUP_PREFIX "vmctl-e2e-"
#endif

namespace vmctl::e2e {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Removes leftovers of earlier runs once per test program, and at exit.
struct CleanupAtExit : ::testing::Environment {
    void SetUp() override { remove_test_vms(); }
    void TearDown() override { remove_test_vms(); }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new CleanupAtExit);

}  // namespace

std::string quote(const std::string& word) {
    std::string quoted = "'";
    for (char c : word) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

RunResult shell(const std::string& command) {
    // A fresh private file per call: a fixed name could be planted by another
    // user, and threads of one test would share it.
    char pattern[] = "/tmp/vmctl-e2e-stderr-XXXXXX";
    const int fd = ::mkstemp(pattern);
    if (fd < 0)
        return {};
    ::close(fd);
    const std::string err_file = pattern;
    RunResult result;
    FILE* pipe = ::popen((command + " 2>" + err_file).c_str(), "r");
    if (pipe == nullptr) {
        std::filesystem::remove(err_file);
        return result;
    }
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
        result.out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = slurp(err_file);
    std::filesystem::remove(err_file);
    return result;
}

RunResult vmctl(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::string command;
    for (const auto& assignment : env)
        command += assignment + " ";
    command += quote(VMCTL_BINARY);
    for (const auto& arg : args)
        command += " " + quote(arg);
    return shell(command + " </dev/null");
}

std::string vm_name(const std::string& suffix) { return kPrefix + suffix; }

namespace {

bool is_test_vm(const std::string& name) { return name.rfind(VMCTL_E2E_CLEANUP_PREFIX, 0) == 0; }

// Deletes this program's VMs on the lab hosts (host-a, host-b...) first: they
// keep their disks in the same pool directory as this machine's libvirt, so
// a volume is only removed below once no host runs a domain on it.
std::vector<std::string> remove_test_vms_on_lab_hosts() {
    std::vector<std::string> left;
    const RunResult hosts = vmctl({"hosts", "list", "--json"});
    const auto parsed = nlohmann::json::parse(hosts.out, nullptr, false);
    if (hosts.exit_code != 0 || !parsed.is_array())
        return left;
    for (const auto& host : parsed) {
        const std::string host_name = host.value("name", "");
        const RunResult vms = vmctl({"--host", host_name, "list", "--json"});
        const auto listed = nlohmann::json::parse(vms.out, nullptr, false);
        if (vms.exit_code != 0 || !listed.is_array())
            continue;
        for (const auto& vm : listed) {
            const std::string name = vm.value("name", "");
            if (!is_test_vm(name))
                continue;
            vmctl({"--host", host_name, "unprotect", name});
            if (vmctl({"--host", host_name, "delete", name, "--force"}).exit_code != 0)
                left.push_back(name);
        }
    }
    return left;
}

}  // namespace

void remove_test_images() {
    const auto images = nlohmann::json::parse(vmctl({"image", "list", "--json"}).out, nullptr, false);
    if (!images.is_array())
        return;
    for (const auto& image : images)
        if (image.value("name", "").rfind(kPrefix, 0) == 0)
            vmctl({"image", "delete", image["name"]});
}

void remove_test_vms() {
    std::vector<std::string> left = remove_test_vms_on_lab_hosts();
    const RunResult list = shell("virsh -q list --all --name");
    std::istringstream names(list.out);
    for (std::string name; std::getline(names, name);) {
        if (!is_test_vm(name))
            continue;
        vmctl({"unprotect", name});  // a pet would refuse to go
        const RunResult removed = vmctl({"delete", name, "--force"});
        if (removed.exit_code != 0)  // not a vmctl VM: remove it with virsh
            shell("virsh destroy " + quote(name) + " >/dev/null; virsh undefine " + quote(name) + " >/dev/null");
    }
    // Volumes a failed test may have left without a domain; never the disk of
    // a VM a lab host could not delete.
    const auto in_use = [&](const std::string& volume) {
        for (const auto& name : left)
            if (volume.rfind(name + "-", 0) == 0)
                return true;
        return false;
    };
    std::istringstream volumes(shell("virsh -q pool-refresh vmctl >/dev/null 2>&1; virsh -q vol-list vmctl | awk '{print $1}'").out);
    for (std::string volume; std::getline(volumes, volume);)
        if (is_test_vm(volume) && !in_use(volume))
            shell("virsh vol-delete --pool vmctl " + quote(volume) + " >/dev/null");
}

void require_environment() {
    const RunResult doctor = vmctl({"doctor"});
    ASSERT_EQ(doctor.exit_code, 0) << "the end-to-end tier needs root, a running libvirtd and the tiny image; "
                                      "run scripts/test.sh, which prepares them.\n"
                                   << doctor.out << doctor.err;
}

std::string console_run(const std::string& name, const std::string& command) {
    const std::string keys = command + "\r";
    const RunResult session =
        shell("(sleep 2; printf '%s' " + quote(keys) + "; sleep 3; printf '\\035') | timeout 60 script -q -c " +
              quote(std::string(VMCTL_BINARY) + " console " + name) + " /dev/null");
    return session.out;
}

Beat last_heartbeat(const std::string& name) {
    Beat beat;
    std::istringstream lines(vmctl({"logs", name}).out);
    for (std::string line; std::getline(lines, line);) {
        const auto hb = line.find("HB boot=");
        if (hb == std::string::npos)
            continue;
        std::istringstream words(line.substr(hb + 8));
        std::string boot, seq;
        words >> boot >> seq;
        if (seq.rfind("seq=", 0) == 0) {
            beat.boot_id = boot;
            beat.seq = std::atol(seq.c_str() + 4);
        }
    }
    return beat;
}

bool wait_for_log(const std::string& name, const std::string& needle, std::chrono::seconds timeout,
                  const std::string& host) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::vector<std::string> args =
        host.empty() ? std::vector<std::string>{"logs", name} : std::vector<std::string>{"--host", host, "logs", name};
    while (std::chrono::steady_clock::now() < deadline) {
        if (vmctl(args).out.find(needle) != std::string::npos)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
}

bool wait_for_exec(const std::string& name, const std::vector<std::string>& command, bool succeed,
                   std::chrono::seconds timeout) {
    std::vector<std::string> args{"exec", name, "--"};
    args.insert(args.end(), command.begin(), command.end());
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if ((vmctl(args).exit_code == 0) == succeed)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return false;
}

std::string printed_address(const std::string& create_output) {
    std::smatch match;
    if (std::regex_search(create_output, match, std::regex("address: ([0-9.]+) on network 'vmctl'")))
        return match[1];
    return "";
}

}  // namespace vmctl::e2e
