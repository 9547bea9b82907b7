#include "vmctl/ops/wait.h"

#include "vmctl/core/cloud_init.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/serial_log.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include <thread>

namespace vmctl::ops {

std::chrono::seconds ready_timeout(bool cloud_init, std::chrono::seconds requested) {
    return cloud_init ? std::max(requested, kCloudInitReadyTimeout) : requested;
}

ReadyWait wait_for_ready(Hypervisor& hv, const std::string& name, const std::string& serial_log,
                         std::chrono::seconds timeout, const std::string& not_boot_id,
                         bool cloud_init_done_counts, int earlier_done) {
    if (serial_log.empty())
        throw Error(ErrorKind::Unsupported,
                    fmt::format("VM '{}' has no serial console log, so vmctl cannot see it boot", name),
                    "create VMs with 'vmctl create', or use --no-wait");
    bool stopped = false;
    int done_seen = 0;
    const auto is_new_ready = [&](const std::string& text) {
        if (cloud_init_done_counts && is_cloud_init_finished(text) && ++done_seen > earlier_done)
            return true;
        const auto ready = parse_ready_line(text);
        return ready && (not_boot_id.empty() || ready->boot_id != not_boot_id);
    };
    const auto line = host::wait_for_line(serial_log, is_new_ready, timeout, [&] {
        stopped = hv.domain_state(name) == DomainState::ShutOff;
        return !stopped;
    });
    if (line)
        return {*line, parse_ready_line(*line)};
    if (stopped)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' stopped before it was ready", name),
                    fmt::format("read its console log with 'vmctl logs {}'", name));
    throw Error(ErrorKind::Timeout,
                fmt::format("VM '{}' did not print its ready line within {} s", name, timeout.count()),
                fmt::format("it is still running; read its console with 'vmctl logs {}'", name));
}

std::string last_boot_id(const std::string& serial_log) {
    std::istringstream log(host::read_file_or(serial_log, ""));
    std::string boot_id;
    for (std::string line; std::getline(log, line);)
        if (auto ready = parse_ready_line(line))
            boot_id = ready->boot_id;
    return boot_id;
}

int cloud_init_done_count(const std::string& serial_log) {
    std::istringstream log(host::read_file_or(serial_log, ""));
    int count = 0;
    for (std::string line; std::getline(log, line);)
        count += is_cloud_init_finished(line) ? 1 : 0;
    return count;
}

bool wait_for_shutoff(Hypervisor& hv, const std::string& name, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (hv.domain_state(name) == DomainState::ShutOff)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return hv.domain_state(name) == DomainState::ShutOff;
}

}  // namespace vmctl::ops
