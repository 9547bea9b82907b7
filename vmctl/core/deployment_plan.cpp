#include "vmctl/core/deployment_plan.h"

#include "vmctl/core/size.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace vmctl {
namespace {

std::string label_changes(const Labels& from, const Labels& to) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : to) {
        const auto old = from.find(key);
        if (old == from.end())
            parts.push_back(fmt::format("+{}={}", key, value));
        else if (old->second != value)
            parts.push_back(fmt::format("{}={} -> {}", key, old->second, value));
    }
    for (const auto& [key, value] : from)
        if (to.count(key) == 0)
            parts.push_back(fmt::format("-{}", key));
    return fmt::format("labels {}", fmt::join(parts, ", "));
}

// What only a new VM can change; empty when the VM can be changed in place.
std::vector<std::string> replace_reasons(const WantedVm& want, const ExistingVm& have) {
    std::vector<std::string> reasons;
    if (!have.image.empty() && have.image != want.image)
        reasons.push_back(
            fmt::format("its image changes from '{}' to '{}' (a VM's disk cannot change image)", have.image, want.image));
    if (have.startup_script != want.startup_script)
        reasons.push_back("its startup script changed (it is part of the VM's definition)");
    // Only a network the file names is compared: VMs made before NICs
    // existed are not replaced for the default.
    const std::string wanted_network = want.network == "none" ? "" : want.network;
    if (!want.network.empty() && wanted_network != have.network)
        reasons.push_back(fmt::format("its network changes from {} to {}",
                                      have.network.empty() ? "none" : "'" + have.network + "'",
                                      wanted_network.empty() ? "none" : "'" + wanted_network + "'"));
    // Only a board the file names is compared: VMs made before q35 keep pc.
    if (!want.chipset.empty() && !have.chipset.empty() && want.chipset != have.chipset)
        reasons.push_back(fmt::format("its chipset changes from {} to {} (the board is fixed when a VM is made)",
                                      have.chipset, want.chipset));
    if (have.max_vcpus != 0 && want.vcpus > have.max_vcpus)
        reasons.push_back(fmt::format("it needs {} vCPUs, above the maximum of {} fixed when it was made", want.vcpus,
                                      have.max_vcpus));
    if (have.max_memory_bytes != 0 && want.memory_bytes > have.max_memory_bytes)
        reasons.push_back(fmt::format("it needs {} of memory, above the maximum of {} fixed when it was made",
                                      format_size(want.memory_bytes), format_size(have.max_memory_bytes)));
    return reasons;
}

