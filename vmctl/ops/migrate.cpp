#include "vmctl/ops/migrate.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/guest_protocol.h"
#include "vmctl/core/size.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/exec.h"
#include "vmctl/ops/network.h"
#include "vmctl/host/files.h"
#include "vmctl/host/migration_journal.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/snapshot_stash.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <sstream>
#include <thread>

namespace vmctl::ops {

std::optional<std::pair<std::string, std::uint64_t>> last_heartbeat(const std::string& serial_log) {
    std::istringstream lines(host::read_file_or(serial_log, ""));
    std::optional<std::pair<std::string, std::uint64_t>> last;
    for (std::string line; std::getline(lines, line);)
        if (auto beat = parse_heartbeat(line))
            last = std::make_pair(beat->boot_id, beat->seq);
    return last;
}

bool precopy_loses_writes(const std::string& domain_type, const std::string& qemu_version) {
    if (domain_type != "qemu")
        return false;
    unsigned major = 0;
    if (std::sscanf(qemu_version.c_str(), "%u.", &major) != 1)
        return true;  // unknown: assume the worst
    return major < 9;
}

MigrateOptions options_between(const std::string& name, const host::HostEntry& source, const host::HostEntry& dest,
                               bool offline) {
    for (const host::HostEntry* h : {&source, &dest})
        if (h->local_disks)
            throw Error(ErrorKind::Unsupported,
                        fmt::format("'{}' keeps its VMs' disks on its own local storage, which no other host sees",
                                    h->name),
                        "live migration here is between hosts that share storage, as host-a and host-b do");
    MigrateOptions options;
    options.name = name;
    options.source_host = source.name;
    options.source_uri = source.uri;
    options.dest_host = dest.name;
    options.request.dest_uri = dest.uri;
    if (dest.simulated) {
        options.request.migrate_uri = "tcp://" + dest.address;
        options.request.listen_address = dest.address;
    }
    options.request.offline = offline;
    options.request.live = !offline;
    options.shared_storage = source.simulated && dest.simulated;
    return options;
}

namespace {

void preflight(Hypervisor& source, Hypervisor& dest, const Environment& env, const MigrateOptions& options,
               const DomainFacts& facts, DomainState state) {
    const NodeFacts from = source.node_facts();
    const NodeFacts to = dest.node_facts();
    if (!from.host_uuid.empty() && from.host_uuid == to.host_uuid)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' and '{}' are the same host", options.source_host, options.dest_host),
                    "choose another destination: 'vmctl hosts list'");
    if (dest.domain_exists(options.name))
        throw Error(ErrorKind::AlreadyExists,
                    fmt::format("host '{}' already has a VM named '{}'", options.dest_host, options.name),
                    "remove or rename that one first");
    if (state == DomainState::ShutOff && !options.request.offline)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is stopped, so there is nothing live to move", options.name),
                    "move its definition with --offline, or start it first");
    if (state != DomainState::ShutOff && options.request.offline)
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' is running; --offline moves only stopped VMs", options.name),
                    "drop --offline for a live migration");
    if (state == DomainState::Running && to.free_memory_bytes < facts.max_memory_bytes)
        throw Error(ErrorKind::InvalidState,
                    fmt::format("host '{}' has {} of free memory and VM '{}' may use up to {}", options.dest_host,
                                format_size(to.free_memory_bytes), options.name, format_size(facts.max_memory_bytes)),
                    "choose a host with more free memory ('vmctl hosts list'), or free some there");
    if (!options.request.copy_storage && !options.shared_storage) {
        // A real host shares the disks only if it knows the same file.
        dest.ensure_pool(host::kPoolName, env.paths.pool_dir);
        for (const auto& disk : facts.disks)
            if (disk.device == "disk" && !disk.path.empty() && !dest.volume_by_path(disk.path))
                throw Error(ErrorKind::InvalidState,
                            fmt::format("host '{}' cannot see the disk {} of VM '{}': it is not on shared storage",
                                        options.dest_host, disk.path, options.name),
                            "copy the disks along with --copy-storage");
    }
}

}  // namespace

