#pragma once

#include "vmctl/core/accel.h"
#include "vmctl/core/chipset.h"
#include "vmctl/core/names.h"

#include <cstdint>
#include <string>

namespace vmctl {

// vmctl's own facts about a VM, kept in the domain XML's <metadata> under
// vmctl's namespace so that they travel with the domain (no side files).
struct VmMetadata {
    std::string image;         // "tiny"
    std::string machine_type;  // "e2-micro", or empty when sized by --cpus/--memory
    std::string created_at;    // ISO 8601, UTC
    Labels labels;
    // The NIC, repeated here so that `vmctl list` finds every VM's address
    // with the metadata it reads anyway (no per-VM XML); empty: no NIC.
    std::string network;
    std::string mac;
};

// The VM's one network interface: virtio, on a libvirt network or, for a
// user without root, plugged into that network's bridge by QEMU's helper.
struct NicSpec {
    std::string network;  // libvirt network name ("vmctl"); empty: no NIC
    std::string mac;      // "52:54:00:xx:xx:xx", derived from the VM's name
    std::string bridge;   // set: <interface type='bridge'> on this host bridge
};

// Everything needed to define a new VM, already validated and normalised.
struct VmSpec {
    std::string name;
    unsigned vcpus = 1;
    unsigned max_vcpus = 0;               // hot-plug limit, fixed at definition; 0 means vcpus
    std::uint64_t memory_bytes = 0;
    std::uint64_t max_memory_bytes = 0;   // balloon limit, fixed at definition; 0 means memory_bytes
    std::uint64_t disk_bytes = 0;
    Accel accel = Accel::Tcg;
    Chipset chipset = kDefaultChipset;
    std::string startup_script;  // contents, passed to the guest by QEMU fw_cfg
    NicSpec nic;                 // no NIC when nic.network is empty
    std::string ssh_authorized_keys;  // authorized_keys for root in the guest, by fw_cfg
    VmMetadata metadata;
};

// Where the host keeps the files a domain refers to.
struct DomainFiles {
    std::string kernel;       // the image's kernel; "" boots the disk through the firmware
    std::string initrd;
    std::string kernel_args;  // the image's recommended args; console= is added
    std::string disk;         // the VM's qcow2 volume
    std::string serial_log;   // the serial console log, written by virtlogd
    std::string firmware;     // a ROM QEMU starts instead of its default SeaBIOS; "" for SeaBIOS
    // The guest agent's socket; "" lets libvirt choose. libvirt's choice for
    // a user's session lies under their home and can pass the 108 bytes a
    // socket's path may have (a long home and a long VM name).
    std::string agent_socket = {};
    // cloud-init's NoCloud seed (a small qcow2 volume, FAT labelled "cidata"),
    // the second disk; "" for images without cloud-init.
    std::string seed = {};
};

// The virtio-serial port the QEMU guest agent listens on.
inline constexpr const char* kGuestAgentChannel = "org.qemu.guest_agent.0";

// The XML namespace of vmctl's <metadata> element.
inline constexpr const char* kMetadataNamespace = "https://vmctl.dev/xmlns/vm/1";
inline constexpr const char* kMetadataPrefix = "vmctl";

// The fw_cfg entry holding the startup script, base64-encoded; the tiny
// image's init decodes and runs it.
inline constexpr const char* kStartupScriptFwCfg = "opt/vmctl/startup-script";
// The VM's name, which the guest takes as its hostname (and sends with its
// DHCP request, so the network's DNS answers for it).
inline constexpr const char* kHostnameFwCfg = "opt/vmctl/hostname";
// root's authorized_keys in the guest, base64-encoded (`vmctl ssh`).
inline constexpr const char* kSshKeysFwCfg = "opt/vmctl/ssh-authorized-keys";

}  // namespace vmctl
