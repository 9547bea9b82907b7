#pragma once

// An in-memory Hypervisor for unit tests: domains and volumes live in maps,
// "starting" a domain writes the guest's ready line into its serial log, and
// any method can be made to fail once.

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/hypervisor.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <map>
#include <set>
#include <string>

namespace vmctl::testing {

class FakeHypervisor : public Hypervisor {
public:
    // A domain has a persistent definition (`xml`, what its next boot gets)
    // and, while it runs, the running instance's own XML (`live_xml`), as
    // libvirt keeps them: a change made with `live` only shows in the
    // second, one made to the definition only in the first.
    struct Domain {
        std::string xml;
        std::string live_xml;  // empty while the domain is shut off
        DomainState state = DomainState::ShutOff;
        bool persistent = true;  // false once undefined while running: it goes when it stops
        int boots = 0;

        // What domain_xml returns: the running instance's XML, else the definition.
        const std::string& current() const { return live_xml.empty() ? xml : live_xml; }
    };

    std::map<std::string, Domain> domains;
    std::map<std::string, VolumeFacts> volumes;  // by path
    std::set<std::string> pools;
    std::string fail_on;              // the method that throws next ("start_domain"); any method can
    std::string fail_message;         // what it says (default: "injected failure in METHOD")
    bool guest_ignores_acpi = false;  // shutdown_domain does nothing
    bool guest_boots = true;          // start writes the ready line
    bool vmctl_ready_line = true;     // false: an imported image's boot, cloud-init's final message only
    bool dhcp_answers = true;         // a guest with a NIC gets an address as it boots

    HypervisorVersions versions() override {
        maybe_fail("versions");
        return {"fake:///", "9.0.0", "9.0.0", qemu_version, "fakehost"};
    }

    bool domain_exists(const std::string& name) override {
        maybe_fail("domain_exists");
        return domains.count(name) != 0;
    }

    void define_domain(const std::string& xml) override {
        maybe_fail("define_domain");
        pugi::xml_document doc;
        if (!doc.load_string(xml.c_str()) || !doc.child("domain"))
            throw Error(ErrorKind::InvalidArgument, "XML error: the domain definition does not parse");
        const DomainFacts facts = parse_domain_xml(xml);
        std::string defined = xml;
        // Like libvirt, a definition without a UUID gets a new one, so under
        // a name already taken it is another VM, and refused.
        const auto known = domains.find(facts.name);
        const std::string known_uuid = known != domains.end() ? parse_domain_xml(known->second.xml).uuid : "";
        if (known != domains.end() && facts.uuid != known_uuid)
            throw Error(ErrorKind::OperationFailed,
                        fmt::format("domain '{}' already exists with uuid {}", facts.name, known_uuid));
        const std::size_t name_end = defined.find("</name>");
        if (facts.uuid.empty() && name_end != std::string::npos)
            defined.insert(name_end + 7,
                           fmt::format("<uuid>fa4e{:04x}-0000-4000-8000-000000000000</uuid>", ++m_uuids));
        // A running domain keeps running as it was; the definition is for its next boot.
        Domain& d = domains[facts.name];
        d.xml = defined;
        d.persistent = true;
    }

    void start_domain(const std::string& name) override {
        maybe_fail("start_domain");
        Domain& d = get(name);
        if (d.state != DomainState::ShutOff)
            throw Error(ErrorKind::InvalidState, "domain is already running");
        d.state = DomainState::Running;
        d.live_xml = d.xml;
        boot(name, d, /*truncate=*/true);
    }

    void shutdown_domain(const std::string& name) override {
        maybe_fail("shutdown_domain");
        running(name);
        if (!guest_ignores_acpi)
            stopped(name);
    }

    void reboot_domain(const std::string& name) override {
        maybe_fail("reboot_domain");
        boot(name, running(name), /*truncate=*/false);
    }

    void destroy_domain(const std::string& name) override {
        maybe_fail("destroy_domain");
        running(name);
        stopped(name);
    }

    void undefine_domain(const std::string& name) override {
        maybe_fail("undefine_domain");
        Domain& d = get(name);
        snapshots.erase(name);  // as libvirt's undefine with the snapshots' metadata
        limits_of.erase(name);
        if (d.state == DomainState::ShutOff) {
            domains.erase(name);
            return;
        }
        // A running domain keeps running, transient, until it stops.
        d.persistent = false;
        d.xml = d.live_xml;
    }

