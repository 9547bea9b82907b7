#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int label(Context& context, const Args& args) {
    CommandLine cli("label NAME KEY=VALUE... [--remove KEY]...",
                    "Sets or removes labels of a VM, e.g. who owns it (owner=alice), for 'vmctl list --label',\n"
                    "'vmctl cost --by label' and 'vmctl hygiene'.");
    cli.positional("NAME", 1, "the VM");
    cli.positional("LABELS", -1, "KEY=VALUE labels to set");
    cli.add()("remove", po::value<std::vector<std::string>>(), "a label key to remove (repeatable)");
    cli.examples("  vmctl label web owner=alice\n  vmctl label web --remove tier\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("NAME");
    const Labels set = parse_labels(cli.get_optional<std::vector<std::string>>("LABELS").value_or(Args{}));
    const auto remove = cli.get_optional<std::vector<std::string>>("remove").value_or(Args{});
    if (set.empty() && remove.empty())
        throw Error(ErrorKind::Usage, "no label to set or remove", fmt::format("e.g. vmctl label {} owner=alice", name));
    const Labels now = ops::set_labels(context.hypervisor(), name, set, remove);
    std::vector<std::string> shown;
    for (const auto& [key, value] : now)
        shown.push_back(key + "=" + value);
    context.out() << fmt::format("VM '{}' labels: {}\n", name, shown.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(shown, " ")));
    return 0;
}

}  // namespace vmctl::cli::commands
