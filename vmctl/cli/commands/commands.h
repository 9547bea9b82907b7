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
int teardown(Context& context, const Args& args);
int remove(Context& context, const Args& args);  // `vmctl delete`
int logs(Context& context, const Args& args);
int console(Context& context, const Args& args);
int xml(Context& context, const Args& args);
int doctor(Context& context, const Args& args);
int hosts(Context& context, const Args& args);  // the group; its verbs follow
int hosts_up(Context& context, const Args& args);
int hosts_down(Context& context, const Args& args);
int hosts_fail(Context& context, const Args& args);
int hosts_list(Context& context, const Args& args);
int hosts_add(Context& context, const Args& args);
int hosts_remove(Context& context, const Args& args);
int lab(Context& context, const Args& args);  // the group; its verbs follow
int lab_list(Context& context, const Args& args);
int lab_start(Context& context, const Args& args);
int lab_show(Context& context, const Args& args);
int lab_check(Context& context, const Args& args);
int lab_hint(Context& context, const Args& args);
int lab_watch(Context& context, const Args& args);
int lab_answer(Context& context, const Args& args);
int lab_reset(Context& context, const Args& args);
int lab_solve(Context& context, const Args& args);
int lab_status(Context& context, const Args& args);
int lab_collect(Context& context, const Args& args);
int lab_test(Context& context, const Args& args);
int demo(Context& context, const Args& args);  // the group; its verbs follow
int demo_play(Context& context, const Args& args);
int demo_list(Context& context, const Args& args);
int migrate(Context& context, const Args& args);
int drain(Context& context, const Args& args);
int exec(Context& context, const Args& args);
int ssh(Context& context, const Args& args);
int resize(Context& context, const Args& args);
int limit(Context& context, const Args& args);
int top(Context& context, const Args& args);
int dashboard(Context& context, const Args& args);
int clone(Context& context, const Args& args);
int protect(Context& context, const Args& args);
int unprotect(Context& context, const Args& args);
int image(Context& context, const Args& args);  // the group; its verbs follow
int image_create(Context& context, const Args& args);
int image_import(Context& context, const Args& args);
int image_build(Context& context, const Args& args);
int image_list(Context& context, const Args& args);
int image_delete(Context& context, const Args& args);
int disk(Context& context, const Args& args);  // the group; its verbs follow
int disk_chain(Context& context, const Args& args);
int disk_attach(Context& context, const Args& args);
int disk_detach(Context& context, const Args& args);
int snapshot(Context& context, const Args& args);  // the group; its verbs follow
int snapshot_create(Context& context, const Args& args);
int snapshot_list(Context& context, const Args& args);
int snapshot_revert(Context& context, const Args& args);
int snapshot_delete(Context& context, const Args& args);
int label(Context& context, const Args& args);
int apply(Context& context, const Args& args);
int plan(Context& context, const Args& args);
int cost(Context& context, const Args& args);
int hygiene(Context& context, const Args& args);
int help(Context& context, const Args& args);
int version(Context& context, const Args& args);

}  // namespace vmctl::cli::commands
