#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/files.h"

#include <fmt/format.h>

namespace vmctl::cli::commands {

int lab_answer(Context& context, const Args& args) {
    CommandLine cli("lab answer KEY=VALUE",
                    "Records your answer to a question of the lab; 'vmctl lab check' then says if it is right "
                    "(a prediction is kept, not judged: a later step shows how it compares).");
    cli.positional("ANSWER", 1, "KEY=VALUE, the key as the step names it");
    cli.examples("  vmctl lab answer accel=tcg\n  vmctl lab answer kernel=\"6.1.0-28-amd64\"\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const std::string text = cli.required("ANSWER");
    const auto equals = text.find('=');
    const std::string key = host::trim(text.substr(0, equals == std::string::npos ? 0 : equals));
    if (equals == std::string::npos || key.empty())
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not KEY=VALUE", text),
                    "write the key the step names, '=', then your answer, e.g. 'vmctl lab answer accel=tcg'");
    const std::string value = host::trim(text.substr(equals + 1));
    validate_text("answer", text, 1000);
    LabSession session(context);
    const teach::Lab& lab = session.lab("");
    if (teach::record_answer(session.world(), lab, key, value))
        context.out() << fmt::format("Recorded your prediction {}={}: you will see in the next step. "
                                     "Run 'vmctl lab check' to go on.\n",
                                     key, value);
    else
        context.out() << fmt::format("Recorded {}. Now run 'vmctl lab check'.\n", key);
    return 0;
}

}  // namespace vmctl::cli::commands