    DomainState domain_state(const std::string& name) override {
        maybe_fail("domain_state");
        return get(name).state;
    }

    std::string domain_xml(const std::string& name) override {
        maybe_fail("domain_xml");
        return get(name).current();
    }
    std::string domain_config_xml(const std::string& name) override {
        maybe_fail("domain_config_xml");
        return get(name).xml;
    }

    // A balloon that has not reached the size set yet: balloon_bytes reports
    // this, list_domains the definition's size.
    std::map<std::string, std::uint64_t> balloon_at;

    std::vector<DomainSummary> list_domains() override {
        maybe_fail("list_domains");
        std::vector<DomainSummary> rows;
        for (const auto& [name, d] : domains) {
            const DomainFacts facts = parse_domain_xml(d.xml);
            rows.push_back({name, facts.uuid, d.state, facts.vcpus, facts.memory_bytes, facts.has_vmctl_metadata,
                            facts.metadata});
        }
        return rows;
    }
    std::uint64_t balloon_bytes(const std::string& name) override {
        maybe_fail("balloon_bytes");
        const Domain& d = get(name);
        const auto balloon = balloon_at.find(name);
        return balloon != balloon_at.end() ? balloon->second : parse_domain_xml(d.current()).memory_bytes;
    }

    void ensure_pool(const std::string& pool, const std::string& directory) override {
        maybe_fail("ensure_pool");
        pools.insert(pool);
        m_pool_dirs.emplace(pool, directory);  // a pool that exists keeps its directory
    }

    VolumeFacts create_volume(const std::string& pool, const std::string& name, std::uint64_t capacity) override {
        maybe_fail("create_volume");
        return add_volume(pool, name, capacity);
    }

    std::optional<VolumeFacts> volume_by_path(const std::string& path) override {
        maybe_fail("volume_by_path");
        auto it = volumes.find(path);
        if (it == volumes.end())
            return std::nullopt;
        return it->second;
    }

    void delete_volume(const std::string& path) override {
        maybe_fail("delete_volume");
        if (volumes.erase(path) == 0)
            throw Error(ErrorKind::NotFound, "no volume " + path);
        backing_of.erase(path);
    }

    // The volumes in the pool's directory; none for a pool that does not exist.
    std::vector<VolumeFacts> list_volumes(const std::string& pool) override {
        maybe_fail("list_volumes");
        std::vector<VolumeFacts> result;
        const auto dir = m_pool_dirs.find(pool);
        if (pools.count(pool) == 0 || dir == m_pool_dirs.end())
            return result;
        for (const auto& [path, v] : volumes)
            if (path.rfind(dir->second + "/", 0) == 0)
                result.push_back(v);
        return result;
    }

    void attach_console(const std::string& name, int, int, char) override {
        maybe_fail("attach_console");
        running(name);
    }

    // Nothing happens in the fake by itself: it reports no event.
    bool wait_for_event(std::chrono::milliseconds) override {
        maybe_fail("wait_for_event");
        return false;
    }

    // Like libvirt, the running instance and the definition both get the labels.
    void set_metadata(const std::string& name, const VmMetadata& metadata) override {
        maybe_fail("set_metadata");
        Domain& d = definable(name);
        const std::string labels = labels_xml(metadata);
        replace_labels(d.xml, labels);
        if (!d.live_xml.empty())
            replace_labels(d.live_xml, labels);
    }

    // A snapshot keeps the domain's state and XML (the running instance's
    // when it runs), so a revert restores both.
    struct Snapshot {
        SnapshotInfo info;
        DomainState state;
        std::string xml;
    };
    std::map<std::string, std::vector<Snapshot>> snapshots;
    long long clock = 1000;
    bool revert_fails_after_resize = true;

    void create_snapshot(const std::string& name, const std::string& snapshot_xml) override {
        maybe_fail("create_snapshot");
        Domain& d = get(name);
        SnapshotInfo info = parse_snapshot_xml(snapshot_xml);
        auto& list = snapshots[name];
        for (auto& s : list) {
            if (s.info.name == info.name)
                throw Error(ErrorKind::OperationFailed, "snapshot exists");
        }
        for (auto& s : list) {
            if (s.info.current)
                info.parent = s.info.name;
            s.info.current = false;
        }
        const DomainFacts facts = parse_domain_xml(d.current());
        info.created = ++clock;
        info.state = d.state == DomainState::Running ? "running" : "shutoff";
        info.current = true;
        info.vcpus = facts.vcpus;
        info.memory_bytes = facts.memory_bytes;
        list.push_back({info, d.state, d.current()});
    }

