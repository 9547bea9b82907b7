#pragma once

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/core/vm_spec.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/wait.h"

#include <optional>
#include <string>

namespace vmctl::ops {

struct CloneOptions {
    std::string source;
    std::string target;
    bool linked = false;
    bool start = true;
    std::chrono::seconds ready_timeout{180};
};

struct CloneResult {
    std::string disk_path;
    std::string base_image;  // linked: the golden image made from the source's disk
    std::optional<ReadyWait> ready;
};

// The definition of a copy of `source` named `target`: the same board, sizes
// and their hot-plug limits, startup script, image and labels (but not
// "kind": a pet's clone is not a pet until protected). Its NIC, made by
// clone_vm on the source's network, gets a new MAC.
VmSpec clone_spec(const DomainFacts& source, const std::string& target);

// Copies a stopped VM: a full copy of its disk, or (linked) a new qcow2
// overlay on a read-only golden image made from it. The clone has its own
// name, UUID and labels; it boots with a new boot id. Nothing is left behind
// if a step fails.
CloneResult clone_vm(Hypervisor& hv, const Environment& env, const CloneOptions& options, const Progress& progress);

}  // namespace vmctl::ops
