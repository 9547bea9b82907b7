#include "vmctl/ops/hosts.h"

#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/shell.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/labels.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::ops {
namespace {

std::string state_dir(const Environment& env) { return env.paths.data_dir + "/hosts"; }

// Runs scripts/lab-host.sh and returns what it printed. The arguments travel
// in the environment, never spliced into the shell's text.
std::string run_lab_host(const std::string& action, const host::HostEntry& entry, const Environment& env) {
    host::ShellOptions options;
    options.timeout = std::chrono::minutes(5);
    options.env = {{"LAB_HOST_SCRIPT", host::source_dir() + "/scripts/lab-host.sh"},
                   {"LAB_HOST_ACTION", action},
                   {"LAB_HOST_NAME", entry.name},
                   {"LAB_HOST_INDEX", std::to_string(entry.index)},
                   {"LAB_HOST_STATE", state_dir(env)}};
    const host::ShellResult result = host::run_shell(
        R"(exec "$LAB_HOST_SCRIPT" "$LAB_HOST_ACTION" "$LAB_HOST_NAME" "$LAB_HOST_INDEX" "$LAB_HOST_STATE")", options);
    std::string output = result.output;
    if (result.timed_out || result.exit_code != 0)
        throw Error(ErrorKind::OperationFailed,
                    fmt::format("could not bring {} lab host '{}': {}", action, entry.name, output),
                    "see the libvirtd log under " + state_dir(env) + "/" + entry.name + "/log");
    while (!output.empty() && (output.back() == '\n' || output.back() == ' '))
        output.pop_back();
    // The URI is the last line; daemons may have said something before it.
    const auto newline = output.rfind('\n');
    return newline == std::string::npos ? output : output.substr(newline + 1);
}

// The entry of a simulated host in slot `slot`: its address follows from it.
host::HostEntry slot_entry(const std::string& name, int slot) {
    host::HostEntry entry;
    entry.name = name;
    entry.index = slot;
    entry.simulated = true;
    entry.address = fmt::format("10.213.0.{}", 10 + slot);
    return entry;
}

// host-a .. host-h keep their slots 1 to 8 whichever way they come up.
int lettered_slot(const std::string& name) {
    if (name.size() == 6 && name.starts_with("host-") && name[5] >= 'a' &&
        name[5] < static_cast<char>('a' + kMaxLabHosts))
        return name[5] - 'a' + 1;
    return 0;
}

// Starts `entry`'s daemons (or finds them up) and returns it with its URI.
host::HostEntry start_host(host::HostEntry entry, const Environment& env, const Progress& progress) {
    progress(fmt::format("bringing up {} at {}...", entry.name, entry.address));
    entry.uri = run_lab_host("up", entry, env);
    return entry;
}

// Puts `entry` in the registry's list in place of any entry of its name.
void replace_entry(std::vector<host::HostEntry>& hosts, const host::HostEntry& entry) {
    std::erase_if(hosts, [&](const host::HostEntry& h) { return h.name == entry.name; });
    hosts.push_back(entry);
}

// Brings `entry` up and records it, keeping what the registry knew of it
// (its local disks).
host::HostEntry bring_up(const Environment& env, const host::HostEntry& wanted, const Progress& progress) {
    host::HostEntry entry = start_host(wanted, env, progress);
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& hosts) {
        for (const auto& h : hosts)
            if (h.name == entry.name)
                entry.local_disks = h.local_disks;
        replace_entry(hosts, entry);
    });
    return entry;
}

// The registry's entry of simulated host `name`: Error(NotFound) for an
// unknown one, Error(InvalidState) with `hint` for a real one.
host::HostEntry simulated_host(const Environment& env, const std::string& name, const std::string& hint) {
    host::HostEntry entry = host::find_host(env.paths.data_dir, name);
    if (!entry.simulated)
        throw Error(ErrorKind::InvalidState, fmt::format("'{}' is a real host", name), hint);
    return entry;
}

void require_root() {
    if (!host::is_root())
        throw Error(ErrorKind::Unsupported,
                    "simulated hosts need root: each is a libvirt daemon in its own network and mount namespaces",
                    "ask for root (sudo vmctl hosts up), or add real hosts with 'vmctl hosts add NAME URI'");
}

}  // namespace

std::vector<host::HostEntry> hosts_up(const Environment& env, unsigned count, const Progress& progress) {
    require_root();
    if (count < 1 || count > kMaxLabHosts)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--count {} is out of range", count),
                    fmt::format("choose between 1 and {}", kMaxLabHosts));
    std::vector<host::HostEntry> up;
    for (unsigned i = 1; i <= count; ++i)
        up.push_back(bring_up(env, slot_entry(fmt::format("host-{}", static_cast<char>('a' + i - 1)),
                                              static_cast<int>(i)),
                              progress));
    return up;
}