    std::vector<SnapshotInfo> list_snapshots(const std::string& name) override {
        maybe_fail("list_snapshots");
        get(name);
        std::vector<SnapshotInfo> result;
        for (const auto& s : snapshots[name])
            result.push_back(s.info);
        return result;
    }

    // Like libvirt, a revert sets the definition as well as the running
    // instance to the snapshot's XML.
    void revert_snapshot(const std::string& name, const std::string& snapshot) override {
        maybe_fail("revert_snapshot");
        Domain& d = get(name);
        Snapshot& s = find_snapshot(name, snapshot);
        const DomainFacts now = parse_domain_xml(d.current());
        // libvirt's trap: a running VM resized since the snapshot fails the
        // revert and is left shut off.
        if (revert_fails_after_resize && d.state == DomainState::Running && s.info.state == "running" &&
            (now.vcpus != s.info.vcpus || now.memory_bytes != s.info.memory_bytes)) {
            d.state = DomainState::ShutOff;
            d.live_xml.clear();
            throw Error(ErrorKind::OperationFailed, "internal error: unable to execute QEMU command 'loadvm'");
        }
        d.xml = s.xml;
        d.state = s.state;
        d.live_xml = s.state == DomainState::ShutOff ? std::string() : s.xml;
        for (auto& other : snapshots[name])
            other.info.current = other.info.name == snapshot;
    }

    void delete_snapshot(const std::string& name, const std::string& snapshot, bool children) override {
        maybe_fail("delete_snapshot");
        remove_snapshot(name, snapshot, children);
    }

    VolumeFacts create_overlay_volume(const std::string& pool, const std::string& name, std::uint64_t capacity,
                                      const std::string& backing) override {
        maybe_fail("create_overlay_volume");
        if (volumes.count(backing) == 0)
            throw Error(ErrorKind::NotFound, "no backing volume " + backing);
        VolumeFacts v = add_volume(pool, name, capacity);
        backing_of[v.path] = backing;
        return v;
    }

    VolumeFacts copy_volume(const std::string& pool, const std::string& name, const std::string& source) override {
        maybe_fail("copy_volume");
        auto it = volumes.find(source);
        if (it == volumes.end())
            throw Error(ErrorKind::NotFound, "no volume " + source);
        VolumeFacts v = add_volume(pool, name, it->second.capacity_bytes);
        volumes[v.path].allocation_bytes = it->second.allocation_bytes;
        return volumes[v.path];
    }

    std::map<std::string, std::string> backing_of;

    // Guest agent: answers guest-exec by running nothing; tests script the
    // answers. `agent_down_calls` makes the first calls time out, as an agent
    // that is still starting does.
    int agent_down_calls = 0;
    std::string next_exec_status =
        R"({"return":{"exited":true,"exitcode":0,"out-data":"aGkK"}})";  // "hi\n"
    std::vector<std::string> agent_requests;

    std::string agent_command(const std::string& name, const std::string& json, int) override {
        maybe_fail("agent_command");
        running(name);
        agent_requests.push_back(json);
        if (agent_down_calls > 0) {
            --agent_down_calls;
            throw Error(ErrorKind::Timeout, "guest agent is not responding");
        }
        if (json.find("guest-exec-status") != std::string::npos)
            return next_exec_status;
        return R"({"return":{"pid":42}})";
    }

    // The definition always; the running instance too with `live`, which a
    // shut-off VM refuses (libvirt's "domain is not running").
    void set_vcpus(const std::string& name, unsigned vcpus, bool live) override {
        maybe_fail("set_vcpus");
        Domain& d = resizable(name, live);
        const unsigned max_vcpus = parse_domain_xml(d.xml).max_vcpus;
        if (vcpus == 0 || vcpus > max_vcpus)  // libvirt's VIR_ERR_INVALID_ARG
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("requested vcpus {} is outside 1 to the maximum of {}", vcpus, max_vcpus));
        set_current_vcpus(d.xml, vcpus);
        if (live)
            set_current_vcpus(d.live_xml, vcpus);
    }

