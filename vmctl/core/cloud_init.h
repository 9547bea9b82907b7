#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vmctl {

// What a VM's NoCloud seed disk holds: the two files cloud-init reads from a
// filesystem labelled "cidata" (the way a cloud hands a VM its settings).
struct CloudInitSeed {
    std::string meta_data;
    std::string user_data;
};

struct CloudInitRequest {
    std::string vm_name;      // the hostname
    std::string instance_id;  // new for every VM made, so a clone's cloud-init runs again
    std::string ssh_keys;     // authorized_keys lines: for the image's default user and root
    std::string startup_script;  // run at every boot, its output on the serial console
    std::string user_data;       // --cloud-init FILE: passed through as it is, instead of the above
};

// meta-data (instance-id, local-hostname, public-keys) and user-data: the
// user's own file when given, else a #cloud-config that writes the startup
// script to /var/lib/vmctl/startup-script and runs it at every boot (from
// cloud-init's /var/lib/cloud/scripts/per-boot, in its final stage), printing
// "startup: <line>" and "vmctl-guest: startup-script exit=<code>" on the
// serial console as the tiny image does.
CloudInitSeed build_cloud_init_seed(const CloudInitRequest& request);

// Throws Error(InvalidArgument) naming `path` unless `text` starts the way
// cloud-init recognises user-data: "#cloud-config", "#!" (a script),
// "#include", "#cloud-boothook" or a MIME multipart header.
void check_user_data(const std::string& text, const std::string& path);

// What a cloud-init guest reported on its serial console.
struct CloudInitReport {
    bool finished = false;             // cloud-init's final message was printed
    std::string status;                // "done", "error", ... (the debian-12 image says it)
    std::optional<int> startup_exit;   // the startup script's exit code
};
CloudInitReport read_cloud_init_report(std::string_view serial_log);

// True for the line cloud-init prints when it is done: vmctl's final message
// ("vmctl-guest: cloud-init finished after ...") or cloud-init's own
// ("Cloud-init v. 22.4.2 finished at ...").
bool is_cloud_init_finished(std::string_view line);

}  // namespace vmctl
