#include "vmctl/host/paths.h"

#include <unistd.h>

#include <cstdlib>

#ifndef VMCTL_SOURCE_DIR
#define VMCTL_SOURCE_DIR "."
#endif

namespace vmctl::host {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

constexpr const char* kSystemDataDir = "/var/lib/vmctl";

}  // namespace

std::string system_data_dir() { return kSystemDataDir; }

bool is_root() { return ::geteuid() == 0; }

std::string source_dir() { return VMCTL_SOURCE_DIR; }

std::string prepare_host_command() {
    return std::string(is_root() ? "" : "sudo ") + source_dir() + "/scripts/prepare-host.sh";
}

Paths default_paths() {
    std::string user_dir = kSystemDataDir;
    if (!is_root()) {
        const std::string home = env_or("HOME", "/tmp");
        user_dir = env_or("XDG_DATA_HOME", home + "/.local/share") + "/vmctl";
    }
    const std::string data_dir = env_or("VMCTL_HOME", user_dir);
    Paths paths;
    paths.data_dir = data_dir;
    paths.pool_dir = data_dir + "/pool";
    paths.logs_dir = data_dir + "/logs";
    paths.golden_dir = data_dir + "/golden";
    paths.image_dirs.push_back(data_dir + "/images");
    // Images built by root for the whole machine serve every other user.
    if (!is_root() && data_dir != kSystemDataDir)
        paths.image_dirs.push_back(std::string(kSystemDataDir) + "/images");
    return paths;
}

}  // namespace vmctl::host