    void set_memory(const std::string& name, std::uint64_t bytes, bool live) override {
        maybe_fail("set_memory");
        Domain& d = resizable(name, live);
        const std::uint64_t max_bytes = parse_domain_xml(d.xml).max_memory_bytes;
        if (bytes > max_bytes)  // libvirt's VIR_ERR_INVALID_ARG
            throw Error(ErrorKind::InvalidArgument, "cannot set memory higher than max memory");
        const std::string kib = std::to_string(bytes / 1024);
        replace_in_xml(d.xml, "<currentMemory unit=\"KiB\">", "<", kib);
        if (live)
            replace_in_xml(d.live_xml, "<currentMemory unit=\"KiB\">", "<", kib);
    }

    // `live` grows the disk under the running guest, else the volume itself.
    void resize_disk(const std::string& name, const std::string&, const std::string& path, std::uint64_t bytes,
                     bool live) override {
        maybe_fail("resize_disk");
        if (live)
            running(name);
        else
            get(name);
        const auto volume = volumes.find(path);
        if (volume == volumes.end())
            throw Error(ErrorKind::NotFound, "no storage vol with matching path '" + path + "'");
        if (bytes < volume->second.capacity_bytes)  // libvirt refuses to shrink without a flag
            throw Error(ErrorKind::InvalidArgument, "can't shrink capacity below existing capacity");
        volume->second.capacity_bytes = bytes;
    }

    void attach_device(const std::string& name, const std::string& xml, bool live) override {
        maybe_fail("attach_device");
        Domain& d = resizable(name, live);
        d.xml.insert(d.xml.find("<serial"), xml);
        if (live)
            d.live_xml.insert(d.live_xml.find("<serial"), xml);
    }
    void detach_device(const std::string& name, const std::string& xml, bool live) override {
        maybe_fail("detach_device");
        Domain& d = resizable(name, live);
        const auto at = d.xml.find(xml);
        const auto live_at = live ? d.live_xml.find(xml) : std::string::npos;
        if (at == std::string::npos || (live && live_at == std::string::npos))
            throw Error(ErrorKind::NotFound, "no such device");
        d.xml.erase(at, xml.size());
        if (live)
            d.live_xml.erase(live_at, xml.size());
    }

    std::map<std::string, Limits> limits_of;
    Limits limits(const std::string& name) override {
        maybe_fail("limits");
        get(name);
        const auto known = limits_of.find(name);
        return known != limits_of.end() ? known->second : Limits{};
    }
    void set_limits(const std::string& name, const Limits& l, bool live) override {
        maybe_fail("set_limits");
        get(name);
        if (!l.vcpu_quota_us && !l.vcpu_period_us && !l.cpu_shares && !l.io_weight)
            return;  // nothing to apply: libvirt is not asked
        resizable(name, live);
        Limits& now = limits_of[name];
        if (l.vcpu_quota_us)
            now.vcpu_quota_us = l.vcpu_quota_us;
        if (l.vcpu_period_us)
            now.vcpu_period_us = l.vcpu_period_us;
        if (l.cpu_shares)
            now.cpu_shares = l.cpu_shares;
        if (l.io_weight)
            now.io_weight = l.io_weight;
    }

    // Scripted statistics when a test sets them (CPU time that moves between
    // two samples); otherwise a row per domain with what the fake knows.
    std::vector<DomainStats> stats;
    std::vector<DomainStats> all_domain_stats() override {
        maybe_fail("all_domain_stats");
        if (!stats.empty())
            return stats;
        std::vector<DomainStats> rows;
        for (const auto& [name, d] : domains) {
            DomainStats row;
            row.name = name;
            row.state = d.state;
            if (d.state != DomainState::ShutOff) {
                const DomainFacts facts = parse_domain_xml(d.current());
                row.vcpus = facts.vcpus;
                row.balloon_bytes = facts.memory_bytes;
                row.max_memory_bytes = facts.max_memory_bytes;
            }
            rows.push_back(row);
        }
        return rows;
    }

    // Migration: the fake moves the domain to `peer` (another fake) when set.
    NodeFacts node = {"fakehost", "00000000-0000-0000-0000-000000000001", 2, 8ULL << 30, 4ULL << 30};
    std::string qemu_version = "7.2.0";  // what versions() reports as the hypervisor
    FakeHypervisor* peer = nullptr;
    std::vector<MigrationRequest> migrations;
    // The last finished job of each domain, as libvirt reports it on the
    // destination of a migration; none for a domain that had none.
    std::map<std::string, MigrationJob> completed_jobs;
    NodeFacts node_facts() override {
        maybe_fail("node_facts");
        return node;
    }

