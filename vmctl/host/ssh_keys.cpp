#include "vmctl/host/ssh_keys.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/spawn.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace vmctl::host {
namespace {

std::string mux_dir(const Paths& paths) {
    return paths.data_dir + "/ssh/mux";
}

// The first 8 characters of the UUID tell one user's VMs apart.
std::string mux_prefix(const std::string& uuid) {
    return uuid.substr(0, 8) + "-";
}

}  // namespace

SshKey ssh_key(const Paths& paths) {
    const std::string dir = paths.data_dir + "/ssh";
    make_dirs(dir);
    ::chmod(dir.c_str(), 0700);
    SshKey key{dir + "/id_ed25519", ""};
    const std::string public_path = key.private_key + ".pub";
    const auto read_public = [&] { return trim(read_file_or(public_path, "")); };
    key.public_key = read_public();
    if (!key.public_key.empty() && std::filesystem::exists(key.private_key))
        return key;

    const FileLock lock(dir + "/.lock");
    key.public_key = read_public();
    if (!key.public_key.empty() && std::filesystem::exists(key.private_key))
        return key;  // another vmctl made it while this one waited
    std::error_code ec;
    std::filesystem::remove(key.private_key, ec);
    std::filesystem::remove(public_path, ec);
    const int status = run_program({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vmctl", "-f",
                                    key.private_key},
                                   Stdio::Quiet);
    key.public_key = read_public();
    if (status != 0 || key.public_key.empty())
        throw Error(ErrorKind::OperationFailed, fmt::format("ssh-keygen could not make vmctl's key in {}", dir),
                    "install openssh-client, or check that you own that directory");
    return key;
}

std::string ssh_control_path(const Paths& paths, const std::string& uuid, unsigned run_id, const std::string& ip) {
    // sun_path holds 107 characters; ssh first binds a name 17 longer.
    constexpr std::size_t kLongest = 107 - 17;
    const std::string path = fmt::format("{}/{}{}-{}", mux_dir(paths), mux_prefix(uuid), run_id, ip);
    if (uuid.empty() || path.size() > kLongest)
        return "";
    make_dirs(mux_dir(paths));
    ::chmod(mux_dir(paths).c_str(), 0700);
    return path;
}

void close_ssh_connections(const Paths& paths, const std::string& uuid) {
    std::error_code ec;
    if (uuid.empty() || !std::filesystem::is_directory(mux_dir(paths), ec))
        return;
    for (const auto& entry : std::filesystem::directory_iterator(mux_dir(paths), ec)) {
        const std::string path = entry.path().string();
        if (entry.path().filename().string().rfind(mux_prefix(uuid), 0) != 0 || !entry.is_socket(ec))
            continue;
        run_program({"ssh", "-o", "ControlPath=" + path, "-O", "exit", "vmctl-vm"}, Stdio::Quiet);
        std::filesystem::remove(path, ec);
    }
}

}  // namespace vmctl::host
