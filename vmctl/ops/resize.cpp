#include "vmctl/ops/resize.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace vmctl::ops {
namespace {

const DiskFacts& first_disk(const DomainFacts& facts, const std::string& name) {
    const auto disk = std::find_if(facts.disks.begin(), facts.disks.end(),
                                   [](const DiskFacts& d) { return d.device == "disk" && !d.path.empty(); });
    if (disk == facts.disks.end())
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' has no disk to grow", name), {});
    return *disk;
}

}  // namespace

std::optional<Balloon> wait_for_balloon(Hypervisor& hv, const std::string& name, std::uint64_t bytes,
                                        std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::uint64_t now = 0;
        try {
            now = hv.balloon_bytes(name);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::NotFound)
                return std::nullopt;
            throw;
        }
        const std::uint64_t off = now > bytes ? now - bytes : bytes - now;
        const Balloon balloon{now, off <= (1ULL << 20)};
        if (balloon.reached || std::chrono::steady_clock::now() >= deadline)
            return balloon;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

std::vector<ResizeChange> resize_vm(Hypervisor& hv, const Environment& env, const std::string& name,
                                   const ResizeRequest& request) {
    if (!request.vcpus && !request.memory_bytes && !request.disk_bytes)
        throw Error(ErrorKind::Usage, "nothing to resize", "give --cpus, --memory or --disk-size");
    // The definition: right after a boot the live size is the balloon on its
    // way down from the maximum, not the size the VM was given.
    const DomainFacts facts = parse_domain_xml(hv.domain_config_xml(name));
    const bool running = hv.domain_state(name) == DomainState::Running;

    // Everything is checked first, so a refused request changes nothing.
    if (request.vcpus) {
        if (*request.vcpus < 1)
            throw Error(ErrorKind::InvalidArgument, "--cpus must be at least 1", {});
        if (*request.vcpus > facts.max_vcpus)
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("VM '{}' can have at most {} vCPUs: the maximum is fixed when a VM is defined",
                                    name, facts.max_vcpus),
                        fmt::format("choose at most {}, or make a new VM with 'vmctl create ... --max-cpus {}'",
                                    facts.max_vcpus, *request.vcpus));
    }
    if (request.memory_bytes) {
        check_size_range(*request.memory_bytes, kMinMemoryBytes, kMaxMemoryBytes, "--memory");
        if (*request.memory_bytes > facts.max_memory_bytes)
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("VM '{}' can have at most {} of memory: the balloon's maximum is fixed when a VM "
                                    "is defined",
                                    name, format_size(facts.max_memory_bytes)),
                        fmt::format("choose at most {}, or make a new VM with 'vmctl create ... --max-memory {}'",
                                    format_size(facts.max_memory_bytes), format_size_arg(*request.memory_bytes)));
    }
    std::optional<VolumeFacts> volume;
    if (request.disk_bytes) {
        const DiskFacts& disk = first_disk(facts, name);
        volume = hv.volume_by_path(disk.path);
        const std::uint64_t now = volume ? volume->capacity_bytes : 0;
        if (*request.disk_bytes < now)
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("the disk of VM '{}' is {}; vmctl only grows disks", name, format_size(now)),
                        "shrinking a disk cuts off the end of the filesystem on it; make a new VM instead");
        check_size_range(*request.disk_bytes, kMinDiskBytes, kMaxDiskBytes, "--disk-size");
    }

    std::vector<ResizeChange> changes;
    if (request.vcpus && *request.vcpus != facts.vcpus) {
        ResizeChange change{fmt::format("vCPUs {} -> {}", facts.vcpus, *request.vcpus), running, {}};
        if (running && *request.vcpus < facts.vcpus) {
            // libvirt 9.0 times out waiting for an unplug QEMU has done, then
            // miscounts the vCPUs; taking them away at the next boot is safe.
            hv.set_vcpus(name, *request.vcpus, false);
            change.live = false;
            change.how = "applies at the next boot: removing vCPUs from a running guest is not reliable here";
        } else if (running) {
            try {
                hv.set_vcpus(name, *request.vcpus, true);
                change.how = "hot-plugged: the guest sees them now";
            } catch (const Error& e) {
                hv.set_vcpus(name, *request.vcpus, false);
                change.live = false;
                change.how = fmt::format("applies at the next boot: the hypervisor refused to change it live ({})",
                                         e.what());
            }
        } else {
            hv.set_vcpus(name, *request.vcpus, false);
            change.how = "applies at the next boot (the VM is stopped)";
        }
        changes.push_back(change);
    }
    if (request.memory_bytes && *request.memory_bytes != facts.memory_bytes) {
        ResizeChange change{fmt::format("memory {} -> {}", format_size(facts.memory_bytes),
                                        format_size(*request.memory_bytes)),
                            running, {}};
        hv.set_memory(name, *request.memory_bytes, running);
        change.how = "applies at the next boot (the VM is stopped)";
        if (running) {
            // "live" only once the guest has it: its balloon driver gives or
            // takes the memory back over a second or so.
            const auto balloon = wait_for_balloon(hv, name, *request.memory_bytes, request.balloon_wait);
            if (balloon && balloon->reached)
                change.how = "the balloon driver in the guest gave or took the memory back: the guest has it now";
            else
                change.how = fmt::format("the balloon driver in the guest is still on its way (at {} now); "
                                         "watch it with 'vmctl top'",
                                         format_size(balloon ? balloon->bytes : 0));
        }
        changes.push_back(change);
    }
    if (request.disk_bytes && volume && *request.disk_bytes != volume->capacity_bytes) {
        const DiskFacts& disk = first_disk(facts, name);
        hv.resize_disk(name, disk.target, disk.path, *request.disk_bytes, running);
        changes.push_back({fmt::format("disk {} {} -> {}", disk.target, format_size(volume->capacity_bytes),
                                       format_size(*request.disk_bytes)),
                           running,
                           running ? "the guest sees a bigger disk now; its filesystem keeps its size until grown"
                                   : "the disk is bigger at the next boot; its filesystem keeps its size until grown"});
    }
    if (!changes.empty())
        record_usage(hv, env, name, "resize");
    return changes;
}

}  // namespace vmctl::ops