    // One active network "vmctl" by default; a test adds leases for the
    // addresses its guests "got".
    std::vector<NetworkFacts> networks{{"vmctl", true, true, "vmctl0"}};
    std::map<std::string, std::vector<DhcpLease>> leases;  // by network
    std::vector<NetworkFacts> list_networks() override {
        maybe_fail("list_networks");
        return networks;
    }
    std::vector<DhcpLease> dhcp_leases(const std::string& network) override {
        maybe_fail("dhcp_leases");
        if (std::none_of(networks.begin(), networks.end(), [&](const NetworkFacts& n) { return n.name == network; }))
            throw Error(ErrorKind::NotFound, "no network named '" + network + "'");
        return leases[network];
    }
    void migrate(const std::string& name, const MigrationRequest& request,
                 const std::function<bool(const MigrationJob&)>& on_progress) override {
        maybe_fail("migrate");
        Domain d = get(name);
        migrations.push_back(request);
        if (!on_progress({100, 1000, 500, 500, 1000, 0, 4096, 1, std::nullopt}))
            throw Error(ErrorKind::OperationFailed, "migration of VM '" + name + "' was cancelled");
        if (peer == nullptr)
            throw Error(ErrorKind::Unreachable, "no peer");
        peer->domains[name] = d;
        peer->completed_jobs[name] = MigrationJob{900, 1000, 1000, 0, 1000, 0, 4096, 3, 120};
        domains.erase(name);
    }
    std::optional<MigrationJob> completed_job(const std::string& name) override {
        maybe_fail("completed_job");
        get(name);
        const auto job = completed_jobs.find(name);
        if (job == completed_jobs.end())
            return std::nullopt;
        return job->second;
    }
    // Each snapshot's definition as libvirt writes it: parent, state, time,
    // and the domain it holds, so that redefining it gives the same snapshot.
    std::vector<SnapshotDefinition> snapshot_definitions(const std::string& name) override {
        maybe_fail("snapshot_definitions");
        get(name);
        std::vector<SnapshotDefinition> result;
        for (const auto& s : snapshots[name])
            result.push_back({s.info.name, snapshot_definition_xml(s), s.info.current});
        return result;
    }
    void forget_snapshot(const std::string& name, const std::string& snapshot) override {
        maybe_fail("forget_snapshot");
        remove_snapshot(name, snapshot, false);
    }
    // Like libvirt's redefine: a snapshot of that name is replaced, and a
    // current one makes every other not current.
    void redefine_snapshot(const std::string& name, const SnapshotDefinition& snapshot) override {
        maybe_fail("redefine_snapshot");
        const Domain& d = get(name);
        pugi::xml_document doc;
        if (!doc.load_string(snapshot.xml.c_str()) || !doc.child("domainsnapshot"))
            throw Error(ErrorKind::InvalidArgument, "XML error: the snapshot definition does not parse");
        SnapshotInfo info = parse_snapshot_xml(snapshot.xml);
        info.current = snapshot.current;
        std::string xml = d.xml;
        if (const pugi::xml_node domain = doc.child("domainsnapshot").child("domain")) {
            std::ostringstream printed;
            domain.print(printed, "", pugi::format_raw);
            xml = printed.str();
        }
        const DomainState state = info.state == "running" ? DomainState::Running : DomainState::ShutOff;
        auto& list = snapshots[name];
        if (info.current)
            for (auto& other : list)
                other.info.current = false;
        const auto same = std::find_if(list.begin(), list.end(),
                                       [&](const Snapshot& s) { return s.info.name == info.name; });
        if (same != list.end())
            *same = {info, state, xml};
        else
            list.push_back({info, state, xml});
    }

private:
    unsigned m_uuids = 0;

    void maybe_fail(const std::string& method) {
        if (fail_on == method) {
            fail_on.clear();
            throw Error(ErrorKind::OperationFailed,
                        fail_message.empty() ? "injected failure in " + method : fail_message);
        }
    }

    Domain& get(const std::string& name) {
        auto it = domains.find(name);
        if (it == domains.end())
            throw Error(ErrorKind::NotFound, "there is no VM named '" + name + "'");
        return it->second;
    }

