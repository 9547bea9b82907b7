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
    struct Domain {
        std::string xml;
        DomainState state = DomainState::ShutOff;
        int boots = 0;
    };

    std::map<std::string, Domain> domains;
    std::map<std::string, VolumeFacts> volumes;  // by path
    std::set<std::string> pools;
    std::string fail_on;              // the method that throws next ("start_domain")
    std::string fail_message;         // what it says (default: "injected failure in METHOD")
    bool guest_ignores_acpi = false;  // shutdown_domain does nothing
    bool guest_boots = true;          // start writes the ready line
    bool dhcp_answers = true;         // a guest with a NIC gets an address as it boots

    HypervisorVersions versions() override { return {"fake:///", "9.0.0", "9.0.0", qemu_version, "fakehost"}; }

    bool domain_exists(const std::string& name) override {
        maybe_fail("domain_exists");
        return domains.count(name) != 0;
    }

    void define_domain(const std::string& xml) override {
        maybe_fail("define_domain");
        const DomainFacts facts = parse_domain_xml(xml);
        std::string defined = xml;
        // Like libvirt, give a definition without a UUID one: the one the
        // domain of that name already has, else a new one.
        const std::size_t name_end = defined.find("</name>");
        if (facts.uuid.empty() && name_end != std::string::npos) {
            const auto known = domains.find(facts.name);
            const std::string uuid = known != domains.end()
                                         ? parse_domain_xml(known->second.xml).uuid
                                         : fmt::format("fa4e{:04x}-0000-4000-8000-000000000000", ++m_uuids);
            defined.insert(name_end + 7, "<uuid>" + uuid + "</uuid>");
        }
        domains[facts.name].xml = defined;
    }

    void start_domain(const std::string& name) override {
        maybe_fail("start_domain");
        Domain& d = get(name);
        if (d.state != DomainState::ShutOff)
            throw Error(ErrorKind::InvalidState, "domain is already running");
        d.state = DomainState::Running;
        boot(name, d, /*truncate=*/true);
    }

    void shutdown_domain(const std::string& name) override {
        maybe_fail("shutdown_domain");
        Domain& d = running(name);
        if (!guest_ignores_acpi)
            d.state = DomainState::ShutOff;
    }

    void reboot_domain(const std::string& name) override {
        maybe_fail("reboot_domain");
        boot(name, running(name), /*truncate=*/false);
    }

    void destroy_domain(const std::string& name) override {
        maybe_fail("destroy_domain");
        running(name).state = DomainState::ShutOff;
    }

    void undefine_domain(const std::string& name) override {
        maybe_fail("undefine_domain");
        get(name);
        domains.erase(name);
        snapshots.erase(name);  // as libvirt's undefine with the snapshots' metadata
    }

    DomainState domain_state(const std::string& name) override { return get(name).state; }

    std::string domain_xml(const std::string& name) override { return get(name).xml; }
    // A saved definition that differs from the running one (a disk attached
    // with --config only, say); by default they are the same.
    std::map<std::string, std::string> config_xml;
    std::string domain_config_xml(const std::string& name) override {
        const auto saved = config_xml.find(name);
        return saved != config_xml.end() ? saved->second : get(name).xml;
    }

    // A balloon that has not reached the size set yet: balloon_bytes reports
    // this, list_domains the definition's size.
    std::map<std::string, std::uint64_t> balloon_at;

    std::vector<DomainSummary> list_domains() override {
        std::vector<DomainSummary> rows;
        for (const auto& [name, d] : domains) {
            const DomainFacts facts = parse_domain_xml(d.xml);
            rows.push_back({name, facts.uuid, d.state, facts.vcpus, facts.memory_bytes, facts.has_vmctl_metadata,
                            facts.metadata});
        }
        return rows;
    }
    std::uint64_t balloon_bytes(const std::string& name) override {
        const auto balloon = balloon_at.find(name);
        return balloon != balloon_at.end() ? balloon->second : parse_domain_xml(get(name).xml).memory_bytes;
    }

    void ensure_pool(const std::string& pool, const std::string& directory) override {
        maybe_fail("ensure_pool");
        pools.insert(pool);
        m_pool_dirs[pool] = directory;
    }

    VolumeFacts create_volume(const std::string& pool, const std::string& name, std::uint64_t capacity) override {
        maybe_fail("create_volume");
        if (pools.count(pool) == 0)
            throw Error(ErrorKind::NotFound, "no pool " + pool);
        VolumeFacts v{name, m_pool_dirs[pool] + "/" + name, capacity, 0};
        if (volumes.count(v.path) != 0)
            throw Error(ErrorKind::AlreadyExists, "volume exists");
        volumes[v.path] = v;
        return v;
    }

    std::optional<VolumeFacts> volume_by_path(const std::string& path) override {
        auto it = volumes.find(path);
        if (it == volumes.end())
            return std::nullopt;
        return it->second;
    }

    void delete_volume(const std::string& path) override {
        maybe_fail("delete_volume");
        if (volumes.erase(path) == 0)
            throw Error(ErrorKind::NotFound, "no volume " + path);
    }

    std::vector<VolumeFacts> list_volumes(const std::string&) override {
        std::vector<VolumeFacts> result;
        for (const auto& [path, v] : volumes)
            result.push_back(v);
        return result;
    }

    void attach_console(const std::string& name, int, int, char) override { running(name); }

    // Nothing happens in the fake by itself: it reports no event.
    bool wait_for_event(std::chrono::milliseconds) override { return false; }

    void set_metadata(const std::string& name, const VmMetadata& metadata) override {
        maybe_fail("set_metadata");
        Domain& d = get(name);
        DomainFacts facts = parse_domain_xml(d.xml);
        // Rewrite only the labels element: good enough for the tests' domains.
        const auto begin = d.xml.find("<vmctl:labels");
        const auto end_tag = std::string("</vmctl:labels>");
        auto end = d.xml.find(end_tag);
        // Built by pugixml, so that a label's text is escaped as libvirt's is.
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
        std::string labels = printed.str();
        if (begin != std::string::npos) {
            if (end == std::string::npos) {  // <vmctl:labels /> when empty
                end = d.xml.find("/>", begin);
                d.xml.replace(begin, end + 2 - begin, labels);
            } else {
                d.xml.replace(begin, end + end_tag.size() - begin, labels);
            }
        }
    }

    // A snapshot keeps the domain's state and XML, so a revert restores both.
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
            if (s.info.current)
                info.parent = s.info.name;
            s.info.current = false;
        }
        const DomainFacts facts = parse_domain_xml(d.xml);
        info.created = ++clock;
        info.state = d.state == DomainState::Running ? "running" : "shutoff";
        info.current = true;
        info.vcpus = facts.vcpus;
        info.memory_bytes = facts.memory_bytes;
        list.push_back({info, d.state, d.xml});
    }

    std::vector<SnapshotInfo> list_snapshots(const std::string& name) override {
        get(name);
        std::vector<SnapshotInfo> result;
        for (const auto& s : snapshots[name])
            result.push_back(s.info);
        return result;
    }

    void revert_snapshot(const std::string& name, const std::string& snapshot) override {
        maybe_fail("revert_snapshot");
        Domain& d = get(name);
        Snapshot& s = find_snapshot(name, snapshot);
        const DomainFacts now = parse_domain_xml(d.xml);
        // libvirt's trap: a running VM resized since the snapshot fails the
        // revert and is left shut off.
        if (revert_fails_after_resize && d.state == DomainState::Running && s.info.state == "running" &&
            (now.vcpus != s.info.vcpus || now.memory_bytes != s.info.memory_bytes)) {
            d.state = DomainState::ShutOff;
            throw Error(ErrorKind::OperationFailed, "internal error: unable to execute QEMU command 'loadvm'");
        }
        d.xml = s.xml;
        d.state = s.state;
        for (auto& other : snapshots[name])
            other.info.current = other.info.name == snapshot;
    }

    void delete_snapshot(const std::string& name, const std::string& snapshot, bool children) override {
        maybe_fail("delete_snapshot");
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
        for (auto& other : list)
            if (other.info.parent == snapshot)
                other.info.parent = parent;
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const Snapshot& x) { return doomed.count(x.info.name) != 0; }),
                   list.end());
    }

    VolumeFacts create_overlay_volume(const std::string& pool, const std::string& name, std::uint64_t capacity,
                                      const std::string& backing) override {
        if (volumes.count(backing) == 0)
            throw Error(ErrorKind::NotFound, "no backing volume " + backing);
        VolumeFacts v = create_volume(pool, name, capacity);
        backing_of[v.path] = backing;
        return v;
    }

    VolumeFacts copy_volume(const std::string& pool, const std::string& name, const std::string& source) override {
        maybe_fail("copy_volume");
        auto it = volumes.find(source);
        if (it == volumes.end())
            throw Error(ErrorKind::NotFound, "no volume " + source);
        VolumeFacts v = create_volume(pool, name, it->second.capacity_bytes);
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

    void set_vcpus(const std::string& name, unsigned vcpus, bool) override {
        maybe_fail("set_vcpus");
        const unsigned max_vcpus = parse_domain_xml(get(name).xml).max_vcpus;
        if (vcpus == 0 || vcpus > max_vcpus)  // libvirt's VIR_ERR_INVALID_ARG
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("requested vcpus {} is outside 1 to the maximum of {}", vcpus, max_vcpus));
        replace_in_xml(name, "<vcpu placement=\"static\" current=\"", "\">", std::to_string(vcpus));
    }

    void set_memory(const std::string& name, std::uint64_t bytes, bool) override {
        maybe_fail("set_memory");
        replace_in_xml(name, "<currentMemory unit=\"KiB\">", "<", std::to_string(bytes / 1024));
    }

    void resize_disk(const std::string&, const std::string&, const std::string& path, std::uint64_t bytes,
                     bool) override {
        volumes.at(path).capacity_bytes = bytes;
    }

    void attach_device(const std::string& name, const std::string& xml, bool) override {
        maybe_fail("attach_device");
        std::string& dom = get(name).xml;
        dom.insert(dom.find("<serial"), xml);
    }
    void detach_device(const std::string& name, const std::string& xml, bool) override {
        maybe_fail("detach_device");
        std::string& dom = get(name).xml;
        const auto at = dom.find(xml);
        if (at == std::string::npos)
            throw Error(ErrorKind::NotFound, "no such device");
        dom.erase(at, xml.size());
    }

    std::map<std::string, Limits> limits_of;
    Limits limits(const std::string& name) override {
        get(name);
        return limits_of[name];
    }
    void set_limits(const std::string& name, const Limits& l, bool) override {
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

    std::vector<DomainStats> stats;
    std::vector<DomainStats> all_domain_stats() override { return stats; }

    // Migration: the fake moves the domain to `peer` (another fake) when set.
    NodeFacts node = {"fakehost", "00000000-0000-0000-0000-000000000001", 2, 8ULL << 30, 4ULL << 30};
    std::string qemu_version = "7.2.0";  // what versions() reports as the hypervisor
    FakeHypervisor* peer = nullptr;
    std::vector<MigrationRequest> migrations;
    NodeFacts node_facts() override { return node; }

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
        domains.erase(name);
    }
    std::optional<MigrationJob> completed_job(const std::string&) override {
        return MigrationJob{900, 1000, 1000, 0, 1000, 0, 4096, 3, 120};
    }
    std::vector<SnapshotDefinition> snapshot_definitions(const std::string& name) override {
        std::vector<SnapshotDefinition> result;
        for (const auto& s : snapshots[name])
            result.push_back({s.info.name, build_snapshot_xml(s.info.name, s.info.description), s.info.current});
        return result;
    }
    void forget_snapshot(const std::string& name, const std::string& snapshot) override {
        delete_snapshot(name, snapshot, false);
    }
    void redefine_snapshot(const std::string& name, const SnapshotDefinition& snapshot) override {
        maybe_fail("redefine_snapshot");
        get(name);
        SnapshotInfo info = parse_snapshot_xml(snapshot.xml);
        info.current = snapshot.current;
        snapshots[name].push_back({info, DomainState::Running, domains[name].xml});
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

    // Writes what the tiny image's init prints, with a boot id per boot.
    void boot(const std::string& name, Domain& d, bool truncate) {
        const DomainFacts facts = parse_domain_xml(d.xml);
        if (facts.serial_log.empty())
            return;
        std::ofstream log(facts.serial_log, truncate ? std::ios::trunc : std::ios::app);
        log << "Linux booting...\n";
        if (!guest_boots)
            return;  // and never gets further
        ++d.boots;
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

    void replace_in_xml(const std::string& name, const std::string& before, const std::string& after,
                        const std::string& value) {
        std::string& xml = get(name).xml;
        const auto start = xml.find(before);
        if (start == std::string::npos)
            throw Error(ErrorKind::Internal, "fake: no " + before);
        const auto from = start + before.size();
        xml.replace(from, xml.find(after, from) - from, value);
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
