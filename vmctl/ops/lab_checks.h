#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/core/lab.h"
#include "vmctl/host/lab_state.h"
#include "vmctl/host/shell.h"
#include "vmctl/ops/environment.h"

#include <functional>
#include <string>
#include <vector>

namespace vmctl::ops {

// What a check needs besides its own arguments. Every member is a function so
// that unit tests can give fakes.
struct CheckEnvironment {
    // The hypervisor of a host by name ("" or "local": the default connection);
    // throws Error(NotFound/Unreachable) for an unknown or silent host.
    std::function<Hypervisor&(const std::string& host)> hypervisor;
    std::function<host::ShellResult(const std::string& script)> run_script;
    std::function<std::vector<host::MigrationRecord>()> migrations;
    const host::LabProgress* progress = nullptr;  // answers and the lab's start time
    // False: serial_log checks look once instead of waiting up to `within`
    // (`lab test` uses it to see that a step starts unsolved, fast).
    bool patient = true;
};

struct CheckResult {
    bool passed = false;
    std::string what;    // "VM 'web' is running"
    std::string reason;  // why it failed, and what to do; empty when passed
};

// Evaluates one predicate against real state. Never throws for a state that
// is merely wrong (no such VM, an unreachable host): that is a failed check
// with its reason.
CheckResult evaluate_check(const lab::Check& check, const CheckEnvironment& env);

std::vector<CheckResult> evaluate_checks(const std::vector<lab::Check>& checks, const CheckEnvironment& env);

bool all_passed(const std::vector<CheckResult>& results);

}  // namespace vmctl::ops
