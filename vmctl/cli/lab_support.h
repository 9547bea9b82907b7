#pragma once

#include "vmctl/cli/context.h"
#include "vmctl/core/lab.h"
#include "vmctl/ops/lab.h"

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace vmctl::cli {

// What every `vmctl lab` verb works with: the labs, read from their files,
// and the world the checks look at (this host, the registered hosts, the
// progress file). The hosts are connected on first use.
class LabSession {
public:
    explicit LabSession(Context& context);
    ~LabSession();
    LabSession(const LabSession&) = delete;
    LabSession& operator=(const LabSession&) = delete;

    const std::vector<lab::Lab>& labs() const { return m_labs; }
    ops::LabWorld& world() { return m_world; }
    Context& context() { return m_context; }

    // The lab named by `id`, or the active one when `id` is empty.
    const lab::Lab& lab(const std::string& id);

private:
    Hypervisor& host(const std::string& name);
    // Lets go of connections to hosts that left the registry (a lab's
    // cleanup took them down) without closing them: closing a connection to
    // a daemon whose network namespace is gone waits for an answer forever.
    void forget_gone_hosts();

    Context& m_context;
    std::vector<lab::Lab> m_labs;
    ops::LabWorld m_world;
    std::map<std::string, std::unique_ptr<Hypervisor>> m_hosts;
};

// One line per check: "  ✓ VM 'web' exists" or "  ✗ VM 'web' is running: it is shut off".
void print_results(std::ostream& out, const std::vector<ops::CheckResult>& results);

// The step's heading, its text, and how to check it.
void print_step(std::ostream& out, const lab::Lab& lab, std::size_t step);

// What a student sees once a step passes: the next step, or the lab's end.
void print_progress_after(std::ostream& out, const lab::Lab& lab, const ops::StepCheck& check);

}  // namespace vmctl::cli