host::HostEntry hosts_up_named(const Environment& env, const std::string& name, bool local_disks,
                               const Progress& progress) {
    require_root();
    validate_name("host", name);
    std::optional<host::HostEntry> entry;
    // The slot is chosen and the host brought up under the registry's lock:
    // two students bringing up their own hosts at once never share a slot.
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& hosts) {
        const auto known = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.name == name; });
        if (known != hosts.end() && !known->simulated)
            throw Error(ErrorKind::AlreadyExists, fmt::format("'{}' is a real host vmctl knows", name),
                        "choose another name for a simulated host");
        if (known != hosts.end() && known->local_disks != local_disks)
            throw Error(ErrorKind::InvalidState,
                        fmt::format("'{}' was brought up {} --local-disks", name, known->local_disks ? "with" : "without"),
                        fmt::format("give the same options, or retire it first with 'vmctl hosts down {}'", name));
        int slot = known != hosts.end() ? known->index : lettered_slot(name);
        if (slot == 0) {
            slot = kMaxLabHosts + 1;
            while (std::any_of(hosts.begin(), hosts.end(), [&](const auto& h) { return h.index == slot; }))
                ++slot;
            if (slot > kMaxNamedHostSlot)
                throw Error(ErrorKind::InvalidState,
                            fmt::format("no free slot for another simulated host ({} are up)", hosts.size()),
                            "bring down the hosts no one uses with 'vmctl hosts down NAME'");
        }
        host::HostEntry wanted = slot_entry(name, slot);
        wanted.local_disks = local_disks;
        entry = start_host(wanted, env, progress);
        replace_entry(hosts, *entry);
    });
    return *entry;
}

std::vector<std::string> hosts_fail(const Environment& env, const std::string& name, const Labels& owner,
                                    const Connector& connect, const Progress& progress) {
    require_root();
    const host::HostEntry entry =
        simulated_host(env, name, "vmctl pulls the plug only of a simulated one ('vmctl hosts up')");
    if (entry.failed)
        throw Error(ErrorKind::InvalidState, fmt::format("'{}' has failed already", name),
                    fmt::format("repair it with 'vmctl hosts up --name {}', or retire it with 'vmctl hosts down {}'",
                                name, name));
    std::vector<DomainSummary> vms;
    try {
        vms = connect(entry.uri)->list_domains();
    } catch (const Error&) {
        // Its daemon is not answering: the plug is pulled all the same.
    }
    std::vector<std::string> lost;
    std::vector<std::string> others;
    for (const auto& vm : vms) {
        if (vm.state == DomainState::Running || vm.state == DomainState::Paused)
            lost.push_back(vm.name);
        for (const auto& [key, value] : owner)
            if (const auto found = vm.metadata.labels.find(key);
                found != vm.metadata.labels.end() && found->second != value)
                others.push_back(fmt::format("{} ({}={})", vm.name, key, found->second));
    }
    if (!others.empty())
        throw Error(ErrorKind::InvalidState,
                    fmt::format("'{}' runs VMs that are not yours: {}; nothing was stopped", name,
                                fmt::join(others, ", ")),
                    "fail a host of your own ('vmctl hosts up --name NAME'); only root fails a shared one");
    progress(fmt::format("pulling the plug of {}", name));
    run_lab_host("fail", entry, env);
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& hosts) {
        for (auto& h : hosts)
            if (h.name == name)
                h.failed = true;
    });
    return lost;
}

