#include "vmctl/ops/network.h"

#include "vmctl/core/error.h"
#include "vmctl/core/guest_protocol.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/files.h"
#include "vmctl/host/host_facts.h"
#include "vmctl/host/serial_log.h"
#include "vmctl/host/ssh_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace vmctl::ops {
namespace {

std::string network_names(const std::vector<NetworkFacts>& networks) {
    if (networks.empty())
        return "this host has none";
    std::vector<std::string> names;
    for (const NetworkFacts& n : networks)
        names.push_back(n.active ? n.name : n.name + " (inactive)");
    return fmt::format("networks here: {}", fmt::join(names, ", "));
}

// The last address the guest announced in its serial log, this boot.
std::optional<AddressLine> last_address_line(const std::string& serial_log) {
    std::istringstream log(host::read_file_or(serial_log, ""));
    std::optional<AddressLine> last;
    for (std::string line; std::getline(log, line);) {
        if (parse_ready_line(line))
            last.reset();  // a new boot: what an earlier one had is gone
        else if (auto address = parse_address_line(line))
            last = std::move(address);
    }
    return last;
}

// Every lease known for `network`: the host's own DHCP server's and, where
// the network is a segment shared with this machine, this machine's.
std::vector<DhcpLease> leases_of(Hypervisor& hv, const Environment& env, const std::string& network) {
    std::vector<DhcpLease> leases;
    try {
        leases = hv.dhcp_leases(network);
    } catch (const Error&) {
        // A network that is gone (or that has no DHCP server of its own) has no leases.
    }
    if (env.segment_leases) {
        auto shared = env.segment_leases(network);
        leases.insert(leases.end(), shared.begin(), shared.end());
    }
    return leases;
}

bool is_session(const std::string& uri) { return uri.find(":///session") != std::string::npos; }

// The MACs of this host's vmctl VMs: a new VM must not take one of them.
std::set<std::string> macs_in_use(Hypervisor& hv) {
    std::set<std::string> taken;
    for (const DomainSummary& vm : hv.list_domains())
        if (!vm.metadata.mac.empty())
            taken.insert(vm.metadata.mac);
    return taken;
}

}  // namespace

NicSpec choose_nic(Hypervisor& hv, const Environment& env, const NetworkRequest& request,
                   const std::string& vm_name, const Progress& progress) {
    if (request.kind == NetworkRequest::Kind::None)
        return {};
    const std::string wanted = request.kind == NetworkRequest::Kind::Named ? request.name : kDefaultNetwork;
    const std::vector<NetworkFacts> networks = hv.list_networks();
    const auto found = std::find_if(networks.begin(), networks.end(),
                                    [&](const NetworkFacts& n) { return n.name == wanted; });
    if (found == networks.end() && wanted == kDefaultNetwork && is_session(env.uri)) {
        const std::string problem = host::bridge_helper_problem(kDefaultBridge);
        if (problem.empty())
            return {wanted, unused_mac(env.paths.data_dir + "/" + vm_name, macs_in_use(hv)), kDefaultBridge};
        if (request.kind == NetworkRequest::Kind::Named)
            throw Error(ErrorKind::NetworkUnavailable,
                        fmt::format("your VMs cannot join the '{}' network: {}", wanted, problem),
                        fmt::format("ask an administrator to run '{}', or use --network none",
                                    host::prepare_host_command()));
        progress(fmt::format("no network interface: your VMs cannot join the '{}' network ({}); an "
                             "administrator fixes that with '{}'",
                             wanted, problem, host::prepare_host_command()));
        return {};
    }
    if (found == networks.end()) {
        if (request.kind == NetworkRequest::Kind::Default) {
            // This machine's daemon gets the network from prepare-host.sh; a
            // lab host from `hosts up`, when this machine's network was up.
            const bool local = env.uri == "qemu:///system";
            progress(fmt::format(
                "no network interface: {} has no '{}' network ({}); --network none hides this note", env.uri,
                kDefaultNetwork,
                local ? fmt::format("root makes it with '{}'", host::prepare_host_command())
                      : fmt::format("a lab host joins it when 'vmctl hosts up' runs while this machine's network "
                                    "is up: '{}', then 'vmctl hosts up' again",
                                    host::prepare_host_command())));
            return {};
        }
        throw Error(ErrorKind::InvalidArgument, fmt::format("there is no network named '{}' ({})", wanted,
                                                            network_names(networks)),
                    wanted == kDefaultNetwork
                        ? fmt::format("root makes it with '{}'; or use --network none", host::prepare_host_command())
                        : fmt::format("use --network {}, or --network none for a VM without a NIC", kDefaultNetwork));
    }
    if (!found->active)
        throw Error(ErrorKind::NetworkUnavailable, fmt::format("network '{}' is not active", wanted),
                    fmt::format("start it with '{}virsh net-start {}' (or '{}'), or use --network none",
                                host::is_root() ? "" : "sudo ", wanted, host::prepare_host_command()));

    std::set<std::string> taken = macs_in_use(hv);
    // A VM's own lease from an earlier life is fine to take again, but not on
    // a shared segment: there the VM of that name may still live on another host.
    for (const DhcpLease& lease : leases_of(hv, env, wanted))
        if (lease.hostname != vm_name || env.segment_leases)
            taken.insert(lease.mac);
    return {wanted, unused_mac(vm_name, taken)};
}

