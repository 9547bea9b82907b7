#include "vmctl/cli/deployment_view.h"

#include "vmctl/core/error.h"
#include "vmctl/host/files.h"

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

}  // namespace vmctl::cli
