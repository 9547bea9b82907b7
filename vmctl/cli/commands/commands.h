#pragma once

#include "vmctl/cli/command.h"

// One function per subcommand, each in its own file in this folder. The table
// in command_table.cpp lists them.
namespace vmctl::cli::commands {

int create(Context& context, const Args& args);
int list(Context& context, const Args& args);
int info(Context& context, const Args& args);
int start(Context& context, const Args& args);
int stop(Context& context, const Args& args);
int reboot(Context& context, const Args& args);
int destroy(Context& context, const Args& args);
int remove(Context& context, const Args& args);  // `vmctl delete`
int logs(Context& context, const Args& args);
int console(Context& context, const Args& args);
int xml(Context& context, const Args& args);
int doctor(Context& context, const Args& args);
int help(Context& context, const Args& args);
int version(Context& context, const Args& args);

}  // namespace vmctl::cli::commands
