#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/image.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {

int image_list(Context& context, const Args& args) {
    CommandLine cli("image list [--json]", "Lists images: built-in, golden and imported ones, with the kernel each boots and the VMs using each.");
    cli.add()("json", "print JSON for scripts");
    cli.examples("  vmctl image list\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const auto images = ops::list_images(context.hypervisor(), context.env());
    const auto kind = [](const host::ImageFiles& image) {
        return image.golden ? "golden" : image.imported ? "imported" : "built-in";
    };
    const auto made_from = [](const host::ImageFiles& image) {
        return image.golden ? image.from_vm : image.imported ? image.source_file : std::string("Debian packages");
    };
    if (cli.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& use : images)
            rows.push_back({{"name", use.image.name},
                            {"kind", kind(use.image)},
                            {"cloud_init", use.image.cloud_init},
                            {"kernel", use.image.kernel_release},
                            {"disk", use.image.base_disk},
                            {"disk_bytes", use.disk_bytes},
                            {"from_vm", use.image.from_vm},
                            {"source", use.image.source_file},
                            {"used_by", use.used_by}});
        context.out() << rows.dump(2) << '\n';
        return 0;
    }
    Table table({"IMAGE", "KIND", "KERNEL", "SIZE", "USED BY", "MADE FROM"});
    for (const auto& use : images)
        table.add_row({use.image.name, kind(use.image),
                       use.image.kernel_release.empty() ? "-" : use.image.kernel_release,
                       use.disk_bytes != 0 ? format_size(use.disk_bytes) : "-",
                       use.used_by.empty() ? "0" : fmt::format("{} ({})", use.used_by.size(), fmt::join(use.used_by, ", ")),
                       made_from(use.image)});
    table.print(context.out());
    return 0;
}

}  // namespace vmctl::cli::commands
