#pragma once

#include <string>
#include <vector>

namespace vmctl::host {

// Where vmctl keeps its files on this host. VMCTL_HOME overrides the data
// directory; otherwise root uses /var/lib/vmctl and other users
// $XDG_DATA_HOME/vmctl (~/.local/share/vmctl), matching qemu:///session.
struct Paths {
    std::string data_dir;
    std::string pool_dir;                 // the libvirt storage pool 'vmctl'
    std::string logs_dir;                 // serial console logs
    std::string golden_dir;               // the libvirt storage pool 'vmctl-images': golden disks
    std::vector<std::string> image_dirs;  // searched in order for built images
};

Paths default_paths();

// Root's data directory, /var/lib/vmctl: where `sudo vmctl` keeps its files.
std::string system_data_dir();

// The storage pool vmctl owns.
inline constexpr const char* kPoolName = "vmctl";
// The storage pool of golden images' read-only base disks.
inline constexpr const char* kImagePoolName = "vmctl-images";

// The directory holding vmctl's sources (set at build time), for hints that
// name a script to run.
std::string source_dir();

// True when the process runs as root.
bool is_root();

// The command that prepares this host (packages, daemons, the VM network),
// with "sudo " in front for a user who is not root.
std::string prepare_host_command();

}  // namespace vmctl::host
