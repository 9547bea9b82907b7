#include "vmctl/ops/lifecycle.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>

namespace vmctl::ops {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

StartResult start_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool wait,
                     std::chrono::seconds timeout, const Progress& progress) {
    StartResult result;
    if (hv.domain_state(name) != DomainState::ShutOff) {
        result.already_running = true;
        return result;
    }
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    const auto started = Clock::now();
    hv.start_domain(name);
    record_usage(hv, env, name, "start");
    if (!wait || facts.serial_log.empty())
        return result;
    const ReadySignal signal = ready_signal_of(env, facts);
    if (!signal.says_when_up()) {
        if (progress)
            progress(no_ready_signal_message(facts.metadata.image, name));
        return result;
    }
    // The log starts empty with each start, so cloud-init's final message
    // can stand for the ready line of an imported image.
    if (signal.cloud_init && progress)
        progress(cloud_init_wait_message(name, accel_of(facts)));
    result.ready = wait_for_ready(hv, name, facts.serial_log, ready_timeout(signal.cloud_init, timeout), {},
                                  signal.imported_image);
    result.boot_seconds = seconds_since(started);
    return result;
}

StopResult stop_vm(Hypervisor& hv, const Environment& env, const std::string& name, std::chrono::seconds timeout) {
    StopResult result;
    if (hv.domain_state(name) == DomainState::ShutOff) {
        result.already_stopped = true;
        return result;
    }
    const auto started = Clock::now();
    hv.shutdown_domain(name);
    if (!wait_for_shutoff(hv, name, timeout))
        throw Error(ErrorKind::Timeout,
                    fmt::format("VM '{}' did not shut down within {} s after its power button was pressed", name,
                                timeout.count()),
                    fmt::format("its guest may ignore ACPI; pull the plug with 'vmctl destroy {}'", name));
    result.seconds = seconds_since(started);
    record_usage(hv, env, name, "stop");
    return result;
}

StopResult destroy_vm(Hypervisor& hv, const Environment& env, const std::string& name) {
    StopResult result;
    if (hv.domain_state(name) == DomainState::ShutOff) {
        result.already_stopped = true;
        return result;
    }
    const auto started = Clock::now();
    hv.destroy_domain(name);
    result.seconds = seconds_since(started);
    record_usage(hv, env, name, "stop");
    return result;
}

StartResult reboot_vm(Hypervisor& hv, const Environment& env, const std::string& name, bool wait,
                      std::chrono::seconds timeout, const Progress& progress) {
    if (hv.domain_state(name) != DomainState::Running)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is not running, so it cannot reboot", name),
                    fmt::format("start it with 'vmctl start {}'", name));
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    StartResult result;
    if (!wait || facts.serial_log.empty()) {
        hv.reboot_domain(name);
        return result;
    }
    const ReadySignal signal = ready_signal_of(env, facts);
    // A reboot keeps the same QEMU process, so the log still holds the old
    // boot's ready line (or, from an imported image, cloud-init's final
    // message, which has no boot id): wait for a new one.
    const std::string old_boot = last_boot_id(facts.serial_log);
    const int old_done = signal.imported_image ? cloud_init_done_count(facts.serial_log) : 0;
    const auto started = Clock::now();
    hv.reboot_domain(name);
    if (!signal.says_when_up()) {
        if (progress)
            progress(no_ready_signal_message(facts.metadata.image, name));
        return result;
    }
    if (signal.cloud_init && progress)
        progress(cloud_init_wait_message(name, accel_of(facts)));
    result.ready = wait_for_ready(hv, name, facts.serial_log, ready_timeout(signal.cloud_init, timeout), old_boot,
                                  signal.imported_image, old_done);
    result.boot_seconds = seconds_since(started);
    return result;
}

}  // namespace vmctl::ops
