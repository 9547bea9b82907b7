#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// The libvirt network vmctl's VMs join by default: NAT to the outside, DHCP
// and DNS from libvirt's dnsmasq (scripts/prepare-host.sh defines it from
// share/network-vmctl.xml).
inline constexpr const char* kDefaultNetwork = "vmctl";
// Its bridge on the host, which a user's QEMU may join through QEMU's bridge
// helper when root allowed it (scripts/prepare-host.sh does).
inline constexpr const char* kDefaultBridge = "vmctl0";

// What `--network` asked for: a network by name, none (no NIC), or the
// default (the vmctl network where the host has one).
struct NetworkRequest {
    enum class Kind { Default, None, Named } kind = Kind::Default;
    std::string name;
};

// "none", a network name, or "" for the default; throws Error(InvalidArgument)
// for a name libvirt could not have.
NetworkRequest parse_network_request(std::string_view text);

struct NetworkFacts {
    std::string name;
    bool active = false;
    bool autostart = false;
    std::string bridge;  // the host bridge, "vmctl0"
};

// One address libvirt's dnsmasq handed out.
struct DhcpLease {
    std::string mac;       // lower case
    std::string ip;        // "10.215.0.57"
    unsigned prefix = 0;   // 24
    std::string hostname;  // what the guest sent, when it sent one
};

// A locally administered-looking QEMU MAC ("52:54:00:xx:xx:xx") whose last
// three bytes come from a hash of the VM's name, so a VM made again under the
// same name gets the same MAC (and so the same DHCP lease and address).
// `attempt` > 0 gives other addresses for the same name, for when the first
// is already taken.
std::string derive_mac(std::string_view vm_name, unsigned attempt = 0);

// The first derive_mac(vm_name, attempt) not in `taken` (lower case).
std::string unused_mac(std::string_view vm_name, const std::set<std::string>& taken);

// The line the tiny guest prints when DHCP gives it an address:
// "vmctl-guest: address eth0 10.215.0.57/24".
inline constexpr const char* kAddressPrefix = "vmctl-guest: address ";
// ... and when DHCP does not answer.
inline constexpr const char* kNoAddressPrefix = "vmctl-guest: no address on ";

struct AddressLine {
    std::string interface;  // "eth0"
    std::string ip;         // "10.215.0.57"
    unsigned prefix = 0;
};

// Parses an address line found anywhere in `line` (it may follow a shell prompt).
std::optional<AddressLine> parse_address_line(std::string_view line);

// The lease of `mac` among `leases`, if any.
std::optional<DhcpLease> lease_for(const std::vector<DhcpLease>& leases, std::string_view mac);

}  // namespace vmctl
