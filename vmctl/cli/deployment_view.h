#pragma once

#include "vmctl/cli/context.h"
#include "vmctl/core/deployment.h"
#include "vmctl/ops/deploy.h"

#include <optional>
#include <ostream>
#include <string>

namespace vmctl::cli {

// The -f FILE a command was given; Error(Usage) with an example naming `verb` otherwise.
std::string deployment_file_option(const std::optional<std::string>& file, const std::string& verb);

// Reads and parses a deployment file (-f FILE); an unreadable file is
// Error(NotFound) with the path, a mistake in it Error(FileInvalid).
Deployment load_deployment(const std::string& path);

// Deletes the VMs of the deployment in `file` after listing them and asking
// (`teardown -f FILE`, and its old spelling `destroy -f FILE`).
int teardown_deployment(Context& context, const std::string& file, bool yes, bool pets);

// Prints what apply or teardown did, one line per VM, and returns the exit
// code: 0, or the first failure's, after saying what was not done and that
// running the command again finishes it.
int report_outcomes(const ops::ApplyReport& report, const std::string& rerun, std::ostream& out,
                    std::ostream& err);

}  // namespace vmctl::cli