    Domain& running(const std::string& name) {
        Domain& d = get(name);
        if (d.state != DomainState::Running)
            throw Error(ErrorKind::InvalidState, "domain is not running");
        return d;
    }

    // A domain whose definition can change: not a transient one.
    Domain& definable(const std::string& name) {
        Domain& d = get(name);
        if (!d.persistent)
            throw Error(ErrorKind::InvalidState, "cannot change persistent config of a transient domain");
        return d;
    }

    // A domain whose definition changes, and with `live` its running instance too.
    Domain& resizable(const std::string& name, bool live) {
        Domain& d = definable(name);
        if (live && d.state == DomainState::ShutOff)
            throw Error(ErrorKind::InvalidState, "domain is not running");
        return d;
    }

    // The running instance is gone: a transient domain with it.
    void stopped(const std::string& name) {
        Domain& d = get(name);
        d.state = DomainState::ShutOff;
        d.live_xml.clear();
        if (!d.persistent)
            domains.erase(name);
    }

    VolumeFacts add_volume(const std::string& pool, const std::string& name, std::uint64_t capacity) {
        if (pools.count(pool) == 0)
            throw Error(ErrorKind::NotFound, "no pool " + pool);
        VolumeFacts v{name, m_pool_dirs[pool] + "/" + name, capacity, 0};
        if (volumes.count(v.path) != 0)
            throw Error(ErrorKind::AlreadyExists, "volume exists");
        volumes[v.path] = v;
        return v;
    }

    // Writes what the tiny image's init prints, with a boot id per boot.
    void boot(const std::string& name, Domain& d, bool truncate) {
        const DomainFacts facts = parse_domain_xml(d.current());
        if (facts.serial_log.empty())
            return;
        std::ofstream log(facts.serial_log, truncate ? std::ios::trunc : std::ios::app);
        log << "Linux booting...\n";
        if (!guest_boots)
            return;  // and never gets further
        ++d.boots;
        if (!vmctl_ready_line) {
            log << "[  9.5] cloud-init[412]: Cloud-init v. 22.4.2 finished at boot " << d.boots << "\n";
            return;
        }
        log << "vmctl-guest: ready boot=" << name << "-boot-" << d.boots << " kernel=6.1.0-fake cpus=" << facts.vcpus
            << " mem_kb=" << facts.memory_bytes / 1024 << "\n"
            << "HB boot=" << name << "-boot-" << d.boots << " seq=0\n";
        // A NIC on a network: DHCP answers, as the vmctl network's dnsmasq does.
        if (!dhcp_answers || facts.interfaces.empty() || facts.interfaces.front().network.empty())
            return;
        const InterfaceFacts& nic = facts.interfaces.front();
        auto& given = leases[nic.network];
        auto lease = std::find_if(given.begin(), given.end(), [&](const DhcpLease& l) { return l.mac == nic.mac; });
        if (lease == given.end())
            lease = given.insert(given.end(), {nic.mac, "10.215.0." + std::to_string(10 + given.size()), 24, name});
        log << "vmctl-guest: address eth0 " << lease->ip << "/24\n";
    }

    static void replace_in_xml(std::string& xml, const std::string& before, const std::string& after,
                               const std::string& value) {
        const auto start = xml.find(before);
        if (start == std::string::npos)
            throw Error(ErrorKind::Internal, "fake: no " + before);
        const auto from = start + before.size();
        xml.replace(from, xml.find(after, from) - from, value);
    }

    // The current vCPU count, in vmctl's vcpu element or in one without `current`.
    static void set_current_vcpus(std::string& xml, unsigned vcpus) {
        const std::string with_current = "<vcpu placement=\"static\" current=\"";
        if (xml.find(with_current) != std::string::npos) {
            replace_in_xml(xml, with_current, "\">", std::to_string(vcpus));
            return;
        }
        const std::string plain = "<vcpu placement=\"static\">";
        const auto at = xml.find(plain);
        if (at == std::string::npos)
            throw Error(ErrorKind::Internal, "fake: no vcpu element");
        xml.replace(at, plain.size(), with_current + std::to_string(vcpus) + "\">");
    }

