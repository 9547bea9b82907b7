#include "vmctl/cli/context.h"

#include "vmctl/core/error.h"
#include "vmctl/host/host_facts.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/snapshot_stash.h"
#include "vmctl/ops/migrate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <ostream>

namespace vmctl::cli {
namespace {
// The daemon whose vmctl network the lab hosts' segments join (lab-host.sh).
constexpr const char* kSegmentUri = "qemu:///system";
}  // namespace

std::string default_uri() {
    for (const char* name : {"VMCTL_URI", "LIBVIRT_DEFAULT_URI"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0')
            return value;
    }
    return host::is_root() ? "qemu:///system" : "qemu:///session";
}

Context::Context(std::ostream& out, std::ostream& err, std::string uri_override, std::string host,
                 HypervisorFactory factory)
    : m_out(out), m_err(err), m_uri(uri_override.empty() ? default_uri() : std::move(uri_override)),
      m_host(host.empty() ? "local" : host), m_factory(std::move(factory)) {
    if (!host.empty()) {
        if (!uri_override.empty())
            throw Error(ErrorKind::Usage, "--host and --connect both choose the host", "give only one of them");
        const std::string data_dir = host::default_paths().data_dir;
        const host::HostEntry entry = host::find_host(data_dir, host);
        m_uri = entry.uri;
        if (entry.local_disks)
            m_local_disks = host::local_disks_dir(data_dir, entry.name);
    }
}

std::unique_ptr<Hypervisor> Context::connect(const std::string& uri) {
    try {
        return m_factory(uri);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Unreachable)
            throw;
        throw Error(ErrorKind::Unreachable, e.what(), "is the host up? see 'vmctl hosts list'", e.libvirt_code());
    }
}

ops::HostList Context::other_hosts() {
    return ops::reach_hosts(
        ops::registered_hosts(env(), {m_uri}),
        [this](const host::HostEntry& h) -> Hypervisor& { return *m_others.emplace_back(connect(h.uri)); },
        [this](const std::string& name, const Error& e) {
            m_err << fmt::format("warning: host '{}' is unreachable: {}", name, e.what()) << std::endl;
        });
}

ops::UseElsewhere Context::use_elsewhere() {
    std::vector<host::HostEntry> others = ops::registered_hosts(env(), {m_uri, default_uri()});
    if (m_uri != default_uri())
        others.insert(others.begin(), host::HostEntry{"local", default_uri()});
    std::vector<std::string> silent;
    ops::HostList hosts = ops::reach_hosts(
        others, [this](const host::HostEntry& h) -> Hypervisor& { return *m_others.emplace_back(connect(h.uri)); },
        [&](const std::string& name, const Error& e) {
            silent.push_back(name);
            m_err << fmt::format("warning: host '{}' does not answer ({}); what may be in use there is left alone",
                                 name, e.what())
                  << std::endl;
        });
    for (const auto& name : silent)
        hosts.emplace_back(name, nullptr);  // use_on lists it as unreachable
    return ops::use_on(hosts);
}

Hypervisor& Context::hypervisor() {
    if (!m_hypervisor) {
        try {
            m_hypervisor = m_factory(m_uri);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Unreachable || !e.hint().empty())
                throw;
            const bool system = m_uri.rfind("qemu:///system", 0) == 0;
            std::string hint = system ? fmt::format("start it with: {}{}/scripts/prepare-host.sh",
                                                    host::is_root() ? "" : "sudo ", host::source_dir())
                                      : "check the URI given with --connect or VMCTL_URI";
            if (system && !host::is_root())
                hint += " (or use your own VMs with --connect qemu:///session)";
            throw Error(ErrorKind::Unreachable, e.what(), hint, e.libvirt_code());
        }
        restore_interrupted_moves();
    }
    return *m_hypervisor;
}

void Context::restore_interrupted_moves() {
    // One stat when there is nothing to do, which is nearly always.
    if (host::stashed_vms(env().paths.data_dir).empty())
        return;
    try {
        for (const auto& note : ops::restore_stashed_snapshots(env(), [this](const std::string& uri) {
                 return connect(uri);
             }))
            m_err << "note: " << note << std::endl;
    } catch (const Error& e) {
        m_err << "warning: " << e.line() << std::endl;
    }
}

const ops::Environment& Context::env() {
    if (!m_env) {
        m_env = std::make_unique<ops::Environment>();
        m_env->uri = m_uri;
        m_env->paths = host::default_paths();
        if (!m_local_disks.empty())
            m_env->paths.pool_dir = m_local_disks;  // its VMs' disks are its own
        m_env->cpu = host::probe_cpu();
        m_env->firmware = host::fast_firmware();
        for (auto& label : teach::active_lab_labels(m_env->paths.data_dir))
            m_env->session_labels.insert(std::move(label));
        // Lab hosts bridge their VMs onto this machine's vmctl network, whose
        // DHCP server (this machine's daemon) alone knows their addresses.
        const auto hosts = host::load_hosts(m_env->paths.data_dir);
        if (std::any_of(hosts.begin(), hosts.end(), [](const host::HostEntry& h) { return h.simulated; }))
            m_env->segment_leases = [this](const std::string& network) { return segment_leases(network); };
    }
    return *m_env;
}

ops::Environment Context::other_host_env() {
    ops::Environment copy = env();
    copy.segment_leases = [this](const std::string& network) { return segment_leases(network); };
    return copy;
}

std::vector<DhcpLease> Context::segment_leases(const std::string& network) {
    const std::lock_guard lock(m_segment_mutex);
    try {
        if (!m_segment)
            m_segment = m_factory(kSegmentUri);
        return m_segment->dhcp_leases(network);
    } catch (const Error& e) {
        spdlog::debug("no leases from {}: {}", kSegmentUri, e.what());
        return {};
    }
}

bool Context::confirm(const std::string& question, const std::string& yes_flag) {
    if (::isatty(STDIN_FILENO) != 1)
        throw Error(ErrorKind::Usage, "this needs a confirmation and there is no terminal to ask",
                    fmt::format("add {} to confirm from a script", yes_flag));
    m_err << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

ops::Progress Context::progress() {
    return [this](std::string_view line) { m_err << line << std::endl; };
}

}  // namespace vmctl::cli