void compare(const Deployment& desired, const WantedVm& want, const ExistingVm& have, Plan& plan,
             std::vector<PlanStep>& replaces, std::vector<PlanStep>& updates) {
    const auto reasons = replace_reasons(want, have);
    if (!reasons.empty()) {
        const std::string why = fmt::format("{}", fmt::join(reasons, "; "));
        if (has_pet_label(have.labels)) {
            replaces.push_back({StepKind::KeepPet, want.name, std::nullopt, {},
                                fmt::format("{}, but it is a protected pet and apply never re-creates pets; to do it, "
                                            "run 'vmctl unprotect {}' and apply again",
                                            why, want.name)});
            return;
        }
        replaces.push_back({StepKind::Replace, want.name, want, {}, why + "; its disk starts over"});
        return;
    }

    PlanStep step{StepKind::Update, want.name, want};
    const bool running = have.state == DomainState::Running;
    const std::string stopped = "at its next start (it is stopped)";
    if (want.vcpus != have.vcpus) {
        step.new_vcpus = want.vcpus;
        std::string how = !running ? stopped
                          : want.vcpus > have.vcpus
                              ? "live: hot-plugged, the guest sees them now"
                              : "needs a restart: vCPUs are taken away at the next boot";
        step.changes.push_back({fmt::format("vCPUs {} -> {}", have.vcpus, want.vcpus), how});
    }
    if (want.memory_bytes != have.memory_bytes) {
        step.new_memory_bytes = want.memory_bytes;
        step.changes.push_back(
            {fmt::format("memory {} -> {}", format_size(have.memory_bytes), format_size(want.memory_bytes)),
             running ? "live: the balloon gives or takes it now" : stopped});
    }
    if (have.disk_bytes != 0 && want.disk_bytes > have.disk_bytes) {
        step.new_disk_bytes = want.disk_bytes;
        step.changes.push_back(
            {fmt::format("disk {} -> {}", format_size(have.disk_bytes), format_size(want.disk_bytes)),
             "live: the disk grows now; the guest's filesystem keeps its size until grown"});
    } else if (want.disk_bytes < have.disk_bytes) {
        plan.notes.push_back(fmt::format("the disk of '{}' is {} and {} asks for {}: vmctl never shrinks a disk, so it "
                                         "stays as it is",
                                         want.name, format_size(have.disk_bytes), desired.file,
                                         format_size(want.disk_bytes)));
    }
    Labels labels = want.labels;
    // The labels of the lab that made the VM (lab=ID, student=NAME) are not
    // the file's to manage: keeping them lets that student's 'vmctl lab reset'
    // still find the VM.
    for (const char* key : {"lab", "student"})
        if (const auto lab = have.labels.find(key); lab != have.labels.end() && want.labels.count(key) == 0)
            labels.insert(*lab);
    if (has_pet_label(have.labels) && !has_pet_label(want.labels)) {
        labels["kind"] = "pet";
        plan.notes.push_back(fmt::format("'{}' was protected by hand: apply keeps its protection", want.name));
    }
    if (labels != have.labels) {
        step.changes.push_back({label_changes(have.labels, labels), "live: vmctl's metadata"});
        step.new_labels = labels;
    }
    if (!running && have.state == DomainState::ShutOff)
        plan.notes.push_back(fmt::format("'{}' is stopped; apply leaves it stopped (start it with 'vmctl start {}')",
                                         want.name, want.name));
    if (step.changes.empty())
        plan.unchanged.push_back(want.name);
    else
        updates.push_back(std::move(step));
}

const char* symbol(StepKind kind) {
    switch (kind) {
    case StepKind::Create: return "+";
    case StepKind::Update: return "~";
    case StepKind::Replace: return "-/+";
    case StepKind::Remove: return "-";
    case StepKind::KeepPet: return "=";
    case StepKind::Conflict: return "!";
    }
    return "?";
}

std::string group_note(const WantedVm& vm) {
    return vm.in_group ? fmt::format(" (group {})", vm.resource) : (vm.protect ? " (a protected pet)" : "");
}

}  // namespace

bool Plan::has_changes() const {
    return std::any_of(steps.begin(), steps.end(), [](const PlanStep& s) { return s.kind != StepKind::KeepPet; });
}

std::size_t Plan::count(StepKind kind) const {
    return static_cast<std::size_t>(
        std::count_if(steps.begin(), steps.end(), [kind](const PlanStep& s) { return s.kind == kind; }));
}

std::string describe_size(const WantedVm& vm) {
    return fmt::format("{}{} vCPU{}, {} memory, {} disk, image {}{}",
                       vm.machine_type.empty() ? "" : vm.machine_type + ": ", vm.vcpus, vm.vcpus == 1 ? "" : "s",
                       format_size(vm.memory_bytes), format_size(vm.disk_bytes), vm.image,
                       vm.chipset.empty() ? "" : ", " + vm.chipset + " board");
}

