#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/host/migration_journal.h"
#include "vmctl/host/shell.h"
#include "vmctl/teach/lab_state.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmctl::teach {

// Where something was written in a lab file, for error messages.
struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based
};

// What a check needs besides its own arguments. Every member is a function so
// that unit tests can give fakes.
struct CheckEnvironment {
    // The hypervisor of a host by name ("" or "local": the default connection);
    // throws Error(NotFound/Unreachable) for an unknown or silent host.
    std::function<Hypervisor&(const std::string& host)> hypervisor;
    std::function<host::ShellResult(const std::string& script)> run_script;
    std::function<std::vector<host::MigrationRecord>()> migrations;
    const LabProgress* progress = nullptr;  // answers and the lab's start time
    // False: serial_log checks look once instead of waiting up to `within`
    // (`lab test` uses it to see that a step starts unsolved, fast).
    bool patient = true;
    // How much slower than usual this machine is now (its load per CPU, at
    // least 1, at most 8): a class of 30 on one machine makes everything
    // slower, and a check must not fail a student's right work for that.
    double slowness = 1.0;
    // The student whose lab this is: checks that count VMs leave out those
    // labelled as another student's (a class shares one libvirt under sudo).
    std::string student;
};

// How long a patient check waits for what takes `usual` on an idle machine:
// `usual` times the slowness; nothing when the check is not patient.
std::chrono::milliseconds patience(const CheckEnvironment& env, std::chrono::milliseconds usual);

// One predicate of a lab step. It looks at real state (the hypervisor, a
// serial log, the guest agent, the student's answers, or a script) and says
// whether the step is done. Each kind is one class in vmctl/teach/checks/,
// listed in the table of checks/check_kinds.cpp.
class Check {
public:
    virtual ~Check() = default;

    // What it claims, in words, for its ✓ or ✗ line: "VM 'web' is running".
    virtual std::string claim() const = 0;

    // Looks, and returns why it fails (what is wrong and what to do), or
    // nothing when it passes. It may throw: evaluate_check reports the error
    // as this check's reason.
    virtual std::optional<std::string> failure(const CheckEnvironment& env) const = 0;

    // The line once it passed; the claim itself unless a kind says more
    // (an answer: that it is right, and why).
    virtual std::string claim_passed(const CheckEnvironment& env) const {
        (void)env;
        return claim();
    }

    // The reason the student reads: the failure, and the author's "because".
    virtual std::string explained(const std::string& reason) const {
        return because.empty() ? reason : reason + " (" + because + ")";
    }

    std::string kind;     // its key in the lab file: "vm_state"
    std::string because;  // the author's own reason, shown when the check fails
    SourceLocation where;
};

// The arguments a check was given in its lab file, for its kind to read.
// Only keys the kind declares reach it, and the required ones are there.
// Every mistake is reported through `fail` with the file, line and column.
class CheckArgs {
public:
    virtual ~CheckArgs() = default;
    virtual bool has(const std::string& key) const = 0;
    // The text of an argument; empty when it was not given.
    virtual std::string text(const std::string& key) const = 0;
    virtual unsigned number(const std::string& key, unsigned min, unsigned max) const = 0;
    virtual std::uint64_t size(const std::string& key) const = 0;  // "512M"
    // A regular expression, checked to be one; empty when it was not given.
    virtual std::string pattern(const std::string& key) const = 0;
    // A list ("[a, b]", or one plain value as a list of one); empty when not given.
    virtual std::vector<std::string> texts(const std::string& key) const = 0;
    // A mapping of texts ({a: "...", b: "..."}), in the file's order; empty when not given.
    virtual std::vector<std::pair<std::string, std::string>> mapping(const std::string& key) const = 0;
    // Error(FileInvalid) at the argument `key` (empty: the check's arguments).
    [[noreturn]] virtual void fail(const std::string& key, const std::string& problem,
                                   const std::string& fix) const = 0;
};

struct CheckResult {
    bool passed = false;
    std::string what;    // "VM 'web' is running"
    std::string reason;  // why it failed, and what to do; empty when passed
};

// Evaluates one predicate against real state. Never throws for a state that
// is merely wrong (no such VM, an unreachable host): that is a failed check
// with its reason.
CheckResult evaluate_check(const Check& check, const CheckEnvironment& env);

std::vector<CheckResult> evaluate_checks(const std::vector<std::unique_ptr<Check>>& checks,
                                         const CheckEnvironment& env);

bool all_passed(const std::vector<CheckResult>& results);

}  // namespace vmctl::teach
