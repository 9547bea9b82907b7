#include "vmctl/cli/command.h"
#include "vmctl/cli/commands/commands.h"

#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace vmctl::cli {
namespace {

constexpr std::array<Command, 37> kCommands{{
    {"create", "create and start a VM, and wait until it is ready", commands::create},
    {"list", "list VMs with their state, size and labels", commands::list},
    {"info", "show one VM: state, accelerator, size, disks, QEMU process", commands::info},
    {"start", "start a stopped VM", commands::start},
    {"stop", "ask a VM to shut down (ACPI power button) and wait", commands::stop},
    {"reboot", "ask a VM to reboot and wait until it is ready again", commands::reboot},
    {"destroy", "pull the plug on a VM (it and its disk are kept)", commands::destroy},
    {"delete", "remove a VM and its disks", commands::remove},
    {"logs", "print a VM's serial console log (-f to follow)", commands::logs},
    {"console", "attach to a VM's serial console (Ctrl-] leaves)", commands::console},
    {"xml", "print a VM's libvirt domain XML", commands::xml},
    {"exec", "run a command inside a VM (through the guest agent)", commands::exec},
    {"ssh", "log in to a VM over SSH, or run one command there", commands::ssh},
    {"resize", "change vCPUs, memory or disk size, live where possible", commands::resize},
    {"limit", "cap a VM's CPU or weigh its CPU and disk I/O (cgroups)", commands::limit},
    {"top", "a live table of what every VM uses", commands::top},
    {"dashboard", "a live web page of every host and its VMs, for the classroom screen", commands::dashboard},
    {"snapshot", "create, list, revert and delete snapshots of a VM", commands::snapshot},
    {"clone", "copy a stopped VM, fully or as a linked clone", commands::clone},
    {"image", "make, list and delete golden images", commands::image},
    {"disk", "see a VM's disks as qcow2 files: backing chain and sizes", commands::disk},
    {"protect", "make a VM a pet that delete refuses", commands::protect},
    {"unprotect", "remove a pet's protection", commands::unprotect},
    {"label", "set or remove a VM's labels (owner=alice)", commands::label},
    {"plan", "show what 'apply -f FILE' would create, change and remove", commands::plan},
    {"apply", "make the VMs match a deployment file (infrastructure as code)", commands::apply},
    {"teardown", "delete every VM a deployment file made (the opposite of apply)", commands::teardown},
    {"cost", "a cloud bill: what each VM used and cost, from vmctl's usage journal", commands::cost},
    {"hygiene", "find idle, forgotten and unused things, what they cost, and fix them", commands::hygiene},
    {"hosts", "simulated lab hosts and real ones: up, down, list, add", commands::hosts},
    {"migrate", "move a running VM to another host, live", commands::migrate},
    {"drain", "move every VM off a host, for maintenance", commands::drain},
    {"lab", "guided labs that check your work: list, start, check, hint, watch, reset", commands::lab},
    {"demo", "play instructor demo scripts that never hang: play, list", commands::demo},
    {"doctor", "check this host and say how to fix what is missing", commands::doctor},
    {"help", "show help for vmctl or for one command", commands::help},
    {"version", "show vmctl's version", commands::version},
}};

}  // namespace

std::span<const Command> command_table() { return kCommands; }

Error unknown_command(std::string_view name) {
    std::vector<std::string> names;
    for (const Command& c : kCommands)
        names.emplace_back(c.name);
    std::string hint = "see 'vmctl help' for the list of commands";
    if (auto close = closest_match(name, names))
        hint = fmt::format("did you mean 'vmctl {}'? ({})", *close, hint);
    return Error(ErrorKind::Usage, fmt::format("unknown command '{}'", name), hint);
}

const Command* find_command(std::string_view name) {
    for (const Command& command : kCommands)
        if (command.name == name)
            return &command;
    return nullptr;
}

}  // namespace vmctl::cli
