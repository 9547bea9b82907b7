#include "vmctl/host/ssh_keys.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/spawn.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace vmctl::host {

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

}  // namespace vmctl::host
