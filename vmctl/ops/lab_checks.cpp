#include "vmctl/ops/lab_checks.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/pattern.h"
#include "vmctl/core/size.h"
#include "vmctl/host/files.h"
#include "vmctl/host/serial_log.h"
#include "vmctl/ops/exec.h"
#include "vmctl/ops/resize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <thread>

namespace vmctl::ops {
namespace {

using lab::Check;
using lab::CheckKind;

std::string on_host(const Check& check) {
    return check.host.empty() || check.host == "local" ? std::string{} : fmt::format(" on {}", check.host);
}

std::string host_flag(const Check& check) {
    return check.host.empty() || check.host == "local" ? std::string{} : fmt::format(" --host {}", check.host);
}

// What the check claims, in words, for its ✓ or ✗ line.
std::string describe(const Check& c) {
    switch (c.kind) {
    case CheckKind::VmExists: return fmt::format("VM '{}' exists{}", c.vm, on_host(c));
    case CheckKind::VmAbsent: return fmt::format("VM '{}' is gone{}", c.vm, on_host(c));
    case CheckKind::VmState: return fmt::format("VM '{}' is {}{}", c.vm, c.state, on_host(c));
    case CheckKind::VmCpus: return fmt::format("VM '{}' has {} vCPU{}", c.vm, c.count, c.count == 1 ? "" : "s");
    case CheckKind::VmMemory: return fmt::format("VM '{}' has {} of memory", c.vm, format_size(c.bytes));
    case CheckKind::SnapshotExists: return fmt::format("VM '{}' has a snapshot '{}'", c.vm, c.snapshot);
    case CheckKind::SnapshotCurrent:
        return fmt::format("VM '{}' was last reverted to (or snapshotted as) '{}'", c.vm, c.snapshot);
    case CheckKind::VmOnHost: return fmt::format("VM '{}' runs on {}", c.vm, c.host);
    case CheckKind::Migrated:
        return c.host.empty() ? fmt::format("VM '{}' was live-migrated", c.vm)
                              : fmt::format("VM '{}' was live-migrated to {}", c.vm, c.host);
    case CheckKind::Label:
        return c.value.empty() ? fmt::format("VM '{}' has a label '{}'", c.vm, c.key)
                               : fmt::format("VM '{}' is labelled {}={}", c.vm, c.key, c.value);
    case CheckKind::LabelCount:
        return fmt::format("{} VM{} labelled {}={}{}", c.count, c.count == 1 ? "" : "s", c.key, c.value, on_host(c));
    case CheckKind::SerialLog: return fmt::format("the console of '{}' shows /{}/", c.vm, c.pattern);
    case CheckKind::GuestCommand: return fmt::format("'{}' inside '{}' prints /{}/", c.run, c.vm, c.pattern);
    case CheckKind::Answer: return fmt::format("answer '{}'", c.key);
    case CheckKind::Script: return c.because.empty() ? "the lab's own check passes" : c.because;
    }
    return "check";
}

std::string lower_trimmed(std::string_view text) {
    std::string out = host::trim(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return out;
}

std::optional<DomainSummary> find_summary(Hypervisor& hv, const std::string& vm) {
    for (auto& d : hv.list_domains())
        if (d.name == vm)
            return d;
    return std::nullopt;
}

// The reason when the VM a check is about does not exist.
std::string missing_vm(const Check& c) {
    return fmt::format("there is no VM named '{}'{} (see 'vmctl list{}')", c.vm, on_host(c), host_flag(c));
}

// Evaluates; returns the reason of a failure, or nothing when it passes.
std::optional<std::string> failure(const Check& c, const CheckEnvironment& env) {
    auto hv = [&]() -> Hypervisor& { return env.hypervisor(c.host); };
    switch (c.kind) {
    case CheckKind::VmExists:
        if (hv().domain_exists(c.vm))
            return std::nullopt;
        return missing_vm(c);
    case CheckKind::VmAbsent:
        if (!hv().domain_exists(c.vm))
            return std::nullopt;
        return fmt::format("it still exists; remove it with 'vmctl delete {}{}'", c.vm, host_flag(c));
    case CheckKind::VmState: {
        if (!hv().domain_exists(c.vm))
            return missing_vm(c);
        const std::string state = state_name(hv().domain_state(c.vm));
        if (state == c.state)
            return std::nullopt;
        return fmt::format("it is {}", state);
    }
    case CheckKind::VmCpus:
    case CheckKind::VmMemory: {
        auto vm = find_summary(hv(), c.vm);
        if (!vm)
            return missing_vm(c);
        if (c.kind == CheckKind::VmCpus) {
            if (vm->vcpus == c.count)
                return std::nullopt;
            return fmt::format("it has {} now", vm->vcpus);
        }
        // The balloon lands near its target a few seconds after a resize or
        // a boot: a patient check gives it that time.
        const auto balloon = wait_for_balloon(hv(), c.vm, c.bytes, std::chrono::seconds(env.patient ? 20 : 0));
        if (!balloon)
            return missing_vm(c);
        if (balloon->reached)
            return std::nullopt;
        return fmt::format("it has {} now", format_size(balloon->bytes));
    }
    case CheckKind::SnapshotExists:
    case CheckKind::SnapshotCurrent: {
        if (!hv().domain_exists(c.vm))
            return missing_vm(c);
        const auto snapshots = hv().list_snapshots(c.vm);
        const auto found = std::find_if(snapshots.begin(), snapshots.end(),
                                        [&](const SnapshotInfo& s) { return s.name == c.snapshot; });
        if (found == snapshots.end())
            return fmt::format("it has no snapshot '{}' (see 'vmctl snapshot list {}')", c.snapshot, c.vm);
        if (c.kind == CheckKind::SnapshotExists || found->current)
            return std::nullopt;
        const auto current = std::find_if(snapshots.begin(), snapshots.end(),
                                          [](const SnapshotInfo& s) { return s.current; });
        return current == snapshots.end() ? std::string("no snapshot is current")
                                          : fmt::format("its current snapshot is '{}'", current->name);
    }
    case CheckKind::VmOnHost: {
        if (!hv().domain_exists(c.vm))
            return fmt::format("it is not on {} (see 'vmctl list --all-hosts')", c.host);
        const std::string state = state_name(hv().domain_state(c.vm));
        if (state == "running")
            return std::nullopt;
        return fmt::format("it is on {} but {}", c.host, state);
    }
    case CheckKind::Migrated: {
        const std::string since = env.progress != nullptr ? env.progress->started_at : std::string{};
        for (const auto& r : env.migrations())
            if (r.vm == c.vm && (c.host.empty() || r.to == c.host) && r.at >= since)
                return std::nullopt;
        return fmt::format("no migration of '{}'{} since the lab started (see 'vmctl help migrate')", c.vm,
                           c.host.empty() ? std::string{} : " to " + c.host);
    }
    case CheckKind::Label: {
        const auto vm = find_summary(hv(), c.vm);
        if (!vm)
            return missing_vm(c);
        const auto label = vm->metadata.labels.find(c.key);
        if (label == vm->metadata.labels.end())
            return fmt::format("it has no label '{}'", c.key);
        if (c.value.empty() || label->second == c.value)
            return std::nullopt;
        return fmt::format("its label is {}={}", c.key, label->second);
    }
    case CheckKind::LabelCount: {
        unsigned count = 0;
        for (const auto& d : hv().list_domains()) {
            const auto label = d.metadata.labels.find(c.key);
            count += label != d.metadata.labels.end() && label->second == c.value ? 1 : 0;
        }
        if (count == c.count)
            return std::nullopt;
        return fmt::format("there {} {} (see 'vmctl list{}')", count == 1 ? "is" : "are", count, host_flag(c));
    }
    case CheckKind::SerialLog: {
        if (!hv().domain_exists(c.vm))
            return missing_vm(c);
        const DomainFacts facts = parse_domain_xml(hv().domain_xml(c.vm));
        if (facts.serial_log.empty())
            return std::string("its console is not logged to a file");
        const std::regex pattern(c.pattern);
        const auto wait = env.patient ? std::chrono::milliseconds(c.within) : std::chrono::milliseconds(0);
        const auto line = host::wait_for_line(
            facts.serial_log, [&](const std::string& text) { return search_lines(text, pattern); },
            std::max(wait, std::chrono::milliseconds(50)), [] { return true; });
        if (line)
            return std::nullopt;
        return env.patient && c.within.count() > 0
                   ? fmt::format("no such line within {} s (see 'vmctl logs {}')", c.within.count(), c.vm)
                   : fmt::format("no such line yet (see 'vmctl logs {}')", c.vm);
    }
    case CheckKind::GuestCommand: {
        if (!hv().domain_exists(c.vm))
            return missing_vm(c);
        ExecOptions options;
        options.command = {"/bin/sh", "-c", c.run};
        options.timeout = std::chrono::seconds(30);
        options.agent_wait = env.patient ? std::chrono::seconds(30) : std::chrono::seconds(1);
        const ExecStatus status = exec_in_guest(hv(), c.vm, options);
        const std::string output = status.out + status.err;
        if (search_lines(output, std::regex(c.pattern)))
            return std::nullopt;
        return output.empty() ? std::string("it printed nothing")
                              : fmt::format("it printed '{}'", host::first_line(output));
    }
    case CheckKind::Answer: {
        const auto& answers = env.progress != nullptr ? env.progress->answers : std::map<std::string, std::string>{};
        const auto answer = answers.find(c.key);
        if (answer == answers.end())
            return fmt::format("no answer yet: run 'vmctl lab answer {}=...'", c.key);
        const std::string given = lower_trimmed(answer->second);
        bool right = false;
        if (!c.pattern.empty())
            right = search_lines(given, std::regex(c.pattern, std::regex::icase));
        else if (!c.run.empty())
            right = given == lower_trimmed(env.run_script(c.run).output);
        else
            right = given == lower_trimmed(c.value);
        if (right)
            return std::nullopt;
        return fmt::format("'{}' is not it; look again, or ask 'vmctl lab hint'", answer->second);
    }
    case CheckKind::Script: {
        const host::ShellResult result = env.run_script(c.run);
        if (result.exit_code == 0 && !result.timed_out)
            return std::nullopt;
        if (result.timed_out)
            return std::string("the check took too long");
        const std::string said = host::last_line(result.output);
        return said.empty() ? fmt::format("the check said no (exit {})", result.exit_code) : said;
    }
    }
    return std::string("unknown check");
}

}  // namespace

CheckResult evaluate_check(const Check& check, const CheckEnvironment& env) {
    CheckResult result;
    result.what = describe(check);
    std::optional<std::string> reason;
    try {
        reason = failure(check, env);
    } catch (const Error& e) {
        reason = e.line();
    } catch (const std::exception& e) {
        // Any failure to look (a regex a lab author got wrong, a host that
        // went away) fails this one check with its reason; the student sees it
        // beside the other checks instead of losing the whole report.
        reason = e.what();
    }
    result.passed = !reason.has_value();
    if (result.passed && check.kind == lab::CheckKind::Answer)
        result.what += " is right";
    if (!result.passed)
        result.reason = check.because.empty() || check.kind == lab::CheckKind::Script
                            ? *reason
                            : fmt::format("{} ({})", *reason, check.because);
    return result;
}

std::vector<CheckResult> evaluate_checks(const std::vector<lab::Check>& checks, const CheckEnvironment& env) {
    std::vector<CheckResult> results;
    results.reserve(checks.size());
    for (const auto& check : checks)
        results.push_back(evaluate_check(check, env));
    return results;
}

bool all_passed(const std::vector<CheckResult>& results) {
    return std::all_of(results.begin(), results.end(), [](const CheckResult& r) { return r.passed; });
}

}  // namespace vmctl::ops
