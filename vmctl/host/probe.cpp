#include "vmctl/host/probe.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace vmctl::host {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    int get() const { return m_fd; }
    void reset() {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd;
};

sockaddr_in ipv4(const std::string& ip, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1)
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not an IPv4 address", ip), {});
    return address;
}

std::uint16_t checksum(const void* data, std::size_t length) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < length; i += 2)
        sum += static_cast<std::uint32_t>(bytes[i] << 8 | bytes[i + 1]);
    if (length % 2 != 0)
        sum += static_cast<std::uint32_t>(bytes[length - 1] << 8);
    while (sum >> 16 != 0)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons(static_cast<std::uint16_t>(~sum));
}

}  // namespace

struct Prober::State {
    enum class Method { IcmpDgram, IcmpRaw, Tcp };

    sockaddr_in target{};
    std::chrono::milliseconds interval{};
    Method method = Method::Tcp;
    Fd icmp;
    std::uint16_t id = 0;

    mutable std::mutex mutex;
    std::vector<Clock::time_point> sent_at;  // by sequence number
    std::vector<bool> answered;
    unsigned answers = 0;
    std::map<int, std::pair<Fd, std::size_t>> connecting;  // TCP probes: fd -> (socket, seq)

    std::atomic<bool> sending{true};
    std::atomic<Clock::time_point::rep> stop_at{0};  // when to give up on late answers
    Clock::time_point stopped_at;                     // when stop() was called (set before `sending` drops)
    std::thread thread;
    std::optional<ProbeStats> result;

    void send_probe() {
        const std::size_t seq = sent_at.size();
        {
            std::lock_guard lock(mutex);
            sent_at.push_back(Clock::now());
            answered.push_back(false);
        }
        if (method == Method::Tcp) {
            Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
            if (fd.get() < 0)
                return;
            const int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&target), sizeof target);
            if (rc == 0 || errno == ECONNREFUSED)
                mark(seq);
            else if (errno == EINPROGRESS)
                connecting.emplace(fd.get(), std::make_pair(std::move(fd), seq));
            return;
        }
        icmphdr header{};
        header.type = ICMP_ECHO;
        header.un.echo.id = htons(id);  // the kernel sets its own on an unprivileged socket
        header.un.echo.sequence = htons(static_cast<std::uint16_t>(seq));
        if (method == Method::IcmpRaw)
            header.checksum = checksum(&header, sizeof header);
        ::sendto(icmp.get(), &header, sizeof header, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&target),
                 sizeof target);
    }

    // Whether every probe sent since `since` has its answer: the ones lost
    // earlier (during a migration's switch-over) will never come.
    bool recent_answered(Clock::time_point since) const {
        std::lock_guard lock(mutex);
        for (std::size_t i = sent_at.size(); i-- > 0 && sent_at[i] >= since;)
            if (!answered[i])
                return false;
        return true;
    }

    void mark(std::size_t seq) {
        std::lock_guard lock(mutex);
        if (seq < answered.size() && !answered[seq]) {
            answered[seq] = true;
            ++answers;
        }
    }

    void receive_icmp() {
        std::array<unsigned char, 1500> buffer{};
        for (;;) {
            sockaddr_in from{};
            socklen_t from_length = sizeof from;
            const ssize_t n = ::recvfrom(icmp.get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                                         reinterpret_cast<sockaddr*>(&from), &from_length);
            if (n <= 0)
                return;
            if (from.sin_addr.s_addr != target.sin_addr.s_addr)
                continue;
            std::size_t offset = 0;
            if (method == Method::IcmpRaw)  // a raw socket hands over the IP header too
                offset = static_cast<std::size_t>(reinterpret_cast<const iphdr*>(buffer.data())->ihl) * 4;
            if (static_cast<std::size_t>(n) < offset + sizeof(icmphdr))
                continue;
            icmphdr reply{};
            std::memcpy(&reply, buffer.data() + offset, sizeof reply);
            if (reply.type != ICMP_ECHOREPLY || (method == Method::IcmpRaw && ntohs(reply.un.echo.id) != id))
                continue;
            // Sequence numbers wrap at 65536: the answer is to the newest probe with it.
            const std::size_t low = ntohs(reply.un.echo.sequence);
            std::size_t sent;
            {
                std::lock_guard lock(mutex);
                sent = sent_at.size();
            }
            if (sent == 0)
                continue;
            std::size_t seq = ((sent - 1) & ~std::size_t{0xffff}) | low;
            if (seq >= sent) {
                if (seq < 0x10000)
                    continue;
                seq -= 0x10000;
            }
            mark(seq);
        }
    }

    void finish_connects(const std::vector<pollfd>& fds, Clock::time_point now) {
        for (const pollfd& p : fds) {
            if (p.fd == icmp.get() || p.revents == 0)
                continue;
            auto it = connecting.find(p.fd);
            if (it == connecting.end())
                continue;
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error == 0 || error == ECONNREFUSED)  // a refusal is an answer too: the VM is there
                mark(it->second.second);
            connecting.erase(it);
        }
        // A connect unanswered for two seconds is lost.
        std::lock_guard lock(mutex);
        std::erase_if(connecting, [&](const auto& entry) {
            return now - sent_at[entry.second.second] > std::chrono::seconds(2);
        });
    }

    void run() {
        auto next = Clock::now();
        for (;;) {
            auto now = Clock::now();
            if (!sending) {
                const auto until = Clock::time_point(Clock::duration(stop_at.load()));
                if (now >= until || recent_answered(stopped_at - (until - stopped_at)))
                    return;
                next = std::min(now + interval, until);
            } else if (now >= next) {
                send_probe();
                next += interval;
                if (next < now)  // the thread was held up: do not burst to catch up
                    next = now + interval;
            }
            std::vector<pollfd> fds;
            if (icmp.get() >= 0)
                fds.push_back({icmp.get(), POLLIN, 0});
            for (const auto& [fd, probe] : connecting)
                fds.push_back({fd, POLLOUT, 0});
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
            ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait.count())));
            if (icmp.get() >= 0)
                receive_icmp();
            finish_connects(fds, Clock::now());
        }
    }

    ProbeStats stats() const {
        std::lock_guard lock(mutex);
        ProbeStats s;
        s.method = method == Method::Tcp ? "tcp" : "icmp";
        s.interval_ms = static_cast<double>(interval.count());
        s.sent = static_cast<unsigned>(sent_at.size());
        s.answered = answers;
        if (sent_at.empty())
            return s;
        auto last_answer = sent_at.front();
        const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
        for (std::size_t i = 0; i < sent_at.size(); ++i)
            if (answered[i]) {
                s.longest_gap_ms = std::max(s.longest_gap_ms, ms(sent_at[i] - last_answer));
                last_answer = sent_at[i];
            }
        s.longest_gap_ms = std::max(s.longest_gap_ms, ms(sent_at.back() - last_answer));
        return s;
    }
};

