#include "vmctl/host/seed_disk.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/shell.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace vmctl::host {
namespace {

// A folder of this user's alone, removed with the object.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "vmctl-seed.XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw Error(ErrorKind::OperationFailed, "could not make a temporary folder for the cloud-init seed",
                        "check that /tmp (or $TMPDIR) is writable and not full");
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

}  // namespace

void write_seed_disk(const CloudInitSeed& seed, const std::string& path) {
    const TempDir dir;
    write_file_atomically(dir.path() + "/user-data", seed.user_data);
    write_file_atomically(dir.path() + "/meta-data", seed.meta_data);
    // 1 MiB is plenty: a startup script is at most 32 KiB. The label is what
    // cloud-init looks for.
    const std::string script = fmt::format(
        "command -v mkfs.vfat >/dev/null || {{ echo 'mkfs.vfat not found: install dosfstools'; exit 127; }}\n"
        "command -v mcopy >/dev/null || {{ echo 'mcopy not found: install mtools'; exit 127; }}\n"
        "mkfs.vfat -C -n CIDATA seed.img 1024 >/dev/null &&\n"
        "MTOOLS_SKIP_CHECK=1 mcopy -i seed.img user-data meta-data :: &&\n"
        "qemu-img convert -q -f raw -O qcow2 seed.img {0} &&\n"
        "chmod 600 {0}\n",  // the startup script may hold what others should not read
        shell_quote(path));
    ShellOptions options;
    options.directory = dir.path();
    options.timeout = std::chrono::seconds(60);
    const ShellResult result = run_shell(script, options);
    if (result.exit_code != 0) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("could not make the cloud-init seed disk {}: {}", path, result.output),
                    result.exit_code == 127 ? "install the package named above (scripts/setup.sh does)"
                                            : "check that the disk is not full");
    }
}

}  // namespace vmctl::host
