#pragma once

#include <stdexcept>
#include <string>

namespace vmctl {

// What went wrong, in categories a user can act on. Each kind has its own
// documented exit code (see README "Exit codes"), so scripts and labs can tell
// "the VM does not exist" from "libvirt is not running".
enum class ErrorKind {
    Internal,         // a bug or an unexpected failure
    Usage,            // unknown command or option, missing argument
    InvalidArgument,  // a value that is not acceptable (name, size, label, machine type)
    NotFound,         // no such VM, snapshot or volume
    AlreadyExists,    // the name is taken
    InvalidState,     // the VM is in the wrong state for the operation
    Unreachable,      // libvirt (or a host) does not answer
    ImageMissing,     // the guest image is unknown or not built
    Timeout,          // waited and gave up
    Unsupported,      // the hypervisor cannot do this here
    HostCheckFailed,  // `vmctl doctor` found a problem
    OperationFailed,  // libvirt refused or failed an operation
    FileInvalid,      // a lab, demo or deployment file has a mistake (file:line:column)
    CheckFailed,      // a lab check ran and did not pass
    NetworkUnavailable,  // the VM network is missing or down, or a VM has no address
    Interrupted,         // Ctrl-C or SIGTERM: the operation stopped and undid its work
    StartupFailed,       // the VM runs, but its startup script or cloud-init failed; it stays for a look
    AddressInUse,        // a server's port is taken by another program (`vmctl dashboard --port`)
};

// The process exit code for each kind; documented in the README.
int exit_code(ErrorKind kind);

// A short stable name for each kind ("not-found"), used in --json error output.
const char* kind_name(ErrorKind kind);

// The one exception family of vmctl. `message` names the problem, `hint` says
// what to do next; the CLI prints both on one line. `libvirt_code` keeps the
// libvirt error number (virErrorNumber) when the failure came from libvirt.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string message, std::string hint = {}, int libvirt_code = 0);

    ErrorKind kind() const { return m_kind; }
    const std::string& hint() const { return m_hint; }
    // The message and, when there is one, the fix: "problem; what to do".
    std::string line() const;
    int libvirt_code() const { return m_libvirt_code; }

private:
    ErrorKind m_kind;
    std::string m_hint;
    int m_libvirt_code;
};

}  // namespace vmctl
