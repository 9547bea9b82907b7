#include "vmctl/ops/deploy.h"

#include "vmctl/core/chipset.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/size.h"
#include "vmctl/host/images.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/labels.h"
#include "vmctl/ops/resize.h"
#include "vmctl/ops/usage.h"
#include "vmctl/ops/wait.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>

namespace vmctl::ops {
namespace {

CreateOptions create_options(const WantedVm& want, std::chrono::seconds timeout) {
    CreateOptions options;
    options.name = want.name;
    options.machine_type = want.machine_type;
    options.vcpus = want.vcpus;
    options.memory_bytes = want.memory_bytes;
    options.disk_bytes = want.disk_bytes;
    options.image = want.image;
    options.startup_script = want.startup_script;
    options.cloud_init = want.cloud_init;
    options.network = parse_network_request(want.network);
    if (!want.chipset.empty())
        options.chipset = parse_chipset(want.chipset);
    options.labels = want.labels;  // kind=pet or kind=cattle is already there
    options.wait = false;
    options.ready_timeout = timeout;
    return options;
}

// Everything apply will make must be valid before anything changes.
void check_before_apply(const Plan& plan, const Environment& env, std::chrono::seconds timeout) {
    for (const auto& step : plan.steps) {
        if (step.kind == StepKind::Conflict)
            throw Error(ErrorKind::AlreadyExists, fmt::format("VM '{}' is declared in {}, but {}", step.name, plan.file,
                                                              step.reason),
                        fmt::format("rename it in the file, or remove the other VM first ('vmctl delete {} --force')",
                                    step.name));
        if (step.kind != StepKind::Create && step.kind != StepKind::Replace)
            continue;
        try {
            resolve_spec(create_options(*step.wanted, timeout), env.cpu, now_iso8601());
        } catch (const Error& e) {
            throw Error(ErrorKind::FileInvalid, fmt::format("{}: VM '{}': {}", step.wanted->where, step.name, e.what()),
                        e.hint());
        }
        host::find_image(step.wanted->image, env.paths.image_dirs);
    }
}

// apply exits with the first failure's code, unless Ctrl-C came: then 130.
void note_failure(ApplyReport& report, ErrorKind kind) {
    if (!report.first_failure || kind == ErrorKind::Interrupted)
        report.first_failure = kind;
}

StepOutcome attempt(const std::string& name, const std::function<std::string()>& work, ApplyReport& report) {
    StepOutcome outcome{name};
    try {
        // After Ctrl-C no step starts; each one left says so.
        host::throw_if_interrupted("applying the deployment");
        outcome.what = work();
    } catch (const Error& e) {
        outcome.ok = false;
        outcome.error = e.line();
        note_failure(report, e.kind());
    }
    report.outcomes.push_back(outcome);
    return outcome;
}

std::string update_vm(Hypervisor& hv, const Environment& env, const PlanStep& step) {
    ResizeRequest request{step.new_vcpus, step.new_memory_bytes, step.new_disk_bytes};
    std::vector<std::string> done;
    if (request.vcpus || request.memory_bytes || request.disk_bytes)
        for (const auto& change : resize_vm(hv, env, step.name, request))
            done.push_back(fmt::format("{} ({})", change.what, change.how));
    if (step.new_labels) {
        VmMetadata metadata = parse_domain_xml(hv.domain_xml(step.name)).metadata;
        metadata.labels = *step.new_labels;
        hv.set_metadata(step.name, metadata);
        record_usage(hv, env, step.name, "apply");  // the bill groups by labels
        done.push_back("labels updated");
    }
    return fmt::format("changed: {}", fmt::join(done, "; "));
}

// Creates the VMs together, then waits for all of them; one that does not
// get ready is removed, so the next apply makes it again.
void create_all(Hypervisor& hv, const Environment& env, const std::vector<const PlanStep*>& steps,
                std::chrono::seconds timeout, const Progress& progress, ApplyReport& report) {
    struct Started {
        std::string name;
        std::string log;
        std::chrono::steady_clock::time_point at;
        CreateResult made;
    };
    std::vector<Started> started;
    for (const PlanStep* step : steps) {
        const auto outcome = attempt(step->name, [&] {
            auto made = create_vm(hv, env, create_options(*step->wanted, timeout), [](std::string_view) {});
            started.push_back({step->name, parse_domain_xml(hv.domain_xml(step->name)).serial_log,
                               std::chrono::steady_clock::now(), std::move(made)});
            progress(fmt::format("started {}", step->name));
            return std::string("created");
        }, report);
        if (!outcome.ok)
            progress(fmt::format("could not create {}: {}", step->name, outcome.error));
    }
    if (started.empty())
        return;
    progress(fmt::format("waiting for {} VM{} to boot...", started.size(), started.size() == 1 ? "" : "s"));
    std::vector<std::future<ReadyWait>> waits;
    for (const auto& vm : started)
        waits.push_back(std::async(std::launch::async, [&hv, vm, timeout] {
            return wait_for_ready(hv, vm.name, vm.log, ready_timeout(vm.made.cloud_init, timeout), {},
                                  vm.made.imported_image);
        }));
    for (std::size_t i = 0; i < waits.size(); ++i) {
        auto outcome = std::find_if(report.outcomes.begin(), report.outcomes.end(),
                                    [&](const StepOutcome& o) { return o.name == started[i].name && o.ok; });
        try {
            waits[i].get();
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started[i].at).count();
            outcome->what = fmt::format("created, ready in {:.1f} s", seconds);
        } catch (const Error& e) {
            outcome->ok = false;
            outcome->error = e.line() + " (the VM was removed; apply again to retry)";
            note_failure(report, e.kind());
            try {
                delete_vm(hv, env, started[i].name, true);
            } catch (const Error&) {
                outcome->error +=
                    fmt::format("; removing it failed too: run 'vmctl delete {} --force'", started[i].name);
            }
        }
    }
}

}  // namespace