Plan plan_deployment(const Deployment& desired, const std::vector<ExistingVm>& existing) {
    Plan plan{desired.name, desired.file};
    std::map<std::string, const ExistingVm*> by_name;
    for (const auto& vm : existing)
        by_name[vm.name] = &vm;
    std::vector<PlanStep> conflicts, removals, replaces, updates, creates;
    std::set<std::string> wanted;
    std::map<std::string, unsigned> group_sizes;
    for (const auto& want : desired.vms) {
        wanted.insert(want.name);
        if (want.in_group)
            ++group_sizes[want.resource];
        const auto found = by_name.find(want.name);
        if (found == by_name.end()) {
            creates.push_back({StepKind::Create, want.name, want});
            continue;
        }
        const ExistingVm& have = *found->second;
        const auto owner = have.labels.find(kDeploymentLabel);
        if (owner == have.labels.end() || owner->second != desired.name) {
            conflicts.push_back(
                {StepKind::Conflict, want.name, std::nullopt, {},
                 owner == have.labels.end()
                     ? "a VM of that name exists and is not part of this deployment (made by hand or with virsh)"
                     : fmt::format("a VM of that name belongs to deployment '{}'", owner->second)});
            continue;
        }
        compare(desired, want, have, plan, replaces, updates);
    }
    for (const auto& vm : existing) {
        const auto owner = vm.labels.find(kDeploymentLabel);
        if (owner == vm.labels.end() || owner->second != desired.name || wanted.count(vm.name) != 0)
            continue;
        if (has_pet_label(vm.labels)) {
            removals.push_back({StepKind::KeepPet, vm.name, std::nullopt, {},
                                fmt::format("no longer in {}, but it is a protected pet and apply never removes pets; "
                                            "to remove it, run 'vmctl unprotect {}' and apply again",
                                            desired.file, vm.name)});
            continue;
        }
        const auto group = vm.labels.find(kGroupLabel);
        std::string reason = fmt::format("no longer in {}", desired.file);
        if (group != vm.labels.end() && group_sizes.count(group->second) != 0)
            reason = fmt::format("group '{}' now has {} VM{}", group->second, group_sizes[group->second],
                                 group_sizes[group->second] == 1 ? "" : "s");
        removals.push_back({StepKind::Remove, vm.name, std::nullopt, {}, reason});
    }
    for (auto* part : {&conflicts, &removals, &replaces, &updates, &creates})
        for (auto& step : *part)
            plan.steps.push_back(std::move(step));
    return plan;
}

std::string format_plan(const Plan& plan) {
    std::string text;
    std::size_t width = 0;
    for (const auto& step : plan.steps)
        width = std::max(width, step.name.size());
    const std::size_t total = plan.unchanged.size() + plan.count(StepKind::Update) + plan.count(StepKind::Replace) +
                              plan.count(StepKind::Create);
    if (!plan.has_changes()) {
        text += fmt::format("No changes: the {} VM{} of deployment '{}' match {}.\n", total, total == 1 ? "" : "s",
                            plan.deployment, plan.file);
    } else {
        text += fmt::format("Deployment '{}' ({}):\n", plan.deployment, plan.file);
    }
    for (const auto& step : plan.steps) {
        const std::string head = fmt::format("  {:<3} {:<{}}  ", symbol(step.kind), step.name, width);
        switch (step.kind) {
        case StepKind::Create:
            text += head + fmt::format("create: {}{}\n", describe_size(*step.wanted), group_note(*step.wanted));
            break;
        case StepKind::Update:
            for (std::size_t i = 0; i < step.changes.size(); ++i)
                text += (i == 0 ? head : std::string(head.size(), ' ')) +
                        fmt::format("change {} ({})\n", step.changes[i].what, step.changes[i].how);
            break;
        case StepKind::Replace:
            text += head + fmt::format("re-create: {}\n", step.reason);
            break;
        case StepKind::Remove:
            text += head + fmt::format("remove: {}\n", step.reason);
            break;
        case StepKind::KeepPet:
            text += head + fmt::format("keep: {}\n", step.reason);
            break;
        case StepKind::Conflict:
            text += head + fmt::format("conflict: {}\n", step.reason);
            break;
        }
    }
    for (const auto& note : plan.notes)
        text += fmt::format("note: {}\n", note);
    if (plan.has_changes())
        text += fmt::format("Plan: {} to create, {} to change, {} to re-create, {} to remove, {} unchanged.\n",
                            plan.count(StepKind::Create), plan.count(StepKind::Update), plan.count(StepKind::Replace),
                            plan.count(StepKind::Remove), plan.unchanged.size());
    if (plan.count(StepKind::Conflict) != 0)
        text += "apply refuses to start while there is a conflict: rename the resource in the file, or remove the "
                "other VM first.\n";
    return text;
}

}  // namespace vmctl
