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

}  // namespace vmctl::host
