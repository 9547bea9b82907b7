#pragma once

#include "vmctl/cli/command.h"

#include <span>
#include <string_view>

namespace vmctl::cli {

// Commands with verbs (`vmctl snapshot create ...`): each verb is a row like
// the top-level table, and run_group dispatches to it, with help and
// "did you mean" for the verbs.
struct Subcommand {
    std::string_view name;
    std::string_view summary;
    int (*run)(Context& context, const Args& args);
};

int run_group(Context& context, const Args& args, std::string_view group, std::string_view summary,
              std::span<const Subcommand> verbs);

}  // namespace vmctl::cli