    // vmctl's labels element, built by pugixml so that a label's text is escaped as libvirt's is.
    static std::string labels_xml(const VmMetadata& metadata) {
        pugi::xml_document doc;
        pugi::xml_node element = doc.append_child("vmctl:labels");
        for (const auto& [k, v] : metadata.labels) {
            pugi::xml_node label = element.append_child("vmctl:label");
            label.append_attribute("key") = k.c_str();
            label.append_attribute("value") = v.c_str();
        }
        element.append_child(pugi::node_pcdata);  // an open and a close tag even without labels
        std::ostringstream printed;
        doc.save(printed, "", pugi::format_raw | pugi::format_no_declaration);
        return printed.str();
    }

    // Rewrites only the labels element: good enough for the tests' domains.
    static void replace_labels(std::string& xml, const std::string& labels) {
        const auto begin = xml.find("<vmctl:labels");
        if (begin == std::string::npos)
            return;
        const std::string end_tag = "</vmctl:labels>";
        auto end = xml.find(end_tag);
        if (end == std::string::npos) {  // <vmctl:labels /> when empty
            end = xml.find("/>", begin);
            xml.replace(begin, end + 2 - begin, labels);
        } else {
            xml.replace(begin, end + end_tag.size() - begin, labels);
        }
    }

    static std::string snapshot_definition_xml(const Snapshot& s) {
        pugi::xml_document doc;
        pugi::xml_node root = doc.append_child("domainsnapshot");
        root.append_child("name").text() = s.info.name.c_str();
        if (!s.info.description.empty())
            root.append_child("description").text() = s.info.description.c_str();
        root.append_child("state").text() = s.info.state.c_str();
        if (!s.info.parent.empty())
            root.append_child("parent").append_child("name").text() = s.info.parent.c_str();
        root.append_child("creationTime").text() = s.info.created;
        pugi::xml_document domain;
        if (domain.load_string(s.xml.c_str()))
            root.append_copy(domain.document_element());
        std::ostringstream printed;
        doc.save(printed, "", pugi::format_raw | pugi::format_no_declaration);
        return printed.str();
    }

    // Deletes a snapshot (and with `children` its descendants); its children
    // go to its parent, which becomes current if the deleted one was.
    void remove_snapshot(const std::string& name, const std::string& snapshot, bool children) {
        get(name);
        Snapshot& s = find_snapshot(name, snapshot);
        const std::string parent = s.info.parent;
        auto& list = snapshots[name];
        std::set<std::string> doomed{snapshot};
        if (children) {
            for (bool grew = true; grew;) {
                grew = false;
                for (const auto& other : list)
                    if (doomed.count(other.info.parent) != 0 && doomed.insert(other.info.name).second)
                        grew = true;
            }
        }
        bool current_doomed = false;
        for (auto& other : list) {
            if (doomed.count(other.info.name) != 0 && other.info.current)
                current_doomed = true;
            if (other.info.parent == snapshot)
                other.info.parent = parent;
        }
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const Snapshot& x) { return doomed.count(x.info.name) != 0; }),
                   list.end());
        if (current_doomed)
            for (auto& other : list)
                other.info.current = other.info.name == parent;
    }

    Snapshot& find_snapshot(const std::string& name, const std::string& snapshot) {
        for (auto& s : snapshots[name])
            if (s.info.name == snapshot)
                return s;
        throw Error(ErrorKind::NotFound, "VM '" + name + "' has no snapshot named '" + snapshot + "'");
    }

    std::map<std::string, std::string> m_pool_dirs;
};

