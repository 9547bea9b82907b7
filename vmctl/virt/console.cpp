#include "vmctl/virt/console.h"

#include "vmctl/virt/handles.h"
#include "vmctl/virt/libvirt_error.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace vmctl::virt {
namespace {

struct ConsoleSession {
    virStreamPtr stream = nullptr;
    int in_fd = 0;
    int out_fd = 1;
    char escape = 0x1d;
    bool done = false;
    bool failed = false;
};

void write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0)
            return;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void on_stream(virStreamPtr stream, int events, void* opaque) {
    auto* session = static_cast<ConsoleSession*>(opaque);
    if ((events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP)) != 0) {
        session->done = true;
        return;
    }
    std::array<char, 4096> buffer{};
    for (;;) {
        const int got = virStreamRecv(stream, buffer.data(), buffer.size());
        if (got > 0) {
            write_all(session->out_fd, buffer.data(), static_cast<std::size_t>(got));
            continue;
        }
        if (got == -2)  // nothing more for now
            return;
        session->failed = got < 0;
        session->done = true;
        return;
    }
}

// Sends all of `data` to the guest; false when the stream failed. The stream
// is non-blocking: a full buffer (-2) is retried for up to a second.
bool send_all(virStreamPtr stream, std::string_view data) {
    for (int busy = 0; !data.empty();) {
        const int sent = virStreamSend(stream, data.data(), data.size());
        if (sent > 0) {
            data.remove_prefix(static_cast<std::size_t>(sent));
            busy = 0;
        } else if (sent == -2 && ++busy < 1000) {
            ::usleep(1000);
        } else {
            return false;
        }
    }
    return true;
}

void on_input(int /*watch*/, int fd, int /*events*/, void* opaque) {
    auto* session = static_cast<ConsoleSession*>(opaque);
    std::array<char, 1024> buffer{};
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got <= 0) {
        session->done = true;
        return;
    }
    std::string_view input(buffer.data(), static_cast<std::size_t>(got));
    const auto escape_at = input.find(session->escape);
    const std::string_view to_send = input.substr(0, escape_at);
    if (!to_send.empty() && !send_all(session->stream, to_send)) {
        session->failed = true;
        session->done = true;
        return;
    }
    if (escape_at != std::string_view::npos)
        session->done = true;
}

}  // namespace

void run_console(virConnectPtr conn, virDomainPtr dom, const std::string& name, int in_fd, int out_fd,
                 char escape) {
    StreamHandle stream(virStreamNew(conn, VIR_STREAM_NONBLOCK));
    if (!stream)
        throw last_error("open a console stream");
    // FORCE takes the console over from a session a student forgot in another terminal.
    if (virDomainOpenConsole(dom, nullptr, stream.get(), VIR_DOMAIN_CONSOLE_FORCE) < 0)
        throw last_error(fmt::format("open the console of VM '{}'", name),
                         fmt::format("the VM must be running: 'vmctl start {}'", name));

    ConsoleSession session{stream.get(), in_fd, out_fd, escape};
    if (virStreamEventAddCallback(stream.get(),
                                  VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP,
                                  on_stream, &session, nullptr) < 0)
        throw last_error("watch the console stream");
    const int watch = virEventAddHandle(in_fd, VIR_EVENT_HANDLE_READABLE, on_input, &session, nullptr);
    if (watch < 0) {
        // Without it the keyboard would silently do nothing.
        virStreamEventRemoveCallback(stream.get());
        virStreamAbort(stream.get());
        throw last_error("read the keyboard for the console");
    }
    while (!session.done) {
        if (virEventRunDefaultImpl() < 0) {
            session.failed = true;
            break;
        }
    }
    virEventRemoveHandle(watch);
    virStreamEventRemoveCallback(stream.get());
    virStreamAbort(stream.get());
    if (session.failed)
        throw Error(ErrorKind::OperationFailed, fmt::format("the console of VM '{}' broke off", name),
                    fmt::format("see whether it still runs with 'vmctl info {}', then attach again", name));
}

}  // namespace vmctl::virt