namespace {

// Appends the finished migration to the journal labs check; a journal that
// cannot be written must not turn a good migration into a failure.
void record(const Environment& env, const MigrateOptions& options, const MigrationReport& report) {
    host::MigrationRecord entry;
    entry.vm = options.name;
    entry.from = options.source_host;
    entry.to = options.dest_host;
    entry.at = now_iso8601();
    entry.seconds = report.wall_seconds;
    if (report.job)
        entry.downtime_ms = report.job->downtime_ms;
    entry.kept_running = report.kept_running;
    if (report.network) {
        entry.probes_sent = report.network->probes.sent;
        entry.probes_lost = report.network->probes.lost();
        entry.longest_gap_ms = report.network->probes.longest_gap_ms;
        entry.tcp_kept = report.network->tcp_kept;
    }
    try {
        host::append_migration_record(env.paths.data_dir, entry);
    } catch (const Error& e) {
        spdlog::warn("could not record the migration: {}", e.what());
    }
}

// Did the guest keep running across the move: the same boot, and its
// heartbeat counter past the last beat seen before the move? The guest on the
// destination is asked first (its agent reads the counter the heartbeat loop
// keeps in a file: tens of milliseconds); when the agent cannot tell (an
// image without that file, an agent not connected yet, or no beat since the
// move started), the serial log is watched for the first beat the destination
// prints, which can take up to the heartbeat's one-second period.
void check_kept_running(Hypervisor& dest, const std::string& name, const std::string& serial_log,
                        MigrationReport& report) {
    try {
        ExecOptions exec;
        exec.command = {"cat", kHeartbeatFile};
        exec.timeout = std::chrono::seconds(2);
        exec.agent_wait = std::chrono::seconds(0);
        exec.answer_timeout_s = 1;
        const ExecStatus status = exec_in_guest(dest, name, exec);
        std::istringstream words(status.out);
        std::string boot_id;
        std::uint64_t seq = 0;
        if (status.exit_code == 0 && (words >> boot_id >> seq) && seq > *report.seq_before) {
            report.seq_after = seq;
            report.kept_running = boot_id == report.boot_id;
            return;
        }
    } catch (const Error& e) {
        spdlog::debug("the guest agent could not tell whether the guest kept running: {}", e.what());
    }
    // The source's QEMU is gone now, so a heartbeat newer than the last one
    // in the (shared) log comes from the guest on the destination.
    const auto at_switch = last_heartbeat(serial_log);
    const std::uint64_t newest = std::max(*report.seq_before, at_switch ? at_switch->second : 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto beat = last_heartbeat(serial_log);
        if (beat && beat->second > newest && beat->first == report.boot_id) {
            report.seq_after = beat->second;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    report.kept_running = report.seq_after.has_value() && dest.domain_state(name) == DomainState::Running;
}

// Watches a running VM's address from this machine while it moves: probes
// start before the migration, and a TCP connection (an HTTP request whose
// end is held back) is opened before it and finished after it.
class AddressWatch {
public:
    AddressWatch(const std::string& ip, std::uint16_t port)
        : m_ip(ip), m_prober(ip, kProbeInterval), m_request(ip, port, std::chrono::seconds(2)) {}

    // After the move: waits (up to 5 s) for an answer to a probe sent after
    // it, so that the longest gap covers the time until the network found
    // the VM's new place, then stops probing and finishes the request.
    NetworkWatch finish(const std::string& vm_name) {
        const unsigned before = m_prober.answered();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (m_prober.answered() <= before + 1 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(kProbeInterval);
        NetworkWatch watch;
        watch.ip = m_ip;
        watch.probes = m_prober.stop();
        if (!m_request.open_error().empty()) {
            watch.tcp_detail = m_request.open_error();
            return watch;
        }
        std::string why;
        const auto answer = m_request.finish(std::chrono::seconds(5), why);
        // The page names the VM: an answer from another machine at that address is no proof.
        watch.tcp_kept = answer && answer->starts_with("HTTP/1") && answer->find(" 200 ") != std::string::npos &&
                         answer->find("vm=" + vm_name + " ") != std::string::npos;
        if (!answer)
            watch.tcp_detail = why;
        else if (!*watch.tcp_kept)
            watch.tcp_detail = "the answer did not come from this VM's web page";
        return watch;
    }

private:
    std::string m_ip;
    host::Prober m_prober;
    host::HeldRequest m_request;
};

}  // namespace

MigrationReport migrate_vm(Hypervisor& source, Hypervisor& dest, const Environment& env,
                           const MigrateOptions& options, const std::function<bool(const MigrationJob&)>& on_progress) {
    const auto t_begin = std::chrono::steady_clock::now();
    const auto ms_since = [](std::chrono::steady_clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
    };
    // Held for the whole move: another vmctl leaves this VM's stash alone.
    const std::string& data_dir = env.paths.data_dir;
    host::make_private_dir(host::snapshot_stash_dir(data_dir));
    const host::FileLock moving(host::snapshot_stash_lock(data_dir, options.name));
    if (host::has_snapshot_stash(data_dir, options.name))
        throw Error(ErrorKind::InvalidState,
                    fmt::format("VM '{}' has snapshots that an interrupted move set aside and could not put back yet",
                                options.name),
                    "they are put back once its hosts answer: see 'vmctl hosts list', then run any vmctl command");
    const DomainFacts facts = parse_domain_xml(source.domain_xml(options.name));
    const DomainState state = source.domain_state(options.name);
    preflight(source, dest, env, options, facts, state);

    MigrationReport report;
    if (const auto beat = last_heartbeat(facts.serial_log)) {
        report.boot_id = beat->first;
        report.seq_before = beat->second;
    }
    // libvirt refuses to migrate a VM with snapshot metadata; the snapshots
    // themselves live in the qcow2 file, so only their metadata is set aside
    // here and defined again on the destination. It is written to disk first
    // (under the lock above), so a vmctl killed on the way loses nothing: the
    // next run puts it back (restore_stashed_snapshots).
    const auto snapshots = source.snapshot_definitions(options.name);
    if (!snapshots.empty())
        host::save_snapshot_stash(data_dir, {options.name, options.source_uri, options.request.dest_uri, snapshots});
    for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it)
        source.forget_snapshot(options.name, it->name);
    const auto restore_snapshots = [&](Hypervisor& where) {
        for (const auto& snapshot : snapshots)
            where.redefine_snapshot(options.name, snapshot);
        host::remove_snapshot_stash(data_dir, options.name);
    };

    std::optional<AddressWatch> watch;
    if (options.probe_network && state == DomainState::Running) {
        const VmAddress address = vm_address(source, env, facts, state);
        if (!address.ip.empty()) {
            try {
                watch.emplace(address.ip, options.web_port);
            } catch (const Error& e) {
                spdlog::warn("cannot probe {} during the move: {}", address.ip, e.what());
            }
        }
    }

    spdlog::debug("pre-flight took {} ms", ms_since(t_begin));
    const auto started = std::chrono::steady_clock::now();
    MigrationRequest request = options.request;
    request.unsafe = request.unsafe || options.shared_storage;
    // A running TCG guest on a QEMU that loses writes during pre-copy moves
    // paused instead: libvirt stops its vCPUs just before the copy and starts
    // them on the destination, so every page arrives as it was.
    if (request.live && state == DomainState::Running && !options.force_precopy && !request.postcopy &&
        precopy_loses_writes(facts.type, source.versions().hypervisor)) {
        request.live = false;
        request.auto_converge = false;  // nothing runs to slow down
    }
    report.mode = state == DomainState::ShutOff ? "offline"
                  : !request.live            ? "paused copy"
                  : request.postcopy         ? "post-copy after the first pass"
                                             : "pre-copy";
    if (!request.copy_storage)
        dest.ensure_pool(host::kPoolName, env.paths.pool_dir);
    try {
        source.migrate(options.name, request, on_progress);
    } catch (const Error& e) {
        try {
            restore_snapshots(source);
        } catch (const Error& again) {
            spdlog::warn("could not restore the snapshot metadata on the source: {}", again.what());
        }
        if (!e.hint().empty())
            throw;
        throw Error(e.kind(), e.what(),
                    fmt::format("VM '{}' is still on {}; is {} up? see 'vmctl hosts list'", options.name,
                                options.source_host, options.dest_host),
                    e.libvirt_code());
    }
    report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    spdlog::debug("the migration call took {} ms", ms_since(started));
    const auto t_after = std::chrono::steady_clock::now();
    restore_snapshots(dest);
    report.snapshots_carried = snapshots.size();
    report.job = dest.completed_job(options.name);

    spdlog::debug("the report's job statistics took {} ms", ms_since(t_after));
    const auto t_check = std::chrono::steady_clock::now();
    if (options.check_heartbeat && state == DomainState::Running && report.seq_before)
        check_kept_running(dest, options.name, facts.serial_log, report);
    spdlog::debug("the kept-running check took {} ms", ms_since(t_check));
    if (watch)
        report.network = watch->finish(options.name);
    record(env, options, report);
    return report;
}

std::vector<std::string> restore_stashed_snapshots(const Environment& env, const Connect& connect) {
    std::vector<std::string> notes;
    const std::string& data_dir = env.paths.data_dir;
    for (const std::string& vm : host::stashed_vms(data_dir)) {
        const host::FileLock lock(host::snapshot_stash_lock(data_dir, vm), host::FileLock::Wait::No);
        if (!lock.held())
            continue;  // that move is still under way
        try {
            const host::SnapshotStash stash = host::load_snapshot_stash(data_dir, vm);
            // Where the VM is now. On both hosts, a move may still be under
            // way (libvirt goes on after the vmctl that asked for it died):
            // wait until it has ended one way or the other.
            std::vector<std::unique_ptr<Hypervisor>> homes;
            bool unreachable = false;
            for (const std::string& uri : {stash.dest_uri, stash.source_uri}) {
                try {
                    auto hv = connect(uri);
                    if (hv->domain_exists(vm))
                        homes.push_back(std::move(hv));
                } catch (const Error& e) {
                    unreachable = true;
                    spdlog::debug("cannot ask {} about VM '{}': {}", uri, vm, e.what());
                }
            }
            // With a host that does not answer, only a VM that runs where it
            // was found is surely there to stay.
            const bool unsure = homes.size() > 1 || (unreachable && (homes.empty() || homes.front()->domain_state(vm) !=
                                                                                           DomainState::Running));
            if (unsure) {
                notes.push_back(fmt::format("the snapshots of VM '{}' that an interrupted move set aside wait until "
                                            "{}",
                                            vm, unreachable ? "its hosts answer (see 'vmctl hosts list')"
                                                            : "the move has ended (it is on both hosts now)"));
                continue;
            }
            if (homes.empty()) {
                host::remove_snapshot_stash(data_dir, vm);
                notes.push_back(fmt::format("VM '{}' no longer exists; the snapshots an interrupted move had set "
                                            "aside for it are dropped",
                                            vm));
                continue;
            }
            Hypervisor& home = *homes.front();
            std::vector<std::string> present;
            for (const auto& s : home.snapshot_definitions(vm))
                present.push_back(s.name);
            unsigned restored = 0;
            for (const auto& s : stash.snapshots)
                if (std::find(present.begin(), present.end(), s.name) == present.end()) {
                    home.redefine_snapshot(vm, s);
                    ++restored;
                }
            host::remove_snapshot_stash(data_dir, vm);
            if (restored > 0)
                notes.push_back(fmt::format("put back {} snapshot{} of VM '{}' that an interrupted move had set aside",
                                            restored, restored == 1 ? "" : "s", vm));
        } catch (const Error& e) {
            notes.push_back(fmt::format("could not put back the snapshots of VM '{}' set aside by an interrupted "
                                        "move: {}",
                                        vm, e.line()));
        }
    }
    return notes;
}

}  // namespace vmctl::ops
