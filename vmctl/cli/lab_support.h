#pragma once

#include "vmctl/cli/context.h"
#include "vmctl/teach/lab.h"
#include "vmctl/teach/lab_flow.h"

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

    const std::vector<teach::Lab>& labs() const { return m_labs; }
    teach::LabWorld& world() { return m_world; }
    Context& context() { return m_context; }

    // The lab named by `id`, or the active one when `id` is empty.
    const teach::Lab& lab(const std::string& id);

private:
    Hypervisor& host(const std::string& name);
    // Lets go of connections to hosts that left the registry (a lab's
    // cleanup took them down) without closing them: closing a connection to
    // a daemon whose network namespace is gone waits for an answer forever.
    void forget_gone_hosts();

    Context& m_context;
    std::vector<teach::Lab> m_labs;
    teach::LabWorld m_world;
    std::map<std::string, std::unique_ptr<Hypervisor>> m_hosts;
};

// One line per check: "  ✓ VM 'web' exists" or "  ✗ VM 'web' is running: it is shut off".
void print_results(std::ostream& out, const std::vector<teach::CheckResult>& results);

// The step's heading, its text, and how to check it.
void print_step(std::ostream& out, const teach::Lab& lab, std::size_t step);

// What a student sees once a step passes: the next step, or the lab's end.
void print_progress_after(std::ostream& out, const teach::Lab& lab, const teach::StepCheck& check);

}  // namespace vmctl::cli