std::size_t ApplyReport::failed() const {
    return static_cast<std::size_t>(
        std::count_if(outcomes.begin(), outcomes.end(), [](const StepOutcome& o) { return !o.ok; }));
}

std::vector<ExistingVm> existing_vms(Hypervisor& hv, const Deployment& deployment) {
    std::set<std::string> declared;
    for (const auto& vm : deployment.vms)
        declared.insert(vm.name);
    std::vector<ExistingVm> result;
    for (const auto& summary : hv.list_domains()) {
        const auto owner = summary.metadata.labels.find(kDeploymentLabel);
        const bool managed = owner != summary.metadata.labels.end() && owner->second == deployment.name;
        if (!managed && declared.count(summary.name) == 0)
            continue;
        ExistingVm vm;
        vm.name = summary.name;
        vm.state = summary.state;
        vm.labels = summary.metadata.labels;
        vm.image = summary.metadata.image;
        vm.network = summary.metadata.network;
        // The definition, not the live state: right after a boot or a resize
        // the balloon is still on its way to the size that was set.
        const DomainFacts facts = parse_domain_xml(hv.domain_config_xml(summary.name));
        vm.vcpus = facts.vcpus;
        vm.max_vcpus = facts.max_vcpus;
        vm.memory_bytes = facts.memory_bytes;
        vm.max_memory_bytes = facts.max_memory_bytes;
        vm.chipset = std::string(chipset_of_machine(facts.machine));
        vm.startup_script = facts.startup_script;
        for (const auto& disk : facts.disks)
            if (disk.device == "disk" && !disk.path.empty()) {
                if (const auto volume = hv.volume_by_path(disk.path))
                    vm.disk_bytes = volume->capacity_bytes;
                break;
            }
        result.push_back(std::move(vm));
    }
    return result;
}

Plan plan_on(Hypervisor& hv, const Deployment& deployment) {
    return plan_deployment(deployment, existing_vms(hv, deployment));
}

ApplyReport apply_plan(Hypervisor& hv, const Environment& env, const Plan& plan, const Progress& progress,
                       std::chrono::seconds ready_timeout) {
    check_before_apply(plan, env, ready_timeout);
    ApplyReport report;
    std::vector<const PlanStep*> creates;
    for (const auto& step : plan.steps) {
        switch (step.kind) {
        case StepKind::Remove:
        case StepKind::Replace: {
            const auto outcome = attempt(step.name, [&] {
                delete_vm(hv, env, step.name, true);
                return std::string(step.kind == StepKind::Remove ? "removed" : "removed, to be made again");
            }, report);
            if (outcome.ok && step.kind == StepKind::Replace)
                creates.push_back(&step);
            break;
        }
        case StepKind::Update:
            attempt(step.name, [&] {
                return update_vm(hv, env, step);
            }, report);
            break;
        case StepKind::Create:
            creates.push_back(&step);
            break;
        case StepKind::KeepPet:
        case StepKind::Conflict:
            break;
        }
    }
    create_all(hv, env, creates, ready_timeout, progress, report);
    return report;
}

std::vector<DomainSummary> deployment_vms(Hypervisor& hv, const std::string& deployment) {
    return select_by_label(hv, kDeploymentLabel, deployment);
}

ApplyReport teardown_deployment(Hypervisor& hv, const Environment& env, const std::string& deployment,
                               bool include_pets) {
    ApplyReport report;
    for (const auto& vm : deployment_vms(hv, deployment)) {
        if (is_pet(vm.metadata) && !include_pets) {
            report.outcomes.push_back({vm.name, "kept: a protected pet (give --pets to remove pets too)"});
            continue;
        }
        attempt(vm.name, [&] {
            if (is_pet(vm.metadata))
                set_protected(hv, vm.name, false);
            const auto result = delete_vm(hv, env, vm.name, true);
            return fmt::format("removed{}", result.was_running ? " (it was running)" : "");
        }, report);
    }
    return report;
}

}  // namespace vmctl::ops
