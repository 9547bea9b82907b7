#pragma once

#include "vmctl/core/error.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/ops/migrate.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::ops {

// Where a drain of host `from` sends its VMs when no destination is named:
// the reachable other host with the most free memory. Throws
// Error(InvalidState) when there is none.
host::HostEntry choose_drain_target(const std::vector<HostStatus>& hosts, const std::string& from);

// One VM's move in a drain: its report, or the error that left it on the source.
struct DrainMove {
    std::string vm;
    DomainState state = DomainState::Other;
    MigrateOptions options;
    std::optional<MigrationReport> report;
    std::optional<Error> error;
    bool gone = false;  // it left the source before its turn (moved or deleted by someone else)
};

// What a drain tells whoever watches it, VM by VM.
struct DrainObserver {
    std::function<void(const std::string& vm, DomainState state)> starting;
    std::function<bool(const MigrationJob&)> progress;  // false cancels this VM's move
    std::function<void(const DrainMove&)> finished;
};

// Moves every VM of `from` (running: live; stopped: its definition) to `to`,
// one after another; with `only`, just the VMs that have all those labels
// (a student's own on a shared host: student=alice). A VM that fails to
// move stays on the source and the drain goes on with the next; one that is
// no longer there when its turn comes is marked gone. The result lists
// every VM.
std::vector<DrainMove> drain_host(Hypervisor& source, Hypervisor& dest, const Environment& env,
                                  const host::HostEntry& from, const host::HostEntry& to, const Labels& only,
                                  const DrainObserver& observer);

}  // namespace vmctl::ops
