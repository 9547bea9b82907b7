#include "vmctl/ops/drain.h"

#include "vmctl/ops/labels.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::ops {

host::HostEntry choose_drain_target(const std::vector<HostStatus>& hosts, const std::string& from) {
    const HostStatus* best = nullptr;
    for (const auto& status : hosts)
        if (status.reachable && status.entry.name != from &&
            (best == nullptr || status.node.free_memory_bytes > best->node.free_memory_bytes))
            best = &status;
    if (best == nullptr)
        throw Error(ErrorKind::InvalidState, fmt::format("there is no other host to move the VMs of '{}' to", from),
                    "bring one up with 'vmctl hosts up --count 2'");
    return best->entry;
}

std::vector<DrainMove> drain_host(Hypervisor& source, Hypervisor& dest, const Environment& env,
                                  const host::HostEntry& from, const host::HostEntry& to, const Labels& only,
                                  const DrainObserver& observer) {
    if (to.name == from.name)
        throw Error(ErrorKind::InvalidArgument, "a host cannot be drained onto itself", "choose another --to");
    const auto progress = observer.progress ? observer.progress : [](const MigrationJob&) { return true; };
    std::vector<DrainMove> moves;
    for (const auto& vm : source.list_domains()) {
        if (!std::all_of(only.begin(), only.end(),
                         [&](const auto& label) { return has_label(vm.metadata.labels, label.first, label.second); }))
            continue;
        DrainMove move;
        move.vm = vm.name;
        move.state = vm.state;
        move.options = options_between(vm.name, from, to, vm.state == DomainState::ShutOff);
        if (observer.starting)
            observer.starting(vm.name, vm.state);
        try {
            move.report = migrate_vm(source, dest, env, move.options, progress);
        } catch (const Error& e) {
            // Someone else's drain or delete got there first: nothing of it is left here to move.
            if (e.kind() == ErrorKind::NotFound && !source.domain_exists(vm.name))
                move.gone = true;
            else
                move.error = e;  // this VM stays on the source; the others still move
        }
        if (observer.finished)
            observer.finished(move);
        moves.push_back(std::move(move));
    }
    return moves;
}

}  // namespace vmctl::ops
