#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <string>
#include <utility>

namespace vmctl {

int exit_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Internal: return 1;
    case ErrorKind::Usage: return 2;
    case ErrorKind::InvalidArgument: return 3;
    case ErrorKind::NotFound: return 4;
    case ErrorKind::AlreadyExists: return 5;
    case ErrorKind::InvalidState: return 6;
    case ErrorKind::Unreachable: return 7;
    case ErrorKind::ImageMissing: return 8;
    case ErrorKind::Timeout: return 9;
    case ErrorKind::Unsupported: return 10;
    case ErrorKind::HostCheckFailed: return 11;
    case ErrorKind::OperationFailed: return 12;
    case ErrorKind::FileInvalid: return 13;
    case ErrorKind::CheckFailed: return 14;
    case ErrorKind::NetworkUnavailable: return 15;
    case ErrorKind::StartupFailed: return 16;
    case ErrorKind::AddressInUse: return 17;
    case ErrorKind::Interrupted: return 130;  // 128 + SIGINT, as shells report it
    }
    return 1;
}

const char* kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Internal: return "internal";
    case ErrorKind::Usage: return "usage";
    case ErrorKind::InvalidArgument: return "invalid-argument";
    case ErrorKind::NotFound: return "not-found";
    case ErrorKind::AlreadyExists: return "already-exists";
    case ErrorKind::InvalidState: return "invalid-state";
    case ErrorKind::Unreachable: return "unreachable";
    case ErrorKind::ImageMissing: return "image-missing";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::HostCheckFailed: return "host-check-failed";
    case ErrorKind::OperationFailed: return "operation-failed";
    case ErrorKind::FileInvalid: return "file-invalid";
    case ErrorKind::CheckFailed: return "check-failed";
    case ErrorKind::NetworkUnavailable: return "network-unavailable";
    case ErrorKind::StartupFailed: return "startup-failed";
    case ErrorKind::AddressInUse: return "address-in-use";
    case ErrorKind::Interrupted: return "interrupted";
    }
    return "internal";
}

namespace {

// Every error is printed as one line: a newline or another control character
// from a file, a guest or libvirt is shown escaped, and a huge value is cut.
std::string one_line(std::string text) {
    constexpr std::size_t kMaxChars = 2000;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();  // QEMU's and libvirt's messages often end in a newline
    if (text.size() > kMaxChars)
        text = text.substr(0, kMaxChars) + "...";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (byte < 0x20 || byte == 0x7f)
            out += fmt::format("\\x{:02x}", byte);
        else
            out += c;
    }
    return out;
}

}  // namespace

Error::Error(ErrorKind kind, std::string message, std::string hint, int libvirt_code)
    : std::runtime_error(one_line(std::move(message))), m_kind(kind), m_hint(one_line(std::move(hint))),
      m_libvirt_code(libvirt_code) {}

std::string Error::line() const { return m_hint.empty() ? std::string(what()) : std::string(what()) + "; " + m_hint; }

}  // namespace vmctl
