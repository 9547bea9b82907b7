#include "vmctl/ops/doctor.h"

#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/host/host_facts.h"
#include "vmctl/host/images.h"
#include "vmctl/host/paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace vmctl::ops {
namespace {

// The vmctl network: new VMs get their NIC on it. A student's
// qemu:///session has no libvirt networks, so there it is only a note.
DoctorCheck network_check(Hypervisor& hv, const Environment& env) {
    const auto networks = hv.list_networks();
    const auto it = std::find_if(networks.begin(), networks.end(),
                                 [](const NetworkFacts& n) { return n.name == kDefaultNetwork; });
    if (it == networks.end()) {
        if (env.uri.find("session") != std::string::npos)
            return {"network", true,
                    fmt::format("{} has no libvirt networks: VMs made here get no network interface", env.uri), {}};
        return {"network", false, fmt::format("there is no '{}' network: new VMs get no network interface",
                                               kDefaultNetwork),
                host::prepare_host_command()};
    }
    if (!it->active)
        return {"network", false, fmt::format("network '{}' is defined but not active", kDefaultNetwork),
                fmt::format("{}virsh net-start {}", host::is_root() ? "" : "sudo ", kDefaultNetwork)};
    return {"network", true,
            fmt::format("network '{}' is active on bridge {}{}", kDefaultNetwork, it->bridge,
                        it->autostart ? "" : " (not autostarted: 'virsh net-autostart vmctl')"),
            {}};
}

}  // namespace

std::vector<DoctorCheck> run_doctor(Hypervisor* hv, const std::string& connect_error, const Environment& env) {
    std::vector<DoctorCheck> checks;

    if (hv != nullptr) {
        const HypervisorVersions v = hv->versions();
        checks.push_back({"libvirt", true,
                          fmt::format("{} answers (library {}, daemon {}, host {})", v.uri, v.libvirt_library,
                                      v.libvirt_daemon, v.hostname),
                          {}});
        checks.push_back({"qemu", !v.hypervisor.empty() && v.hypervisor != "unknown",
                          fmt::format("QEMU {}", v.hypervisor), host::prepare_host_command()});
    } else {
        checks.push_back({"libvirt", false, fmt::format("{} does not answer: {}", env.uri, connect_error),
                          host::prepare_host_command()});
        const bool qemu = host::on_path("qemu-system-x86_64");
        checks.push_back({"qemu", qemu, qemu ? "qemu-system-x86_64 is installed" : "qemu-system-x86_64 is missing",
                          host::prepare_host_command()});
    }

    const AccelChoice accel = choose_accel(AccelRequest::Auto, env.cpu);
    checks.push_back({"accelerator", true, fmt::format("VMs will use {}", accel.reason), {}});

    if (hv != nullptr) {
        const auto volumes = hv->list_volumes(host::kPoolName);
        const bool pool_dir = std::filesystem::exists(env.paths.pool_dir);
        checks.push_back({"storage pool", true,
                          pool_dir ? fmt::format("pool '{}' at {} holds {} volume(s)", host::kPoolName,
                                                 env.paths.pool_dir, volumes.size())
                                   : fmt::format("pool '{}' will be made at {} by the first 'vmctl create'",
                                                 host::kPoolName, env.paths.pool_dir),
                          {}});
    }

    if (hv != nullptr)
        checks.push_back(network_check(*hv, env));

    // The default image only: tiny-debian-kernel is there for comparison and
    // is built on demand.
    const std::string image = "tiny";
    try {
        const host::ImageFiles files = host::find_image(image, env.paths.image_dirs);
        const bool own_kernel = files.kernel_release.ends_with("-vmctl");
        checks.push_back({fmt::format("image {}", image), true,
                          own_kernel ? fmt::format("built at {} (kernel {})", files.dir, files.kernel_release)
                                     : fmt::format("built at {} with Debian's kernel {} for now; the vmctl kernel "
                                                   "boots faster: {} builds it (about 9 minutes on 2 cores)",
                                                   files.dir, files.kernel_release, host::build_command(image)),
                          {}});
    } catch (const Error& e) {
        checks.push_back({fmt::format("image {}", image), false, e.what(), host::build_command(image)});
    }

    constexpr std::uint64_t kMinFreeDisk = 2 * GiB;
    const std::uint64_t disk = host::free_disk_bytes(env.paths.data_dir);
    checks.push_back({"free disk", disk >= kMinFreeDisk,
                      fmt::format("{} free for {} (vmctl wants {})", format_size(disk), env.paths.data_dir,
                                  format_size(kMinFreeDisk)),
                      fmt::format("free some space, e.g. remove unused VMs: vmctl list, then vmctl delete NAME")});

    constexpr std::uint64_t kMinFreeMemory = 512 * MiB;
    const std::uint64_t memory = host::available_memory_bytes();
    checks.push_back({"free memory", memory >= kMinFreeMemory,
                      fmt::format("{} available (a tiny VM needs 256 MiB)", format_size(memory)),
                      "stop VMs you do not use: vmctl stop NAME"});
    return checks;
}

}  // namespace vmctl::ops
