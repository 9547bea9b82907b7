#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl::host {

// The whole file, or `fallback` when it cannot be read.
std::string read_file_or(const std::string& path, const std::string& fallback);

// The value of `key` in "key=value" lines, or "".
std::string manifest_value(std::string_view text, std::string_view key);

std::string trim(std::string_view text);

// A file the user named on the command line (a startup script, a deployment
// or demo file, a price sheet), `what` naming it in errors. Under sudo
// (running as root with SUDO_UID naming another user) it is opened as that
// user, so `sudo vmctl` reads nothing they could not read themselves. Only
// regular files. Throws Error(NotFound) when it does not exist, else
// Error(InvalidArgument) with the reason.
std::string read_named_file(const std::string& path, std::string_view what);

// The same, copied to `destination` (a new file, mode 0600) instead of read
// into memory: for large files such as a cloud image. On failure nothing is
// left at `destination`.
void copy_named_file(const std::string& path, std::string_view what, const std::string& destination);

// Who runs vmctl: the user behind `sudo` (SUDO_UID naming another user while
// running as root), else the effective user. `name` is the login name (the
// uid in digits when the user database does not know it).
struct InvokingUser {
    unsigned uid = 0;
    unsigned gid = 0;
    std::string name;
    bool via_sudo = false;
};
InvokingUser invoking_user();

// Whether `user` is a member of the group named `group` (its primary group
// or a supplementary one); false when the group does not exist.
bool in_group(const InvokingUser& user, const std::string& group);

// The group of instructors: under sudo, what is for them alone (the class's
// progress, building the shared images) asks for membership.
inline constexpr const char* kInstructorsGroup = "vmctl-instructors";

// Under sudo, throws Error(Unsupported) unless the user behind it is root or
// in kInstructorsGroup: "`what` is for instructors", with how an instructor
// adds them and `otherwise`, what a student can do instead.
void require_instructor(std::string_view what, std::string_view otherwise);

// The first and the last line of a text, trimmed: what a script or a command
// said first, and what it said last (usually why it failed).
std::string first_line(std::string_view text);
std::string last_line(std::string_view text);

// Writes a file the user named on the command line (a page to project).
// Under sudo it is written as that user, so `sudo vmctl` writes nothing
// they could not write themselves and the file is theirs; otherwise as
// write_file_atomically. Throws Error(OperationFailed) naming it.
void write_named_file(const std::string& path, const std::string& text, std::string_view what);

// Creates `dir` and its parents; throws Error(OperationFailed) naming it on failure.
void make_dirs(const std::string& dir);

// Whether `path` names an entry directly inside `dir`, after resolving
// links and ".." in both.
bool is_inside(const std::string& path, const std::string& dir);

// Throws Error(InvalidState) unless `path` lies directly inside one of
// `dirs`: what vmctl deletes is always its own.
void require_inside(const std::string& path, const std::vector<std::string>& dirs);

// Creates `dir` (and its parents) for this user alone: mode 0700, refusing a
// `dir` that is a symbolic link or someone else's. Throws Error(OperationFailed).
void make_private_dir(const std::string& dir);

// Writes `text` to a temporary file made safely beside `path` (mkstemp),
// syncs it and renames it over `path`, so that a reader never sees half a
// file, even after a crash. The file is the user's alone (0600). Creates the
// directory; throws Error(OperationFailed) naming the file on failure.
void write_file_atomically(const std::string& path, const std::string& text);

// Appends `text` (whole lines) to `path` in one write, creating it as the
// user's alone (0600; an older file readable by others is made so too).
// Throws Error(OperationFailed) naming the file on failure.
void append_to_file(const std::string& path, const std::string& text);

// An exclusive flock on the file at `path` (created 0600 if missing), held
// until the object goes; for work several vmctl processes may do at once.
// Throws Error(OperationFailed) naming the file when it cannot be locked.
class FileLock {
public:
    enum class Wait { Yes, No };
    // With Wait::No it does not block: held() says whether it got the lock.
    explicit FileLock(const std::string& path, Wait wait = Wait::Yes);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    bool held() const { return m_fd >= 0; }

private:
    int m_fd;
};

}  // namespace vmctl::host
