#include "vmctl/host/host_facts.h"

#include "vmctl/host/files.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

namespace vmctl::host {

HostCpuFacts probe_cpu() {
    HostCpuFacts facts;
    const int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        facts.kvm_device_usable = true;
        ::close(fd);
    }
    std::istringstream cpuinfo(read_file_or("/proc/cpuinfo", ""));
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("flags", 0) != 0)
            continue;
        std::istringstream flags(line.substr(line.find(':') + 1));
        for (std::string flag; flags >> flag;)
            if (flag == "vmx" || flag == "svm")
                facts.cpu_has_virt_flag = true;
        break;  // every CPU lists the same flags
    }
    return facts;
}

std::uint64_t available_memory_bytes() {
    std::istringstream meminfo(read_file_or("/proc/meminfo", ""));
    for (std::string key; meminfo >> key;) {
        std::uint64_t value = 0;
        meminfo >> value;
        if (key == "MemAvailable:")
            return value * 1024;
        meminfo.ignore(64, '\n');
    }
    return 0;
}

std::uint64_t free_disk_bytes(const std::string& path) {
    std::filesystem::path probe(path);
    std::error_code ec;
    while (!probe.empty() && !std::filesystem::exists(probe, ec))
        probe = probe.parent_path();
    struct statvfs stats {};
    if (::statvfs(probe.empty() ? "/" : probe.c_str(), &stats) != 0)
        return 0;
    return static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
}

std::string fast_firmware() {
    // Checked on this machine: vmctl's daemons (this one and the lab hosts)
    // all run here, and QEMU reads the ROM as itself.
    return ::access(kQbootRom, R_OK) == 0 ? std::string(kQbootRom) : std::string();
}

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0)
            return true;
    return false;
}

std::string bridge_helper_problem(const std::string& bridge) {
    struct stat helper {};
    if (::stat(("/sys/class/net/" + bridge).c_str(), &helper) != 0)
        return fmt::format("there is no bridge {} on this host", bridge);
    if (::stat(kBridgeHelper, &helper) != 0 || helper.st_uid != 0 || (helper.st_mode & S_ISUID) == 0)
        return fmt::format("{} is not setuid root", kBridgeHelper);
    std::istringstream conf(read_file_or(kBridgeHelperConf, ""));
    for (std::string line; std::getline(conf, line);)
        if (trim(line) == "allow " + bridge)
            return {};
    return fmt::format("{} does not allow {}", kBridgeHelperConf, bridge);
}

double load_per_cpu() {
    double load = 0;
    std::istringstream(read_file_or("/proc/loadavg", "")) >> load;
    const unsigned cpus = std::thread::hardware_concurrency();
    return cpus == 0 ? load : load / cpus;
}

}  // namespace vmctl::host
