#include "vmctl/web/dashboard_server.h"

#include "vmctl/core/error.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <thread>

namespace vmctl::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// The value of `key` in a query string ("a=1&token=x"), or nothing.
std::optional<std::string_view> query_value(std::string_view query, std::string_view key) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=')
            return pair.substr(key.size() + 1);
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

// Compares in time independent of where the first difference is.
bool same_token(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Sends `hub`'s changes as server-sent events named `event` until the
// client goes or `stopping`.
void stream(tcp::socket& socket, DashboardHub& hub, const char* event, const std::atomic<bool>& stopping) {
    boost::system::error_code ec;
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "Connection: keep-alive\r\n\r\nretry: 2000\n\n";
    asio::write(socket, asio::buffer(head), ec);
    DashboardHub::Seen seen;
    while (!ec && !stopping) {
        const auto changes = hub.wait_for_changes(seen, std::chrono::seconds(15));
        std::string text;
        for (const auto& json : changes)
            text += fmt::format("event: {}\ndata: {}\n\n", event, json);
        if (changes.empty())
            text = ": still here\n\n";  // finds a closed page within 15 s
        asio::write(socket, asio::buffer(text), ec);
    }
}

}  // namespace

Route route_request(std::string_view method, std::string_view target, std::string_view token,
                    std::string_view class_token) {
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
    const bool class_path = !class_token.empty() && (path == "/class" || path == "/class/events");
    const std::string_view needed = class_path ? class_token : token;
    if (!needed.empty()) {
        const auto given = query_value(query, "token");
        if (!given || !same_token(*given, needed))
            return Route::Forbidden;
    }
    if (method != "GET")
        return Route::MethodNotAllowed;
    if (class_path)
        return path == "/class" ? Route::ClassPage : Route::ClassEvents;
    if (path == "/")
        return Route::Page;
    if (path == "/events")
        return Route::Events;
    if (path == "/state")
        return Route::State;
    return Route::NotFound;
}

std::string random_token() {
    std::random_device random;  // /dev/urandom on Linux
    std::string token;
    for (int i = 0; i < 4; ++i)
        token += fmt::format("{:08x}", static_cast<std::uint32_t>(random()));
    return token;
}

struct DashboardServer::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io};
};

DashboardServer::DashboardServer(ServerOptions options, DashboardHub& hub, std::string page, ClassPage class_page)
    : m_options(std::move(options)), m_hub(hub), m_page(std::move(page)), m_class(std::move(class_page)),
      m_impl(std::make_unique<Impl>()) {
    if (!m_class.hub)
        m_options.class_token.clear();  // no class page: its paths do not exist
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(m_options.address, ec);
    if (ec)
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not an IP address", m_options.address),
                    "give one of this machine's addresses, e.g. --listen 0.0.0.0 for every one");
    const tcp::endpoint endpoint(address, m_options.port);
    auto& acceptor = m_impl->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint, ec);
    if (ec == asio::error::address_in_use)
        throw Error(ErrorKind::AddressInUse,
                    fmt::format("port {} on {} is already in use by another program", m_options.port, m_options.address),
                    "pick another with --port N");
    if (ec == boost::system::errc::address_not_available)
        throw Error(ErrorKind::InvalidArgument, fmt::format("{} is not an address of this machine", m_options.address),
                    "see 'ip -brief address', or use --listen 0.0.0.0 for every address");
    if (ec)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("cannot listen on {}:{}: {}", m_options.address, m_options.port, ec.message()),
                    "pick another with --port N");
    acceptor.listen(asio::socket_base::max_listen_connections);
}

DashboardServer::~DashboardServer() {
    stop();
    // Each connection sees m_stopping at its next write, or its read times out.
    while (m_clients > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

unsigned short DashboardServer::port() const { return m_impl->acceptor.local_endpoint().port(); }

void DashboardServer::stop() {
    if (m_stopping.exchange(true))
        return;
    m_hub.close();
    if (m_class.hub)
        m_class.hub->close();
    // shutdown() wakes a thread blocked in accept(); close() alone does not.
    ::shutdown(m_impl->acceptor.native_handle(), SHUT_RDWR);
}

void DashboardServer::run() {
    while (!m_stopping) {
        boost::system::error_code ec;
        tcp::socket socket(m_impl->io);
        m_impl->acceptor.accept(socket, ec);
        if (ec) {
            if (m_stopping)
                break;
            // Out of file descriptors, or a connection reset before accept: not fatal.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        const int fd = socket.release();
        ++m_clients;
        // Detached: the destructor waits for m_clients to reach 0 instead, so
        // finished connections leave nothing behind.
        std::thread([this, fd] {
            serve(fd);
            --m_clients;
        }).detach();
    }
}

void DashboardServer::serve(int fd) {
    asio::io_context io;
    tcp::socket socket(io, m_impl->acceptor.local_endpoint().protocol(), fd);
    // A client that sends nothing cannot hold a thread for long.
    const timeval five_seconds{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five_seconds, sizeof five_seconds);
    const std::size_t clients = m_clients;
    boost::system::error_code ec;
    const auto respond = [&](http::status status, const char* type, std::string body) {
        http::response<http::string_body> res{status, 11};
        res.set(http::field::content_type, type);
        res.set(http::field::cache_control, "no-store");
        res.set("X-Content-Type-Options", "nosniff");
        res.set("Content-Security-Policy", "default-src 'self'; img-src data:; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
        res.keep_alive(false);
        res.body() = std::move(body);
        res.prepare_payload();
        http::write(socket, res, ec);
    };
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (!ec && clients > m_options.max_clients) {
        respond(http::status::service_unavailable, "text/plain", "too many open pages\n");
    } else if (!ec) {
        switch (route_request(std::string_view(req.method_string().data(), req.method_string().size()),
                              std::string_view(req.target().data(), req.target().size()), m_options.token,
                              m_options.class_token)) {
        case Route::Forbidden: respond(http::status::forbidden, "text/plain", "the URL needs its token\n"); break;
        case Route::MethodNotAllowed: respond(http::status::method_not_allowed, "text/plain", "read-only\n"); break;
        case Route::NotFound: respond(http::status::not_found, "text/plain", "not found\n"); break;
        case Route::Page: respond(http::status::ok, "text/html; charset=utf-8", m_page); break;
        case Route::State: respond(http::status::ok, "application/json", m_hub.state_json()); break;
        case Route::Events: stream(socket, m_hub, "host", m_stopping); break;
        case Route::ClassPage: respond(http::status::ok, "text/html; charset=utf-8", m_class.page); break;
        case Route::ClassEvents: stream(socket, *m_class.hub, "class", m_stopping); break;
        }
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace vmctl::web
