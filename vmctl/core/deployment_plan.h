#pragma once

#include "vmctl/core/deployment.h"
#include "vmctl/core/hypervisor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vmctl {

// What exists now, for one VM: what the planner compares with the file.
struct ExistingVm {
    std::string name;
    DomainState state = DomainState::Other;
    unsigned vcpus = 0;
    unsigned max_vcpus = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t max_memory_bytes = 0;
    std::uint64_t disk_bytes = 0;  // the first disk's capacity; 0 when unknown
    std::string image;
    std::string startup_script;
    std::string network;  // the NIC's network; empty: no NIC
    std::string chipset;  // "q35", "pc", or "" for a board vmctl does not name
    Labels labels;
};

enum class StepKind {
    Create,    // declared, missing
    Update,    // declared, differs in size or labels: changed in place
    Replace,   // declared, differs in what only a new VM can change (image, script, beyond its maximum)
    Remove,    // managed by the deployment, no longer declared
    KeepPet,   // would be removed or replaced, but it is a protected pet
    Conflict,  // declared, but a VM of that name exists outside the deployment
};

// One change of an Update, in words, and whether the running guest sees it now.
struct Change {
    std::string what;  // "memory 256 MiB -> 512 MiB"
    std::string how;   // "live: the balloon gives it now", "needs a restart: ..."
};

struct PlanStep {
    StepKind kind = StepKind::Create;
    std::string name;
    std::optional<WantedVm> wanted;  // Create, Update, Replace
    std::vector<Change> changes;     // Update
    std::string reason;              // Replace, Remove, KeepPet, Conflict
    // For Update, what ops must do: nothing set means unchanged.
    std::optional<unsigned> new_vcpus;
    std::optional<std::uint64_t> new_memory_bytes;
    std::optional<std::uint64_t> new_disk_bytes;
    std::optional<Labels> new_labels;
};

struct Plan {
    std::string deployment;
    std::string file;
    std::vector<PlanStep> steps;        // in the order apply does them: conflicts, removals, replacements, changes, creations
    std::vector<std::string> unchanged;  // declared VMs that already match
    std::vector<std::string> notes;      // differences apply leaves alone, said once each

    // True when apply would change something (a pet kept or a note is no change).
    bool has_changes() const;
    std::size_t count(StepKind kind) const;
};

// Compares the file with what exists. Pure. `existing` is every VM on the
// host: VMs labelled deployment=NAME are the deployment's; another VM with a
// declared name is a conflict. Protected pets are never removed or replaced.
Plan plan_deployment(const Deployment& desired, const std::vector<ExistingVm>& existing);

// The plan in words a beginner reads, one line per VM (and one per change).
std::string format_plan(const Plan& plan);

// "2 vCPUs, 1 GiB memory, 1 GiB disk, image tiny".
std::string describe_size(const WantedVm& vm);

}  // namespace vmctl