std::vector<std::string> hosts_down(const Environment& env, const std::vector<std::string>& names, bool force,
                                    const Connector& connect, const Progress& progress) {
    require_root();
    std::vector<host::HostEntry> hosts;
    if (names.empty()) {
        for (const auto& h : host::load_hosts(env.paths.data_dir))
            if (h.simulated)
                hosts.push_back(h);
    }
    for (const auto& name : names)
        hosts.push_back(simulated_host(env, name, fmt::format("forget it with 'vmctl hosts remove {}'", name)));
    // A failed host's daemon comes back, its guests dead, to say what it
    // held; if nothing is stopped after all, it fails again as it was.
    std::vector<host::HostEntry> revived;
    for (auto& h : hosts)
        if (h.failed) {
            progress(fmt::format("starting {}'s daemon again to see what died with it", h.name));
            h.uri = run_lab_host("up", h, env);
            revived.push_back(h);
        }
    const auto fail_again = [&] {
        for (const auto& h : revived)
            run_lab_host("fail", h, env);
    };
    // First make sure no VM would be left running without its daemon: every
    // host's VMs are listed before anything is deleted, and a pet anywhere
    // stops it all before the first deletion.
    std::vector<std::pair<std::unique_ptr<Hypervisor>, std::vector<std::string>>> doomed;
    std::vector<std::string> listed;
    std::vector<std::string> pets;
    try {
        for (const auto& h : hosts) {
            std::unique_ptr<Hypervisor> hv;
            try {
                hv = connect(h.uri);
            } catch (const Error&) {
                continue;  // its daemon is already gone
            }
            std::vector<std::string> vms;
            for (const auto& vm : hv->list_domains()) {
                vms.push_back(vm.name);
                listed.push_back(fmt::format("{}/{}", h.name, vm.name));
                if (is_pet(vm.metadata))
                    pets.push_back(listed.back());
            }
            if (!vms.empty())
                doomed.emplace_back(std::move(hv), std::move(vms));
        }
        if (!listed.empty() && !force)
            throw Error(ErrorKind::InvalidState, fmt::format("the hosts still have VMs: {}", fmt::join(listed, ", ")),
                        "move them with 'vmctl drain', or delete them all with --force");
        if (!pets.empty())
            throw Error(ErrorKind::InvalidState,
                        fmt::format("the hosts have protected pets: {}; nothing was deleted", fmt::join(pets, ", ")),
                        "unprotect them first ('vmctl --host HOST unprotect NAME') if they really must go");
    } catch (const Error&) {
        fail_again();
        throw;
    }
    if (!listed.empty())
        progress(fmt::format("deleting {} VM(s): {}", listed.size(), fmt::join(listed, ", ")));
    for (auto& [hv, vms] : doomed)
        for (const auto& vm : vms)
            delete_vm(*hv, env, vm, true);
    std::vector<std::string> stopped;
    for (const auto& h : hosts) {
        progress(fmt::format("stopping {}", h.name));
        run_lab_host("down", h, env);
        stopped.push_back(h.name);
    }
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& now) {
        std::erase_if(now, [&](const host::HostEntry& h) {
            return h.simulated && std::find(stopped.begin(), stopped.end(), h.name) != stopped.end();
        });
    });
    return stopped;
}

host::HostEntry hosts_add(const Environment& env, const std::string& name, const std::string& uri) {
    validate_name("host", name);
    if (uri.find("://") == std::string::npos)
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not a libvirt URI", uri),
                    "e.g. qemu+ssh://user@lab2/system");
    const host::HostEntry entry{name, uri, false, 0, {}};
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& hosts) {
        for (const auto& h : hosts)
            if (h.name == name)
                throw Error(ErrorKind::AlreadyExists, fmt::format("a host named '{}' is already known", name),
                            "choose another name");
        hosts.push_back(entry);
    });
    return entry;
}

void hosts_remove(const Environment& env, const std::string& name) {
    validate_name("host", name);
    host::update_hosts(env.paths.data_dir, [&](std::vector<host::HostEntry>& hosts) {
        const auto found = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.name == name; });
        if (found == hosts.end())
            host::find_host(env.paths.data_dir, name);  // throws NotFound, listing the known hosts
        if (found->simulated)
            throw Error(ErrorKind::InvalidState, fmt::format("'{}' is a simulated lab host", name),
                        "stop the lab hosts with 'vmctl hosts down'");
        hosts.erase(found);
    });
}

std::vector<host::HostEntry> registered_hosts(const Environment& env, const std::vector<std::string>& skip_uris) {
    std::vector<host::HostEntry> hosts = host::load_hosts(env.paths.data_dir);
    std::erase_if(hosts, [&](const host::HostEntry& h) {
        return std::find(skip_uris.begin(), skip_uris.end(), h.uri) != skip_uris.end();
    });
    return hosts;
}

HostList reach_hosts(const std::vector<host::HostEntry>& hosts,
                     const std::function<Hypervisor&(const host::HostEntry&)>& connect,
                     const std::function<void(const std::string& name, const Error& error)>& unreachable) {
    HostList reached;
    for (const auto& h : hosts) {
        try {
            reached.emplace_back(h.name, &connect(h));
        } catch (const Error& e) {
            unreachable(h.name, e);
        }
    }
    return reached;
}

std::vector<HostStatus> hosts_status(const Environment& env, const Connector& connect) {
    std::vector<HostStatus> result;
    for (const auto& h : host::load_hosts(env.paths.data_dir)) {
        HostStatus status{h};
        if (h.failed) {  // its daemon is dead: nothing to ask
            status.error = "it failed ('vmctl hosts fail')";
            result.push_back(std::move(status));
            continue;
        }
        try {
            auto hv = connect(h.uri);
            status.node = hv->node_facts();
            for (const auto& vm : hv->list_domains()) {
                ++status.vms;
                if (vm.state == DomainState::Running) {
                    ++status.running;
                    status.vcpus_in_use += vm.vcpus;
                    status.memory_in_use += vm.memory_bytes;
                }
            }
            status.reachable = true;
        } catch (const Error& e) {
            status.error = e.what();
        }
        result.push_back(std::move(status));
    }
    return result;
}

}  // namespace vmctl::ops
