#include "vmctl/host/files.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vmctl::host {

std::string read_file_or(const std::string& path, const std::string& fallback) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fallback;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::string manifest_value(std::string_view text, std::string_view key) {
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == '=')
            return trim(line.substr(key.size() + 1));
        start = end + 1;
    }
    return {};
}

std::string first_line(std::string_view text) {
    const std::string trimmed = trim(text);
    const auto newline = trimmed.find('\n');
    return newline == std::string::npos ? trimmed : trimmed.substr(0, newline);
}

std::string last_line(std::string_view text) {
    const std::string trimmed = trim(text);
    const auto newline = trimmed.rfind('\n');
    return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

void make_dirs(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not create directory {}: {}", dir, ec.message()),
                    "check the permissions of its parent, or set VMCTL_HOME to a directory you own");
}

bool is_inside(const std::string& path, const std::string& dir) {
    std::error_code ec;
    const auto parent = std::filesystem::weakly_canonical(std::filesystem::path(path).lexically_normal(), ec)
                            .parent_path();
    return !ec && !path.empty() && parent == std::filesystem::weakly_canonical(dir, ec) && !ec;
}

void require_inside(const std::string& path, const std::vector<std::string>& dirs) {
    for (const auto& dir : dirs)
        if (is_inside(path, dir))
            return;
    throw Error(ErrorKind::InvalidState, fmt::format("{} is not inside vmctl's folders ({})", path, fmt::join(dirs, ", ")),
                "vmctl deletes only what it made there; remove it yourself if you mean to");
}

void make_private_dir(const std::string& dir) {
    make_dirs(std::filesystem::path(dir).parent_path().string());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not create directory {}: {}", dir, std::strerror(errno)),
                    "check the permissions of its parent, or set VMCTL_HOME to a directory you own");
    // lstat: a link planted in its place is not followed.
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
        throw Error(ErrorKind::OperationFailed, fmt::format("{} is not a directory of yours", dir),
                    "remove it, then try again");
    ::chmod(dir.c_str(), 0700);
}

namespace {

// Writes all of `text` to `fd`; false (errno set) when it could not.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
    make_dirs(std::filesystem::path(path).parent_path().string());
    std::string temp = path + ".XXXXXX";
    const int fd = ::mkstemp(temp.data());  // a new file of ours, 0600: never one planted there
    if (fd < 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not write beside {}: {}", path, std::strerror(errno)),
                    "check the permissions of its directory");
    const bool written = write_all(fd, text) && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = written ? errno : saved;
        ::unlink(temp.c_str());
        throw Error(ErrorKind::OperationFailed, fmt::format("could not write {}: {}", path, std::strerror(error)),
                    "check the free disk space and the permissions of its directory");
    }
}

void append_to_file(const std::string& path, const std::string& text) {
    make_dirs(std::filesystem::path(path).parent_path().string());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not write {}: {}", path, std::strerror(errno)),
                    "check the permissions of vmctl's data directory");
    ::fchmod(fd, 0600);
    const bool written = write_all(fd, text);
    const int saved = errno;
    ::close(fd);
    if (!written)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not write {}: {}", path, std::strerror(saved)),
                    "check the free disk space of vmctl's data directory");
}

FileLock::FileLock(const std::string& path) : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0) {
        if (m_fd >= 0)
            ::close(m_fd);
        throw Error(ErrorKind::OperationFailed, fmt::format("could not lock {}", path),
                    "check that you own vmctl's data directory");
    }
}

FileLock::~FileLock() { ::close(m_fd); }

}  // namespace vmctl::host
