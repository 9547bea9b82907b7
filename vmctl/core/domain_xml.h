#pragma once

#include "vmctl/core/vm_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl {

// Builds the libvirt domain XML for a new VM. Every user-supplied string (name,
// labels, startup script) goes through the XML library, so it is escaped.
// The result validates against libvirt's domain schema (virt-xml-validate).
std::string build_domain_xml(const VmSpec& spec, const DomainFiles& files);

// Free PCI Express root ports a new q35 VM gets, for disks attached while it
// runs (a stopped VM's definition gains ports as needed).
inline constexpr unsigned kHotplugRootPorts = 4;

// Builds only vmctl's <metadata> child element, for libvirt's metadata API:
// without a namespace declaration, which libvirt adds itself.
std::string build_metadata_xml(const VmMetadata& metadata);

struct DiskFacts {
    std::string target;  // "vda"
    std::string path;    // the host file
    std::string format;  // "qcow2"
    std::string device;  // "disk" or "cdrom"
};

// The <disk> device XML of a qcow2 data disk at `path`, seen as `target` ("vdb").
std::string build_disk_device_xml(const std::string& path, const std::string& target);

// The first virtio target name ("vdb", "vdc", ...) no disk uses yet.
std::string next_disk_target(const std::vector<DiskFacts>& disks);

struct InterfaceFacts {
    std::string type;     // "network", "bridge", "user", ...
    std::string mac;
    std::string network;  // the libvirt network, for type "network"
    std::string bridge;   // the host bridge, for type "bridge"
    std::string model;    // "virtio"
};

// The facts vmctl reads back from any domain's XML, vmctl-made or not.
struct DomainFacts {
    std::string name;
    std::string uuid;
    unsigned run_id = 0;  // a running domain's id, new each time its QEMU starts; 0 when shut off
    std::string type;  // libvirt domain type: "qemu" (TCG) or "kvm"
    std::string machine;  // QEMU machine as libvirt expanded it: "pc-q35-7.2"
    unsigned vcpus = 0;
    unsigned max_vcpus = 0;
    std::uint64_t memory_bytes = 0;      // current (balloon) memory
    std::uint64_t max_memory_bytes = 0;  // memory fixed at definition
    std::vector<DiskFacts> disks;
    std::vector<InterfaceFacts> interfaces;
    std::string kernel;          // direct kernel boot: <os><kernel>
    std::string initrd;
    std::string kernel_args;     // <cmdline> without vmctl's "console=ttyS0"
    std::string firmware;        // <os><loader>: "" for QEMU's default SeaBIOS
    // UEFI: variables kept in flash (a pflash loader, nvram, firmware='efi'),
    // which internal snapshots cannot hold. A ROM loader such as qboot is not.
    bool firmware_in_flash = false;
    std::string serial_log;      // empty when the serial port is not logged
    bool has_guest_agent = false;  // a virtio channel for the QEMU guest agent
    std::string startup_script;  // empty when none
    bool has_vmctl_metadata = false;
    VmMetadata metadata;
};

// Parses a domain XML document; throws Error(Internal) if it is not XML.
DomainFacts parse_domain_xml(const std::string& xml);

// The same domain XML with its serial console log opened for appending: the
// definition a migration's destination QEMU starts from, so that the console
// log the source wrote (the boot, earlier heartbeats) is kept, not truncated.
// A cold start keeps truncating it: the persistent definition is unchanged.
std::string with_console_log_appended(const std::string& xml);

}  // namespace vmctl
