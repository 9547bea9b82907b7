#include "vmctl/cli/command_group.h"

#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <vector>

namespace vmctl::cli {

int run_group(Context& context, const Args& args, std::string_view group, std::string_view summary,
              std::span<const Subcommand> verbs) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
        auto& out = context.out();
        out << fmt::format("Usage: vmctl {} VERB [arguments]\n\n{}\n\nVerbs:\n", group, summary);
        for (const Subcommand& verb : verbs)
            out << fmt::format("  {:<10} {}\n", verb.name, verb.summary);
        out << fmt::format("\nHelp on one verb: vmctl {} VERB --help\n", group);
        return args.empty() ? exit_code(ErrorKind::Usage) : 0;
    }
    std::vector<std::string> names;
    for (const Subcommand& verb : verbs) {
        if (verb.name == args.front())
            return verb.run(context, Args(args.begin() + 1, args.end()));
        names.emplace_back(verb.name);
    }
    std::string hint = fmt::format("the verbs are: {}", fmt::join(names, ", "));
    if (auto close = closest_match(args.front(), names))
        hint = fmt::format("did you mean 'vmctl {} {}'? ({})", group, *close, hint);
    throw Error(ErrorKind::Usage, fmt::format("unknown verb '{} {}'", group, args.front()), hint);
}

}  // namespace vmctl::cli
