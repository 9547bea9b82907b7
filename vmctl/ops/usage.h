#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/core/usage.h"
#include "vmctl/ops/environment.h"

#include <string>
#include <vector>

namespace vmctl::ops {

// What the VM is now: state, size, disk, snapshots, labels, and for a
// running VM its QEMU process's start time (local hosts only).
UsageRecord observe_vm(Hypervisor& hv, const Environment& env, const std::string& name, const std::string& event);

// Appends the VM's record after `event` (create, start, stop, ...) to the
// journal. Never throws: a journal that cannot be written costs only a
// warning, never the operation the user asked for.
void record_usage(Hypervisor& hv, const Environment& env, const std::string& name,
                  const std::string& event = "apply");
void record_deleted(const Environment& env, const std::string& name);

// Samples every VM into the journal (a VM started with virsh is counted from
// its QEMU start time), marks VMs the journal knows and the host no longer
// has, and returns the whole journal.
std::vector<UsageRecord> sample_usage(Hypervisor& hv, const Environment& env);

}  // namespace vmctl::ops
