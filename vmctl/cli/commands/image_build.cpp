#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/ops/image.h"

namespace vmctl::cli::commands {

int image_build(Context& context, const Args& args) {
    CommandLine cli("image build IMAGE",
                    "Builds a built-in image from Debian packages with its recipe (images/IMAGE/build.sh). Cached:\n"
                    "nothing is rebuilt while its inputs are unchanged. debian-12 takes about 10 minutes the first\n"
                    "time; 'tiny' is built by the quickstart.");
    cli.positional("IMAGE", 1, "tiny, tiny-debian-kernel or debian-12");
    cli.examples("  sudo vmctl image build debian-12\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string name = cli.required("IMAGE");
    return ops::build_image(name, context.progress());
}

}  // namespace vmctl::cli::commands
