#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace vmctl::host {

// What a run of probes saw.
struct ProbeStats {
    std::string method;         // "icmp" (echo requests, as ping sends) or "tcp" (connects to port 80)
    double interval_ms = 0;     // between two probes
    unsigned sent = 0;
    unsigned answered = 0;
    unsigned lost() const { return sent - answered; }
    // The longest time without an answer: between the sending of two
    // consecutive answered probes (and from the first probe to the first
    // answer, and from the last answer to the last probe sent).
    double longest_gap_ms = 0;
};

// Probes an IPv4 address from this machine at a steady rate, on a thread of
// its own, from construction until stop(): ICMP echo requests through an
// unprivileged ICMP socket where the kernel allows one
// (net.ipv4.ping_group_range), else a raw socket (root), else TCP connects to
// port 80. Never throws once constructed; the constructor throws
// Error(InvalidArgument) for an address that is not IPv4 and
// Error(OperationFailed) when no socket can be made at all.
class Prober {
public:
    Prober(const std::string& ip, std::chrono::milliseconds interval);
    ~Prober();
    Prober(const Prober&) = delete;
    Prober& operator=(const Prober&) = delete;

    // Probes answered so far; safe while probing.
    unsigned answered() const;
    // Stops sending, waits up to `grace` for the answers to the probes sent
    // in the last `grace` (older unanswered ones are lost), and returns the
    // statistics. Later calls return the same.
    ProbeStats stop(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// An HTTP request held open across an event, to show that a TCP connection
// made before it still works after it: the constructor connects to ip:port
// and sends the request line; finish() sends the blank line that completes
// the request and reads the whole answer. The server waits for the rest of
// the request meanwhile (busybox httpd waits a minute).
class HeldRequest {
public:
    HeldRequest(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout);
    ~HeldRequest();
    HeldRequest(const HeldRequest&) = delete;
    HeldRequest& operator=(const HeldRequest&) = delete;

    // Empty when the connection and the request line went out; else why not.
    const std::string& open_error() const { return m_error; }
    // The answer (status line, headers and body) or, on failure, nullopt
    // with the reason in `why`.
    std::optional<std::string> finish(std::chrono::milliseconds timeout, std::string& why);

private:
    int m_fd = -1;
    std::string m_error;
};

}  // namespace vmctl::host
