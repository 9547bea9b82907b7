#pragma once

// A private VMCTL_HOME with a fake built image, so operations can run against
// the in-memory hypervisor without touching the real data directory.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "vmctl/core/error.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/environment.h"

namespace vmctl::testing {

// The kind of vmctl::Error that `call` throws, or Internal when it throws none.
inline ErrorKind failure_kind(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        return e.kind();
    }
    return ErrorKind::Internal;
}

class TempHome {
public:
    TempHome() {
        char pattern[] = "/tmp/vmctl-unit-XXXXXX";
        m_dir = ::mkdtemp(pattern);
        ::setenv("VMCTL_HOME", m_dir.c_str(), 1);
        const std::string image = m_dir + "/images/tiny";
        std::filesystem::create_directories(image);
        std::ofstream(image + "/vmlinux") << "ELF";
        std::ofstream(image + "/initrd.img") << "cpio";
        std::ofstream(image + "/cmdline") << "quiet\n";
        std::ofstream(image + "/manifest") << "kernel_release=6.1.0-fake\n";
    }
    ~TempHome() {
        ::unsetenv("VMCTL_HOME");
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    TempHome(const TempHome&) = delete;
    TempHome& operator=(const TempHome&) = delete;

    const std::string& dir() const { return m_dir; }

    ops::Environment env() const {
        ops::Environment env;
        env.uri = "fake:///";
        env.paths = host::default_paths();
        env.cpu = {false, false};
        return env;
    }

private:
    std::string m_dir;
};

}  // namespace vmctl::testing
