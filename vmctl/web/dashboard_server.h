#pragma once

#include "vmctl/web/dashboard_hub.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace vmctl::web {

// What the dashboard's server answers to a request: only the page, its event
// stream and a JSON snapshot exist, and the class page with its own stream;
// a wrong or missing token (when one is set) is refused before anything
// else, then anything but GET.
enum class Route { Page, Events, State, ClassPage, ClassEvents, NotFound, MethodNotAllowed, Forbidden };

// Pure: the method ("GET"), the request target ("/events?token=..."), the
// token the server requires ("" for none), and the class page's own token
// (/class and /class/events; "" when there is no class page). The dashboard's
// token, which a room may see projected, does not open the class page.
Route route_request(std::string_view method, std::string_view target, std::string_view token,
                    std::string_view class_token = {});

// A random token for --listen: 128 bits from the kernel, in hex.
std::string random_token();

struct ServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8086;  // 0: any free port (tests)
    std::string token;           // "": no token needed
    std::string class_token;     // the class page's: "" for no class page
    std::size_t max_clients = 64;  // connections at once; more get 503
};

// The class page: its HTML, and the hub that carries the class's progress
// (one entry, "class") as the page's stream sends it.
struct ClassPage {
    DashboardHub* hub = nullptr;
    std::string page;
};

// A small HTTP/1.1 server (Boost.Beast, synchronous, one thread per
// connection up to max_clients): the page, and server-sent events that carry
// each host's JSON when it changes; with a class page, that page and its
// stream. Reads nothing but the hubs; a browser that goes away ends its
// thread at the next write (or keep-alive comment).
class DashboardServer {
public:
    // Binds at once. Throws Error(AddressInUse) when the port is taken and
    // Error(InvalidArgument) for an address that is not this machine's.
    DashboardServer(ServerOptions options, DashboardHub& hub, std::string page, ClassPage class_page = {});
    ~DashboardServer();
    DashboardServer(const DashboardServer&) = delete;
    DashboardServer& operator=(const DashboardServer&) = delete;

    unsigned short port() const;

    // Accepts connections until stop().
    void run();
    // Ends run() and every connection (from another thread).
    void stop();

private:
    struct Impl;
    void serve(int fd);

    ServerOptions m_options;
    DashboardHub& m_hub;
    std::string m_page;
    ClassPage m_class;
    std::unique_ptr<Impl> m_impl;
    std::atomic<bool> m_stopping{false};
    std::atomic<std::size_t> m_clients{0};  // connections being served, each on its own thread
};

}  // namespace vmctl::web
