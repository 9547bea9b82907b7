#pragma once

#include "vmctl/host/paths.h"

#include <string>

namespace vmctl::host {

// The SSH key pair vmctl uses for this user's VMs: `vmctl create` hands the
// public key to each new VM (by fw_cfg, never baked into the shared image)
// and `vmctl ssh` logs in with the private one.
struct SshKey {
    std::string private_key;  // path, e.g. ~/.local/share/vmctl/ssh/id_ed25519
    std::string public_key;   // the public key line ("ssh-ed25519 AAAA... vmctl")
};

// The user's key pair under `paths.data_dir`/ssh, made with ssh-keygen (no
// passphrase) the first time it is needed; the directory is 0700. Several
// vmctl processes may ask at once: one makes it, the others wait for it.
// Throws Error(OperationFailed) when ssh-keygen is missing or fails.
SshKey ssh_key(const Paths& paths);

// Where `vmctl ssh` keeps one shared SSH connection to one run of a VM (its
// later calls reuse it instead of logging in again): a socket under
// `paths.data_dir`/ssh/mux (0700), named after the VM's UUID, the run's
// domain id and the address, so a VM made again, restarted or readdressed
// never meets a connection to its predecessor. Empty when the path would be
// too long for a Unix socket (then every call logs in afresh).
std::string ssh_control_path(const Paths& paths, const std::string& uuid, unsigned run_id, const std::string& ip);

// Closes every shared connection to the VM with this UUID (`vmctl delete`
// does, so no SSH process outlives the VM it talks to).
void close_ssh_connections(const Paths& paths, const std::string& uuid);

}  // namespace vmctl::host
