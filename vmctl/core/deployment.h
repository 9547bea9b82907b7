#pragma once

#include "vmctl/core/names.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vmctl {

// One VM a deployment file asks for, with groups already expanded into their
// members (group `web` with count 3 gives web-1, web-2, web-3) and sizes
// resolved from the machine type and the defaults.
struct WantedVm {
    std::string name;
    std::string resource;  // the resource that declares it: "web" for web-2
    bool in_group = false;
    std::string where;     // "shop.yaml:12:3", the resource's position, for later errors
    std::string machine_type;
    unsigned vcpus = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t disk_bytes = 0;
    std::string image = "tiny";
    std::string startup_script;  // contents
    // cloud-init user-data for images with cloud-init, used when the VM is
    // made; like a cloud's, it is not read back, so changing it replaces nothing.
    std::string cloud_init;
    std::string network;         // "vmctl", "none", or "" for the default (the vmctl network)
    std::string chipset;         // "q35", "pc", or "" for the default (q35)
    bool protect = false;
    Labels labels;  // the file's labels plus deployment=, and group=/kind= for group members
};

// A deployment file: a named fleet of VMs, in the spirit of Google's
// deployment manager (`resources:` with `name`, `type`, `properties`).
//
//   deployment: shop
//   resources:
//   - name: web
//     type: vmctl.v1.group
//     properties: {count: 2, machineType: e2-micro, network: vmctl}
//   - name: db
//     type: vmctl.v1.instance
//     properties: {memory: 512M, diskSize: 2G, protect: true, chipset: pc}
struct Deployment {
    std::string name;
    std::string file;            // as given on the command line, for messages
    std::vector<WantedVm> vms;   // in file order
};

inline constexpr const char* kDeploymentLabel = "deployment";
inline constexpr const char* kGroupLabel = "group";
inline constexpr const char* kInstanceType = "vmctl.v1.instance";
inline constexpr const char* kGroupType = "vmctl.v1.group";

// Parses a deployment file. Pure. Every mistake (bad YAML, an unknown key, a
// bad size, name, label or count, a name declared twice) throws
// Error(FileInvalid) whose message starts with "FILE:LINE:COLUMN:".
Deployment parse_deployment(std::string_view text, const std::string& file_name);

}  // namespace vmctl
