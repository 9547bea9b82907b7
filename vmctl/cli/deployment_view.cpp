#include "vmctl/cli/deployment_view.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

#include <filesystem>

namespace vmctl::cli {

std::string deployment_file_option(const std::optional<std::string>& file, const std::string& verb) {
    if (!file)
        throw Error(ErrorKind::Usage, fmt::format("{} needs a deployment file", verb),
                    fmt::format("e.g. vmctl {} -f shop.yaml", verb));
    return *file;
}

Deployment load_deployment(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorKind::NotFound, fmt::format("the deployment file '{}' does not exist", path),
                    "give the path of a YAML file, e.g. -f shop.yaml (see docs/commands.md, 'Infrastructure as code')");
    return parse_deployment(host::read_named_file(path, "deployment file"), path);
}

int report_outcomes(const ops::ApplyReport& report, const std::string& rerun, std::ostream& out,
                    std::ostream& err) {
    std::size_t width = 0;
    for (const auto& outcome : report.outcomes)
        width = std::max(width, outcome.name.size());
    for (const auto& outcome : report.outcomes)
        out << fmt::format("  {:<{}}  {}\n", outcome.name, width,
                           outcome.ok ? outcome.what : "NOT DONE: " + outcome.error);
    if (!report.first_failure)
        return 0;
    out.flush();
    err << fmt::format("error: {} of {} step{} failed (see the lines marked NOT DONE); fix the cause and run '{}' "
                       "again: it does only what is left",
                       report.failed(), report.outcomes.size(), report.outcomes.size() == 1 ? "" : "s", rerun)
        << std::endl;
    return exit_code(*report.first_failure);
}

int teardown_deployment(Context& context, const std::string& file, bool yes, bool pets) {
    const Deployment deployment = load_deployment(file);
    auto& hv = context.hypervisor();
    const auto vms = ops::deployment_vms(hv, deployment.name);
    if (vms.empty()) {
        context.out() << fmt::format("deployment '{}' has no VMs: nothing to tear down\n", deployment.name);
        return 0;
    }
    std::size_t doomed = 0;
    for (const auto& vm : vms) {
        const bool pet = ops::is_pet(vm.metadata);
        context.out() << fmt::format("{} '{}' ({}){}\n", pet && !pets ? "will keep" : "will delete", vm.name,
                                     state_name(vm.state), pet ? (pets ? ", a pet: --pets" : ": a protected pet") : "");
        doomed += !pet || pets ? 1 : 0;
    }
    if (doomed == 0) {
        context.out() << "nothing to delete: every VM left is a protected pet (add --pets to delete them too)\n";
        return 0;
    }
    if (!yes && !context.confirm(fmt::format("Delete these {} VM(s) of deployment '{}' and their disks?", doomed,
                                             deployment.name),
                                 "--yes")) {
        context.out() << "nothing deleted\n";
        return 0;
    }
    const auto report = ops::teardown_deployment(hv, context.env(), deployment.name, pets);
    return report_outcomes(report, fmt::format("vmctl teardown -f {} --yes", file), context.out(), context.err());
}

}  // namespace vmctl::cli
