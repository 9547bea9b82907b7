#include "vmctl/host/process.h"

#include "vmctl/host/files.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace vmctl::host {
namespace {

std::optional<std::string> pid_dir_for(const std::string& uri) {
    if (uri.rfind("qemu:///system", 0) == 0)
        return std::string("/run/libvirt/qemu");
    if (uri.rfind("qemu:///session", 0) == 0) {
        const char* runtime = std::getenv("XDG_RUNTIME_DIR");
        const char* home = std::getenv("HOME");
        if (runtime != nullptr && *runtime != '\0')
            return std::string(runtime) + "/libvirt/qemu/run";
        if (home != nullptr)
            return std::string(home) + "/.cache/libvirt/qemu/run";
    }
    return std::nullopt;
}

}  // namespace

std::optional<int> qemu_pid(const std::string& uri, const std::string& name) {
    const auto dir = pid_dir_for(uri);
    if (!dir)
        return std::nullopt;
    const std::string text = trim(read_file_or(*dir + "/" + name + ".pid", ""));
    if (text.empty())
        return std::nullopt;
    const int pid = std::atoi(text.c_str());
    // The pid file can outlive the process; trust it only if QEMU runs this guest.
    const std::string cmdline = read_file_or("/proc/" + std::to_string(pid) + "/cmdline", "");
    if (pid <= 0 || cmdline.find("guest=" + name) == std::string::npos)
        return std::nullopt;
    return pid;
}

std::optional<std::chrono::seconds> process_age(int pid) {
    const std::string stat = read_file_or("/proc/" + std::to_string(pid) + "/stat", "");
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    // Fields after the command name; starttime is field 22 overall, the 20th here.
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 0; i < 20 && fields >> field; ++i) {
    }
    const double ticks = std::atof(field.c_str());
    const double uptime = std::atof(read_file_or("/proc/uptime", "0").c_str());
    const double started = ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
    if (uptime < started)
        return std::nullopt;
    return std::chrono::seconds(static_cast<long>(uptime - started));
}

std::optional<std::uint64_t> process_rss_bytes(int pid) {
    std::istringstream status(read_file_or("/proc/" + std::to_string(pid) + "/status", ""));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
    return std::nullopt;
}

}  // namespace vmctl::host
