#include "vmctl/host/files.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
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

namespace {

struct Invoker {
    uid_t uid;
    gid_t gid;
    std::string name;
};

// The user who ran `sudo vmctl`, when that is how vmctl runs.
std::optional<Invoker> sudo_invoker() {
    const char* uid = std::getenv("SUDO_UID");
    const char* gid = std::getenv("SUDO_GID");
    if (::geteuid() != 0 || uid == nullptr || gid == nullptr)
        return std::nullopt;
    char* end = nullptr;
    const unsigned long u = std::strtoul(uid, &end, 10);
    if (*uid == '\0' || *end != '\0' || u == 0)
        return std::nullopt;
    const unsigned long g = std::strtoul(gid, &end, 10);
    if (*gid == '\0' || *end != '\0')
        return std::nullopt;
    const passwd* pw = ::getpwuid(static_cast<uid_t>(u));
    return Invoker{static_cast<uid_t>(u), static_cast<gid_t>(g), pw != nullptr ? pw->pw_name : std::string(uid)};
}

}  // namespace

InvokingUser invoking_user() {
    if (const auto invoker = sudo_invoker())
        return {invoker->uid, invoker->gid, invoker->name, true};
    const uid_t uid = ::geteuid();
    const passwd* pw = ::getpwuid(uid);
    return {uid, ::getegid(), pw != nullptr ? pw->pw_name : std::to_string(uid), false};
}

namespace {

// The groups of a user, primary and supplementary.
std::vector<gid_t> group_list(const std::string& name, gid_t gid) {
    int size = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(size));
    if (::getgrouplist(name.c_str(), gid, groups.data(), &size) < 0) {
        groups.resize(static_cast<std::size_t>(std::max(size, 0)));  // the size it needs
        if (::getgrouplist(name.c_str(), gid, groups.data(), &size) < 0)
            size = 0;
    }
    groups.resize(static_cast<std::size_t>(std::max(size, 0)));
    return groups;
}

// The groups of the user behind sudo, found before a fork (the user
// database is not safe to ask in the child of a process with threads).
std::vector<gid_t> groups_of(const Invoker& invoker) { return group_list(invoker.name, invoker.gid); }

}  // namespace

bool in_group(const InvokingUser& user, const std::string& group) {
    const struct group* entry = ::getgrnam(group.c_str());
    if (entry == nullptr)
        return false;
    const auto groups = group_list(user.name, user.gid);
    return user.gid == entry->gr_gid || std::find(groups.begin(), groups.end(), entry->gr_gid) != groups.end();
}

namespace {

// In a child: becomes the user behind sudo, for good.
bool take_identity(const Invoker& invoker, const std::vector<gid_t>& groups) {
    return ::setgroups(groups.size(), groups.data()) == 0 && ::setgid(invoker.gid) == 0 && ::setuid(invoker.uid) == 0;
}

// Opens a regular file for reading without blocking on a FIFO or a device; -1 with errno.
int open_regular(const char* path) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

}  // namespace