std::string network_of(const DomainFacts& facts) {
    if (facts.interfaces.empty())
        return {};
    const InterfaceFacts& nic = facts.interfaces.front();
    return !nic.network.empty() ? nic.network : facts.metadata.network;
}

VmAddress vm_address(Hypervisor& hv, const Environment& env, const DomainFacts& facts, DomainState state) {
    VmAddress address;
    if (facts.interfaces.empty())
        return address;
    const InterfaceFacts& nic = facts.interfaces.front();
    address.network = network_of(facts);
    if (address.network.empty())
        address.network = nic.bridge;  // a bridge vmctl did not choose
    address.mac = nic.mac;
    if (state != DomainState::Running && state != DomainState::Paused)
        return address;
    if (!nic.network.empty()) {
        if (auto lease = lease_for(leases_of(hv, env, nic.network), nic.mac)) {
            address.ip = lease->ip;
            address.prefix = lease->prefix;
            return address;
        }
    }
    if (auto line = last_address_line(facts.serial_log)) {
        address.ip = line->ip;
        address.prefix = line->prefix;
    }
    return address;
}

std::map<std::string, std::string> running_addresses(Hypervisor& hv, const Environment& env,
                                                     const std::vector<DomainSummary>& vms) {
    std::map<std::string, std::vector<DhcpLease>> leases;
    std::map<std::string, std::string> result;
    for (const DomainSummary& vm : vms) {
        if (vm.metadata.network.empty() || vm.state != DomainState::Running)
            continue;
        auto it = leases.find(vm.metadata.network);
        if (it == leases.end())
            it = leases.emplace(vm.metadata.network, leases_of(hv, env, vm.metadata.network)).first;
        if (auto lease = lease_for(it->second, vm.metadata.mac))
            result[vm.name] = lease->ip;
        else if (auto line = last_address_line(env.paths.logs_dir + "/" + vm.name + ".serial.log"))
            result[vm.name] = line->ip;
    }
    return result;
}

AddressWait wait_for_address(Hypervisor& hv, const std::string& name, const std::string& serial_log,
                             std::chrono::milliseconds timeout) {
    bool stopped = false;
    std::string problem;
    const auto line = host::wait_for_line(
        serial_log,
        [&](const std::string& text) {
            if (text.find(kNoAddressPrefix) != std::string::npos)
                problem = "the network's DHCP server has not answered yet";
            return parse_address_line(text).has_value();
        },
        timeout,
        [&] {
            stopped = hv.domain_state(name) == DomainState::ShutOff;
            return !stopped;
        });
    if (line)
        return {parse_address_line(*line), ""};
    if (stopped)
        return {std::nullopt, "the VM stopped"};
    if (problem.empty())
        problem = fmt::format("the guest did not report an address within {:.0f} s",
                              std::chrono::duration<double>(timeout).count());
    return {std::nullopt, problem};
}

SshTarget ssh_target(Hypervisor& hv, const Environment& env, const std::string& name) {
    if (!hv.domain_exists(name))
        throw Error(ErrorKind::NotFound, fmt::format("there is no VM named '{}'", name),
                    "see your VMs with 'vmctl list'");
    const DomainState state = hv.domain_state(name);
    if (state != DomainState::Running)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is {}, so nothing answers SSH", name,
                                                         state_name(state)),
                    fmt::format("start it with 'vmctl start {}'", name));
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    const VmAddress address = vm_address(hv, env, facts, state);
    if (address.network.empty())
        throw Error(ErrorKind::NetworkUnavailable, fmt::format("VM '{}' has no network interface", name),
                    fmt::format("use 'vmctl exec {} -- CMD' or 'vmctl console {}', or make a VM with a NIC "
                                "(without --network none)",
                                name, name));
    if (address.ip.empty())
        throw Error(ErrorKind::NetworkUnavailable, fmt::format("VM '{}' has no address yet", name),
                    fmt::format("wait a few seconds; 'vmctl logs {}' shows its DHCP lines", name));
    return {address.ip, host::ssh_key(env.paths).private_key,
            host::ssh_control_path(env.paths, facts.uuid, facts.run_id, address.ip)};
}

}  // namespace vmctl::ops
