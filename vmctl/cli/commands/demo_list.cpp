#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace vmctl::cli::commands {

int demo_list(Context& context, const Args& args) {
    CommandLine cli("demo list", "Lists the demo scripts in scripts/demos/ with their first narration line.");
    cli.examples("  vmctl demo list\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string dir = host::source_dir() + "/scripts/demos";
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".demo")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    Table table({"DEMO", "ABOUT"});
    for (const auto& file : files) {
        std::istringstream in(host::read_file_or(file.string(), ""));
        std::string about;
        for (std::string line; std::getline(in, line);)
            if (line.rfind("# ", 0) == 0) {
                about = line.substr(2);
                break;
            }
        table.add_row({file.string(), about});
    }
    table.print(context.out());
    context.out() << "\nPlay one with: vmctl demo play FILE   (--auto to rehearse without pressing Enter)\n";
    return 0;
}

}  // namespace vmctl::cli::commands
