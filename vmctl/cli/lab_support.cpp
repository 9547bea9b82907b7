#include "vmctl/cli/lab_support.h"

#include "vmctl/core/error.h"
#include "vmctl/host/hosts_registry.h"
#include "vmctl/teach/lab_state.h"
#include "vmctl/teach/student.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

namespace vmctl::cli {
namespace {

bool is_local(const std::string& name) { return name.empty() || name == "local"; }

// Indents every line of a text block, so lab text stands apart from vmctl's own lines.
std::string indented(const std::string& text, const std::string& prefix) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string line = text.substr(start, end - start);
        out += line.empty() ? "\n" : prefix + line + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace

LabSession::LabSession(Context& context) : m_context(context) {
    const std::string student = teach::student_name();
    m_labs = teach::load_labs(teach::labs_dir(), context.env().paths.data_dir + "/labs/work/" + student, student);
    m_world.env = &context.env();
    m_world.state_path = teach::lab_state_path(context.env().paths.data_dir);
    m_world.checks.hypervisor = [this](const std::string& name) -> Hypervisor& { return host(name); };
    m_world.checks.migrations = [this] { return host::load_migration_records(m_world.env->paths.data_dir); };
    m_world.all_hosts = [this] {
        forget_gone_hosts();
        ops::HostList all{{"local", &host("")}};
        for (const auto& other : ops::reach_hosts(
                 ops::registered_hosts(*m_world.env),
                 [this](const host::HostEntry& h) -> Hypervisor& { return host(h.name); },
                 [](const std::string& name, const Error& e) {
                     spdlog::warn("host {} does not answer, skipping it: {}", name, e.what());
                 }))
            all.push_back(other);
        return all;
    };
    m_world.script_output = [this](std::string_view chunk) { m_context.out() << chunk << std::flush; };
}

LabSession::~LabSession() { forget_gone_hosts(); }

void LabSession::forget_gone_hosts() {
    std::set<std::string> registered;
    try {
        for (const auto& entry : host::load_hosts(m_world.env->paths.data_dir))
            registered.insert(entry.name);
    } catch (const Error&) {
        // An unreadable registry names no host: every connection is dropped,
        // and the next command that needs the registry reports it.
    }
    for (auto it = m_hosts.begin(); it != m_hosts.end();) {
        if (registered.count(it->first) != 0) {
            ++it;
            continue;
        }
        (void)it->second.release();  // deliberately not closed; the process ends soon
        it = m_hosts.erase(it);
    }
}

Hypervisor& LabSession::host(const std::string& name) {
    if (is_local(name))
        return m_context.hypervisor();
    auto found = m_hosts.find(name);
    if (found == m_hosts.end()) {
        const host::HostEntry entry = host::find_host(m_world.env->paths.data_dir, name);
        found = m_hosts.emplace(name, m_context.connect(entry.uri)).first;
    }
    return *found->second;
}

const teach::Lab& LabSession::lab(const std::string& id) {
    if (!id.empty())
        return teach::find_lab(m_labs, id);
    return *teach::active_lab(m_world, m_labs).lab;
}

void print_results(std::ostream& out, const std::vector<teach::CheckResult>& results) {
    for (const auto& r : results) {
        if (r.passed)
            out << fmt::format("  ✓ {}\n", r.what);
        else
            out << fmt::format("  ✗ {}: {}\n", r.what, r.reason);
    }
}

void print_step(std::ostream& out, const teach::Lab& lab, std::size_t step) {
    if (step >= lab.steps.size()) {
        out << fmt::format("Lab {} is finished. Pick the next one in 'vmctl lab list'.\n", lab.id);
        return;
    }
    const teach::Step& s = lab.steps[step];
    out << fmt::format("── Lab {}, step {} of {}: {}\n\n", lab.id, step + 1, lab.steps.size(), s.title);
    out << indented(s.text, "  ");
    out << "\nWhen you are done: vmctl lab check   (stuck? vmctl lab hint)\n";
}

void print_progress_after(std::ostream& out, const teach::Lab& lab, const teach::StepCheck& check) {
    if (!check.passed)
        return;
    out << fmt::format("\nStep {} done.\n\n", check.step + 1);
    if (!check.finished) {
        print_step(out, lab, check.step + 1);
        return;
    }
    out << fmt::format("🎉 You finished lab {}: {}\n", lab.id, lab.title);
    if (!lab.outro.empty())
        out << '\n' << indented(lab.outro, "  ");
    out << fmt::format("\nClean up with 'vmctl lab reset {} --clean-only', or go on with 'vmctl lab list'.\n", lab.id);
}

}  // namespace vmctl::cli