// Lends a FakeHypervisor to code that wants to own its Hypervisor (the CLI's
// factory), so a test can look at the fake's state after each command.
class BorrowedHypervisor : public Hypervisor {
public:
    explicit BorrowedHypervisor(Hypervisor& inner) : m_inner(inner) {}
    HypervisorVersions versions() override { return m_inner.versions(); }
    bool domain_exists(const std::string& n) override { return m_inner.domain_exists(n); }
    void define_domain(const std::string& xml) override { m_inner.define_domain(xml); }
    void start_domain(const std::string& n) override { m_inner.start_domain(n); }
    void shutdown_domain(const std::string& n) override { m_inner.shutdown_domain(n); }
    void reboot_domain(const std::string& n) override { m_inner.reboot_domain(n); }
    void destroy_domain(const std::string& n) override { m_inner.destroy_domain(n); }
    void undefine_domain(const std::string& n) override { m_inner.undefine_domain(n); }
    DomainState domain_state(const std::string& n) override { return m_inner.domain_state(n); }
    std::string domain_xml(const std::string& n) override { return m_inner.domain_xml(n); }
    std::string domain_config_xml(const std::string& n) override { return m_inner.domain_config_xml(n); }
    std::vector<DomainSummary> list_domains() override { return m_inner.list_domains(); }
    std::uint64_t balloon_bytes(const std::string& n) override { return m_inner.balloon_bytes(n); }
    void ensure_pool(const std::string& p, const std::string& d) override { m_inner.ensure_pool(p, d); }
    VolumeFacts create_volume(const std::string& p, const std::string& n, std::uint64_t c) override {
        return m_inner.create_volume(p, n, c);
    }
    std::optional<VolumeFacts> volume_by_path(const std::string& p) override { return m_inner.volume_by_path(p); }
    void delete_volume(const std::string& p) override { m_inner.delete_volume(p); }
    std::vector<VolumeFacts> list_volumes(const std::string& p) override { return m_inner.list_volumes(p); }
    void attach_console(const std::string& n, int i, int o, char e) override { m_inner.attach_console(n, i, o, e); }
    bool wait_for_event(std::chrono::milliseconds t) override { return m_inner.wait_for_event(t); }
    void set_metadata(const std::string& n, const VmMetadata& m) override { m_inner.set_metadata(n, m); }
    void create_snapshot(const std::string& n, const std::string& x) override { m_inner.create_snapshot(n, x); }
    std::vector<SnapshotInfo> list_snapshots(const std::string& n) override { return m_inner.list_snapshots(n); }
    void revert_snapshot(const std::string& n, const std::string& s) override { m_inner.revert_snapshot(n, s); }
    void delete_snapshot(const std::string& n, const std::string& s, bool c) override {
        m_inner.delete_snapshot(n, s, c);
    }
    VolumeFacts create_overlay_volume(const std::string& p, const std::string& n, std::uint64_t c,
                                      const std::string& b) override {
        return m_inner.create_overlay_volume(p, n, c, b);
    }
    VolumeFacts copy_volume(const std::string& p, const std::string& n, const std::string& s) override {
        return m_inner.copy_volume(p, n, s);
    }
    std::string agent_command(const std::string& n, const std::string& j, int t) override {
        return m_inner.agent_command(n, j, t);
    }
    void set_vcpus(const std::string& n, unsigned v, bool l) override { m_inner.set_vcpus(n, v, l); }
    void set_memory(const std::string& n, std::uint64_t b, bool l) override { m_inner.set_memory(n, b, l); }
    void resize_disk(const std::string& n, const std::string& t, const std::string& p, std::uint64_t b,
                     bool l) override {
        m_inner.resize_disk(n, t, p, b, l);
    }
    void attach_device(const std::string& n, const std::string& x, bool l) override { m_inner.attach_device(n, x, l); }
    void detach_device(const std::string& n, const std::string& x, bool l) override { m_inner.detach_device(n, x, l); }
    Limits limits(const std::string& n) override { return m_inner.limits(n); }
    void set_limits(const std::string& n, const Limits& l, bool live) override { m_inner.set_limits(n, l, live); }
    std::vector<DomainStats> all_domain_stats() override { return m_inner.all_domain_stats(); }
    NodeFacts node_facts() override { return m_inner.node_facts(); }
    std::vector<NetworkFacts> list_networks() override { return m_inner.list_networks(); }
    std::vector<DhcpLease> dhcp_leases(const std::string& n) override { return m_inner.dhcp_leases(n); }
    void migrate(const std::string& n, const MigrationRequest& r,
                 const std::function<bool(const MigrationJob&)>& p) override {
        m_inner.migrate(n, r, p);
    }
    std::optional<MigrationJob> completed_job(const std::string& n) override { return m_inner.completed_job(n); }
    std::vector<SnapshotDefinition> snapshot_definitions(const std::string& n) override {
        return m_inner.snapshot_definitions(n);
    }
    void forget_snapshot(const std::string& n, const std::string& s) override { m_inner.forget_snapshot(n, s); }
    void redefine_snapshot(const std::string& n, const SnapshotDefinition& s) override {
        m_inner.redefine_snapshot(n, s);
    }

private:
    Hypervisor& m_inner;
};

}  // namespace vmctl::testing
