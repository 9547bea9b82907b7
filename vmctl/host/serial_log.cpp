#include "vmctl/host/serial_log.h"

#include "vmctl/core/guest_protocol.h"
#include "vmctl/host/interrupt.h"

#include <fstream>
#include <thread>

namespace vmctl::host {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);

}  // namespace

std::optional<std::string> wait_for_line(const std::string& path,
                                         const std::function<bool(const std::string&)>& matches,
                                         std::chrono::milliseconds timeout,
                                         const std::function<bool()>& keep_waiting) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    auto next_liveness_check = Clock::now() + std::chrono::seconds(1);
    std::streamoff offset = 0;
    std::string partial;
    while (Clock::now() < deadline) {
        throw_if_interrupted("waiting for the guest");
        std::ifstream in(path, std::ios::binary);
        if (in) {
            in.seekg(0, std::ios::end);
            const std::streamoff size = in.tellg();
            if (size < offset) {  // truncated: a new boot began
                offset = 0;
                partial.clear();
            }
            in.seekg(offset);
            std::string chunk(static_cast<std::size_t>(size - offset), '\0');
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            offset = size;
            partial += chunk;
            std::size_t start = 0;
            for (auto end = partial.find('\n'); end != std::string::npos; end = partial.find('\n', start)) {
                std::string line = partial.substr(start, end - start);
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (matches(line))
                    return line;
                start = end + 1;
            }
            partial.erase(0, start);
        }
        if (Clock::now() >= next_liveness_check) {
            if (keep_waiting && !keep_waiting())
                return std::nullopt;
            next_liveness_check = Clock::now() + std::chrono::seconds(1);
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return std::nullopt;
}

void copy_log(const std::string& path, std::ostream& out, bool follow, const std::function<bool()>& keep_going) {
    std::streamoff offset = 0;
    std::string carry;
    do {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            in.seekg(0, std::ios::end);
            const std::streamoff size = in.tellg();
            if (size < offset) {
                offset = 0;
                carry.clear();
            }
            if (size > offset) {
                in.seekg(offset);
                std::string chunk(static_cast<std::size_t>(size - offset), '\0');
                in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                out << drop_cursor_queries(chunk, carry) << std::flush;
                offset = size;
            }
        }
        if (!follow) {
            out << carry << std::flush;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } while (!keep_going || keep_going());
}

}  // namespace vmctl::host
