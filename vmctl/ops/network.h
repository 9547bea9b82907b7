#pragma once

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/core/network.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

// The NIC a new VM named `vm_name` gets for `request`: the named (or the
// default) network, checked to exist and be active, and a MAC derived from
// the name that no VM on this host and no lease on the network has yet.
// On qemu:///session (no libvirt networks) the vmctl network is joined
// through its bridge by QEMU's bridge helper, where root allowed that, with
// a MAC derived from the user's data directory too (students' VMs share
// the bridge and their names). Elsewhere the default quietly falls back to
// no NIC, with a progress note. Throws Error(InvalidArgument) for an unknown
// network, listing the ones there are, and Error(NetworkUnavailable) for one
// that is not active.
NicSpec choose_nic(Hypervisor& hv, const Environment& env, const NetworkRequest& request,
                   const std::string& vm_name, const Progress& progress);

// The vmctl network the VM's NIC is on ("" without a NIC): the libvirt
// network, or for a NIC plugged into a bridge (qemu:///session) the network
// vmctl recorded when it made the VM.
std::string network_of(const DomainFacts& facts);

// Where a VM can be reached: its NIC and, while it runs, its address.
struct VmAddress {
    std::string network;  // empty: the VM has no NIC
    std::string mac;
    std::string ip;       // empty: no address known (yet)
    unsigned prefix = 0;
};

// The address of the VM whose facts these are: the lease its network's DHCP
// server gave its MAC, else the last address line in its serial log (a NIC
// libvirt does not manage, as on qemu:///session). No IP for a VM that is
// not running: a lease outlives the VM.
VmAddress vm_address(Hypervisor& hv, const Environment& env, const DomainFacts& facts, DomainState state);

// The addresses of many VMs at once, by the NIC in their metadata: one lease
// query per network, else the address line in the VM's serial log under
// env.paths.logs_dir. Keyed by VM name; VMs without a NIC or not running are absent.
std::map<std::string, std::string> running_addresses(Hypervisor& hv, const Environment& env,
                                                     const std::vector<DomainSummary>& vms);

struct AddressWait {
    std::optional<AddressLine> address;
    std::string problem;  // why there is none, when there is none
};

// Waits up to `timeout` for the guest's address line in its serial log
// (the guest prints it once DHCP answers). Never throws for a missing
// address: the VM is fine without one, so the answer says why instead.
AddressWait wait_for_address(Hypervisor& hv, const std::string& name, const std::string& serial_log,
                             std::chrono::milliseconds timeout);

// How to reach a running VM over SSH.
struct SshTarget {
    std::string ip;
    std::string key_path;  // the private key vmctl made for this user
    std::string control_path;  // the shared connection to this run of the VM; empty: none
};

// Checks that the VM runs, has a NIC and an address. Throws Error(NotFound),
// Error(InvalidState) for a VM that is not running, and
// Error(NetworkUnavailable) for one without a NIC or an address, each with
// what to do instead.
SshTarget ssh_target(Hypervisor& hv, const Environment& env, const std::string& name);

}  // namespace vmctl::ops
