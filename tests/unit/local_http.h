#pragma once

// A one-shot HTTP server on 127.0.0.1 for tests: it accepts one connection,
// reads the request up to its blank line, answers with `page` and closes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace vmctl::testing {

class LocalHttp {
public:
    explicit LocalHttp(std::string page) : m_page(std::move(page)) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        ::listen(m_listen, 4);
        m_thread = std::thread([this] { serve(); });
    }
    ~LocalHttp() {
        ::shutdown(m_listen, SHUT_RDWR);
        m_thread.join();
        ::close(m_listen);
    }
    std::uint16_t port() const { return m_port; }
    bool answered() const { return m_answered; }
    const std::string& request() const { return m_request; }  // once answered()

private:
    void serve() {
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0)
            return;
        std::array<char, 512> buffer{};
        while (m_request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n <= 0)
                break;
            m_request.append(buffer.data(), static_cast<std::size_t>(n));
        }
        const std::string answer = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + m_page;
        [[maybe_unused]] const auto sent = ::write(fd, answer.data(), answer.size());
        ::close(fd);
        m_answered = true;
    }

    std::string m_page;
    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::string m_request;
    std::atomic<bool> m_answered{false};
    std::thread m_thread;
};

}  // namespace vmctl::testing