namespace {

// Streams the named file to `sink`, read as the user behind sudo when there
// is one (see read_named_file).
void stream_named_file(const std::string& path, std::string_view what,
                       const std::function<void(std::string_view)>& sink) {
    const auto fail = [&](int error, const std::string& as) -> Error {
        if (error == ENOENT)
            return Error(ErrorKind::NotFound, fmt::format("the {} '{}' does not exist", what, path),
                         "check the path (relative paths start in the current folder)");
        return Error(ErrorKind::InvalidArgument,
                     fmt::format("cannot read the {} '{}'{}: {}", what, path, as,
                                 error == EINVAL ? "not a regular file" : std::strerror(error)),
                     as.empty() ? "give a file you can read" : "give a file that you can read without sudo");
    };
    const auto invoker = sudo_invoker();
    if (!invoker) {
        const int fd = open_regular(path.c_str());
        if (fd < 0)
            throw fail(errno, "");
        char buffer[65536];
        for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                const int error = errno;
                ::close(fd);
                throw fail(error, "");
            }
            sink(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
        ::close(fd);
        return;
    }
    // A child takes the user's identity, opens the file and streams it back.
    const std::vector<gid_t> groups = groups_of(*invoker);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw fail(errno, "");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        if (!take_identity(*invoker, groups))
            ::_exit(EPERM);
        const int fd = open_regular(path.c_str());
        if (fd < 0)
            ::_exit(errno > 0 && errno < 256 ? errno : EIO);
        char buffer[8192];
        for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 || !write_all(fds[1], std::string_view(buffer, static_cast<std::size_t>(n))))
                ::_exit(EIO);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    char buffer[65536];
    std::exception_ptr failed;
    for (ssize_t n; pid > 0 && (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        try {
            sink(std::string_view(buffer, static_cast<std::size_t>(n)));
        } catch (...) {
            failed = std::current_exception();
            break;  // closing the pipe ends the child
        }
    }
    ::close(fds[0]);
    int status = 0;
    const bool reaped = pid > 0 && ::waitpid(pid, &status, 0) == pid;
    if (failed)
        std::rethrow_exception(failed);
    if (!reaped || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw fail(reaped && WIFEXITED(status) ? WEXITSTATUS(status) : EIO,
                   fmt::format(" as {} (vmctl runs under sudo and reads named files as you)", invoker->name));
}

}  // namespace

std::string read_named_file(const std::string& path, std::string_view what) {
    std::string text;
    stream_named_file(path, what, [&text](std::string_view chunk) { text.append(chunk); });
    return text;
}

void copy_named_file(const std::string& path, std::string_view what, const std::string& destination) {
    const int out = ::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("could not create {}: {}", destination, std::strerror(errno)),
                    "check that the disk is not full");
    try {
        stream_named_file(path, what, [&](std::string_view chunk) {
            if (!write_all(out, chunk))
                throw Error(ErrorKind::OperationFailed,
                            fmt::format("could not write {}: {}", destination, std::strerror(errno)),
                            "check that the disk has room for it");
        });
    } catch (...) {
        ::close(out);
        ::unlink(destination.c_str());
        throw;
    }
    ::close(out);
}

void write_named_file(const std::string& path, const std::string& text, std::string_view what) {
    const auto invoker = sudo_invoker();
    if (!invoker) {
        write_file_atomically(path, text);
        return;
    }
    // A child takes the user's identity and writes the file; nothing in it
    // allocates (the parent may have threads).
    const std::vector<gid_t> groups = groups_of(*invoker);
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!take_identity(*invoker, groups))
            ::_exit(EPERM);
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
            ::_exit(errno > 0 && errno < 256 ? errno : EIO);
        ::_exit(write_all(fd, text) && ::fsync(fd) == 0 && ::close(fd) == 0 ? 0 : EIO);
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("cannot write the {} '{}' as {} (vmctl runs under sudo and writes named files as "
                                "you): {}",
                                what, path, invoker->name,
                                std::strerror(pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : EIO)),
                    "name a file in a folder you can write without sudo");
}

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

FileLock::FileLock(const std::string& path, Wait wait)
    : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (m_fd >= 0 && ::flock(m_fd, wait == Wait::No ? LOCK_EX | LOCK_NB : LOCK_EX) == 0)
        return;
    const bool busy = m_fd >= 0 && wait == Wait::No && errno == EWOULDBLOCK;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (!busy)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not lock {}", path),
                    "check that you own vmctl's data directory");
}

FileLock::~FileLock() {
    if (m_fd >= 0)
        ::close(m_fd);
}

void require_instructor(std::string_view what, std::string_view otherwise) {
    const InvokingUser user = invoking_user();
    if (!user.via_sudo || user.uid == 0 || in_group(user, kInstructorsGroup))
        return;
    throw Error(ErrorKind::Unsupported,
                fmt::format("{} is for instructors, and {} is not in the group {}", what, user.name, kInstructorsGroup),
                fmt::format("an instructor adds them with 'sudo adduser {} {}'; {}", user.name, kInstructorsGroup,
                            otherwise));
}

}  // namespace vmctl::host
