#pragma once

#include "vmctl/core/deployment.h"
#include "vmctl/core/deployment_plan.h"
#include "vmctl/core/error.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

// The VMs that matter to a deployment as the planner sees them: those
// labelled deployment=NAME and those with a declared name.
std::vector<ExistingVm> existing_vms(Hypervisor& hv, const Deployment& deployment);

// The plan for this host now: plan_deployment over existing_vms.
Plan plan_on(Hypervisor& hv, const Deployment& deployment);

// What one step of apply or destroy did, or why it failed.
struct StepOutcome {
    std::string name;
    std::string what;   // "created (ready in 5.1 s)", "removed", "memory 256 MiB -> 512 MiB (live: ...)"
    bool ok = true;
    std::string error;  // when !ok: "error: ...; hint"
};

struct ApplyReport {
    std::vector<StepOutcome> outcomes;
    std::optional<ErrorKind> first_failure;
    std::size_t failed() const;
};

// Carries out a plan: removals, re-creations, in-place changes (ops::resize_vm
// and the labels), then creations (ops::create_vm, started together and
// awaited in parallel, like a herd). Before changing anything it checks every
// new VM's size and image and refuses conflicts, so a mistake in the file
// changes nothing. A step that fails later is reported and the others go on;
// each step is whole or undone (a VM that does not get ready is removed), so
// running apply again finishes the job.
ApplyReport apply_plan(Hypervisor& hv, const Environment& env, const Plan& plan, const Progress& progress,
                       std::chrono::seconds ready_timeout = std::chrono::seconds(180));

// The VMs a deployment manages (label deployment=NAME), sorted by name.
std::vector<DomainSummary> deployment_vms(Hypervisor& hv, const std::string& deployment);

// Removes every VM the deployment manages; protected pets only with
// `include_pets` (they are unprotected first), else they are kept and said so.
ApplyReport teardown_deployment(Hypervisor& hv, const Environment& env, const std::string& deployment,
                               bool include_pets);

}  // namespace vmctl::ops