Prober::Prober(const std::string& ip, std::chrono::milliseconds interval) : m_state(std::make_unique<State>()) {
    State& s = *m_state;
    s.target = ipv4(ip, 0);
    s.interval = interval;
    s.id = static_cast<std::uint16_t>(::getpid() ^ reinterpret_cast<std::uintptr_t>(this));
    s.icmp = Fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP));
    s.method = State::Method::IcmpDgram;
    if (s.icmp.get() < 0) {
        s.icmp = Fd(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
        s.method = State::Method::IcmpRaw;
    }
    if (s.icmp.get() < 0) {
        s.method = State::Method::Tcp;
        s.target.sin_port = htons(80);
    }
    s.thread = std::thread([&s] { s.run(); });
}

Prober::~Prober() { stop(std::chrono::milliseconds(0)); }

unsigned Prober::answered() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->answers;
}

ProbeStats Prober::stop(std::chrono::milliseconds grace) {
    State& s = *m_state;
    if (s.thread.joinable()) {
        s.stopped_at = Clock::now();
        s.stop_at = (s.stopped_at + grace).time_since_epoch().count();
        s.sending = false;
        s.thread.join();
        s.connecting.clear();
        s.result = s.stats();
    }
    return s.result ? *s.result : s.stats();
}

namespace {

// Waits until fd is ready for `events`; false on timeout.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc > 0)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
    }
}

}  // namespace

HeldRequest::HeldRequest(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout) {
    const sockaddr_in target = ipv4(ip, port);
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        m_error = std::strerror(errno);
        return;
    }
    const auto deadline = Clock::now() + timeout;
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
        int error = errno;
        if (error == EINPROGRESS) {
            socklen_t length = sizeof error;
            error = wait_ready(m_fd, POLLOUT, deadline) ? 0 : ETIMEDOUT;
            if (error == 0)
                ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        }
        if (error != 0) {
            m_error = fmt::format("could not connect to {}:{}: {}", ip, port, std::strerror(error));
            return;
        }
    }
    const std::string line = "GET / HTTP/1.0\r\n";
    if (::send(m_fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
        m_error = fmt::format("could not send to {}:{}: {}", ip, port, std::strerror(errno));
}

HeldRequest::~HeldRequest() {
    if (m_fd >= 0)
        ::close(m_fd);
}

std::optional<std::string> HeldRequest::finish(std::chrono::milliseconds timeout, std::string& why) {
    if (!m_error.empty()) {
        why = m_error;
        return std::nullopt;
    }
    const std::string rest = "Host: vmctl\r\n\r\n";
    if (::send(m_fd, rest.data(), rest.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(rest.size())) {
        why = fmt::format("the connection broke: {}", std::strerror(errno));
        return std::nullopt;
    }
    const auto deadline = Clock::now() + timeout;
    std::string answer;
    std::array<char, 4096> buffer{};
    for (;;) {
        if (!wait_ready(m_fd, POLLIN, deadline)) {
            why = "no answer on the connection";
            return std::nullopt;
        }
        const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), 0);
        if (n == 0)
            break;  // HTTP/1.0: the server closes after the answer
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            why = fmt::format("the connection broke: {}", std::strerror(errno));
            return std::nullopt;
        }
        answer.append(buffer.data(), static_cast<std::size_t>(n));
    }
    if (answer.empty()) {
        why = "the connection was closed without an answer";
        return std::nullopt;
    }
    return answer;
}

}  // namespace vmctl::host
