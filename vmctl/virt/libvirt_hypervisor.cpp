#include "vmctl/virt/libvirt_hypervisor.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/storage_xml.h"
#include "vmctl/virt/console.h"
#include "vmctl/virt/handles.h"
#include "vmctl/virt/libvirt_error.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <pugixml.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace vmctl::virt {
namespace {

// A list of typed parameters that libvirt grows, freed however the call ends;
// every addition is checked (libvirt refuses a bad field or runs out of memory).
class TypedParams {
public:
    TypedParams() = default;
    TypedParams(const TypedParams&) = delete;
    TypedParams& operator=(const TypedParams&) = delete;
    ~TypedParams() { virTypedParamsFree(m_params, m_count); }

    void add(const char* field, const std::string& value) {
        if (virTypedParamsAddString(&m_params, &m_count, &m_capacity, field, value.c_str()) < 0)
            throw last_error(fmt::format("pass {} to libvirt", field));
    }
    void add(const char* field, unsigned long long value) {
        if (virTypedParamsAddULLong(&m_params, &m_count, &m_capacity, field, value) < 0)
            throw last_error(fmt::format("pass {} to libvirt", field));
    }
    virTypedParameterPtr get() const { return m_params; }
    unsigned size() const { return static_cast<unsigned>(m_count); }

private:
    virTypedParameterPtr m_params = nullptr;
    int m_count = 0;
    int m_capacity = 0;
};

// Whether `snap` is its VM's current snapshot; libvirt's -1 is an error, not "no".
bool is_current(virDomainSnapshotPtr snap, const std::string& vm) {
    const int current = virDomainSnapshotIsCurrent(snap, 0);
    if (current < 0)
        throw last_error(fmt::format("ask whether a snapshot of VM '{}' is the current one", vm));
    return current == 1;
}

std::string version_string(unsigned long version) {
    if (version == 0)
        return "unknown";
    return fmt::format("{}.{}.{}", version / 1000000, (version / 1000) % 1000, version % 1000);
}

DomainState to_state(int state) {
    switch (state) {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED: return DomainState::Running;
    case VIR_DOMAIN_PAUSED: return DomainState::Paused;
    case VIR_DOMAIN_SHUTDOWN: return DomainState::ShuttingDown;
    case VIR_DOMAIN_SHUTOFF: return DomainState::ShutOff;
    case VIR_DOMAIN_CRASHED: return DomainState::Crashed;
    case VIR_DOMAIN_PMSUSPENDED: return DomainState::Suspended;
    default: return DomainState::Other;
    }
}

VolumeFacts volume_facts(virStorageVolPtr volume) {
    VolumeFacts facts;
    facts.name = virStorageVolGetName(volume);
    facts.path = take_string(virStorageVolGetPath(volume));
    virStorageVolInfo info{};
    if (virStorageVolGetInfo(volume, &info) == 0) {
        facts.capacity_bytes = info.capacity;
        facts.allocation_bytes = info.allocation;
    }
    return facts;
}

// A connection for streams and events: the default event loop is registered
// first (once per process), and the caller runs it while it uses the
// connection, which answers the daemon's keepalive pings.
ConnectHandle open_event_connection(const std::string& uri) {
    static const bool registered = virEventRegisterDefaultImpl() == 0;
    (void)registered;
    ConnectHandle conn(virConnectOpen(uri.c_str()));
    if (!conn)
        throw last_error(fmt::format("connect to libvirt at {}", uri));
    return conn;
}

class LibvirtHypervisor final : public Hypervisor {
public:
    LibvirtHypervisor(ConnectHandle conn, std::string uri) : m_conn(std::move(conn)), m_uri(std::move(uri)) {}

    HypervisorVersions versions() override {
        HypervisorVersions v;
        v.uri = take_string(virConnectGetURI(m_conn.get()));
        unsigned long lib = 0;
        virGetVersion(&lib, nullptr, nullptr);
        v.libvirt_library = version_string(lib);
        unsigned long daemon = 0;
        if (virConnectGetLibVersion(m_conn.get(), &daemon) == 0)
            v.libvirt_daemon = version_string(daemon);
        unsigned long hv = 0;
        if (virConnectGetVersion(m_conn.get(), &hv) == 0)
            v.hypervisor = version_string(hv);
        v.hostname = take_string(virConnectGetHostname(m_conn.get()));
        return v;
    }

    bool domain_exists(const std::string& name) override {
        DomainHandle dom(virDomainLookupByName(m_conn.get(), name.c_str()));
        if (dom)
            return true;
        const virError* err = virGetLastError();
        if (err != nullptr && err->code == VIR_ERR_NO_DOMAIN) {
            virResetLastError();
            return false;
        }
        throw last_error(fmt::format("look up VM '{}'", name));
    }

    void define_domain(const std::string& xml) override {
        DomainHandle dom(virDomainDefineXMLFlags(m_conn.get(), xml.c_str(), VIR_DOMAIN_DEFINE_VALIDATE));
        if (!dom)
            throw last_error("define the VM");
    }

    void start_domain(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        if (virDomainCreate(dom.get()) < 0)
            throw last_error(fmt::format("start VM '{}'", name));
    }

    void shutdown_domain(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        if (virDomainShutdownFlags(dom.get(), VIR_DOMAIN_SHUTDOWN_DEFAULT) < 0)
            throw last_error(fmt::format("ask VM '{}' to shut down", name));
    }

    void reboot_domain(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        if (virDomainReboot(dom.get(), VIR_DOMAIN_REBOOT_DEFAULT) < 0)
            throw last_error(fmt::format("reboot VM '{}'", name));
    }

    void destroy_domain(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        if (virDomainDestroy(dom.get()) < 0)
            throw last_error(fmt::format("stop VM '{}'", name));
    }

    void undefine_domain(const std::string& name) override {
        // vmctl's guests boot by BIOS and keep snapshots inside their qcow2
        // disks, so only the metadata of saves and snapshots has to go too.
        const unsigned flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
        const DomainHandle dom = lookup(name);
        if (virDomainUndefineFlags(dom.get(), flags) < 0)
            throw last_error(fmt::format("remove VM '{}'", name));
    }

    DomainState domain_state(const std::string& name) override {
        int state = 0;
        const DomainHandle dom = lookup(name);
        if (virDomainGetState(dom.get(), &state, nullptr, 0) < 0)
            throw last_error(fmt::format("read the state of VM '{}'", name));
        return to_state(state);
    }

    std::string domain_xml(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        char* xml = virDomainGetXMLDesc(dom.get(), 0);
        if (xml == nullptr)
            throw last_error(fmt::format("read the XML of VM '{}'", name));
        return take_string(xml);
    }

    std::string domain_config_xml(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        char* xml = virDomainGetXMLDesc(dom.get(), VIR_DOMAIN_XML_INACTIVE);
        if (xml == nullptr)
            throw last_error(fmt::format("read the definition of VM '{}'", name));
        return take_string(xml);
    }

    std::vector<DomainSummary> list_domains() override {
        // One bulk call for the state of every domain (libvirt knows it
        // without asking QEMU), then one call per domain for its saved
        // definition: sizes, labels. The balloon and vCPU statistics would
        // make libvirt query each running QEMU in turn (4 times virsh with
        // 31 running VMs); a listing shows what the VMs were given.
        virDomainStatsRecordPtr* raw = nullptr;
        const int count = virConnectGetAllDomainStats(m_conn.get(), VIR_DOMAIN_STATS_STATE, &raw, 0);
        const StatsRecords records(raw);  // freed however this returns
        if (count < 0) {
            const virError* err = virGetLastError();
            if (err != nullptr && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_OPERATION_UNSUPPORTED))
                return list_domains_one_by_one();
            throw last_error("list VMs");
        }
        std::vector<DomainSummary> result;
        result.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            const virDomainStatsRecordPtr record = records.get()[i];
            DomainSummary row;
            row.name = virDomainGetName(record->dom);
            row.uuid = uuid_of(record->dom);
            for (int p = 0; p < record->nparams; ++p)
                if (std::string_view(record->params[p].field) == "state.state")
                    row.state = to_state(record->params[p].value.i);
            read_definition(record->dom, row);
            result.push_back(std::move(row));
        }
        return result;
    }

    std::uint64_t balloon_bytes(const std::string& name) override {
        // libvirt keeps the balloon's size from QEMU's events: no guest is asked.
        const DomainHandle dom = lookup(name);
        virDomainInfo info{};
        if (virDomainGetInfo(dom.get(), &info) < 0)
            throw last_error(fmt::format("read the memory of VM '{}'", name));
        return static_cast<std::uint64_t>(info.memory) * 1024;
    }

    void ensure_pool(const std::string& pool_name, const std::string& directory) override {
        PoolHandle pool(virStoragePoolLookupByName(m_conn.get(), pool_name.c_str()));
        if (!pool) {
            virResetLastError();
            spdlog::info("defining storage pool '{}' at {}", pool_name, directory);
            pool.reset(virStoragePoolDefineXML(m_conn.get(), build_dir_pool_xml(pool_name, directory).c_str(), 0));
            if (!pool)
                throw last_error(fmt::format("define storage pool '{}'", pool_name));
            if (virStoragePoolBuild(pool.get(), 0) < 0)
                throw last_error(fmt::format("create the directory of storage pool '{}'", pool_name));
            if (virStoragePoolSetAutostart(pool.get(), 1) < 0) {
                // The pool works now; after a reboot `vmctl` starts it again itself.
                spdlog::warn("storage pool '{}' will not start by itself at boot: {}", pool_name,
                             last_error("mark it autostart").what());
                virResetLastError();
            }
        }
        if (virStoragePoolIsActive(pool.get()) != 1) {
            if (virStoragePoolCreate(pool.get(), 0) < 0)
                throw last_error(fmt::format("start storage pool '{}'", pool_name));
        } else {
            // Another vmctl (a classmate's, under sudo) may be making a
            // volume in the pool right now: libvirt refuses a refresh until
            // it is done, which takes seconds.
            for (int attempt = 1; virStoragePoolRefresh(pool.get(), 0) < 0; ++attempt) {
                const virErrorPtr error = virGetLastError();
                const bool busy = error != nullptr && error->message != nullptr &&
                                  std::string_view(error->message).find("asynchronous jobs") != std::string_view::npos;
                if (!busy || attempt >= 240)
                    throw last_error(fmt::format("refresh storage pool '{}'", pool_name));
                virResetLastError();
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        }
    }

    VolumeFacts create_volume(const std::string& pool_name, const std::string& name,
                              std::uint64_t capacity_bytes) override {
        PoolHandle pool = lookup_pool(pool_name);
        const std::string xml = build_qcow2_volume_xml(name, capacity_bytes);
        VolumeHandle volume(virStorageVolCreateXML(pool.get(), xml.c_str(), 0));
        if (!volume)
            throw last_error(fmt::format("create volume '{}'", name));
        return volume_facts(volume.get());
    }

    std::optional<VolumeFacts> volume_by_path(const std::string& path) override {
        VolumeHandle volume(virStorageVolLookupByPath(m_conn.get(), path.c_str()));
        if (!volume) {
            virResetLastError();
            return std::nullopt;
        }
        return volume_facts(volume.get());
    }

    void delete_volume(const std::string& path) override {
        VolumeHandle volume(virStorageVolLookupByPath(m_conn.get(), path.c_str()));
        if (!volume)
            throw last_error(fmt::format("find volume {}", path));
        if (virStorageVolDelete(volume.get(), 0) < 0)
            throw last_error(fmt::format("delete volume {}", path));
    }

    std::vector<VolumeFacts> list_volumes(const std::string& pool_name) override {
        PoolHandle pool(virStoragePoolLookupByName(m_conn.get(), pool_name.c_str()));
        if (!pool) {
            virResetLastError();
            return {};
        }
        virStorageVolPtr* volumes = nullptr;
        const int count = virStoragePoolListAllVolumes(pool.get(), &volumes, 0);
        if (count < 0)
            throw last_error(fmt::format("list the volumes of pool '{}'", pool_name));
        std::vector<VolumeFacts> result;
        for (int i = 0; i < count; ++i) {
            VolumeHandle volume(volumes[i]);
            result.push_back(volume_facts(volume.get()));
        }
        std::free(volumes);
        return result;
    }

    void set_metadata(const std::string& name, const VmMetadata& metadata) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = virDomainIsActive(dom.get()) == 1
                                   ? VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG
                                   : VIR_DOMAIN_AFFECT_CONFIG;
        if (virDomainSetMetadata(dom.get(), VIR_DOMAIN_METADATA_ELEMENT, build_metadata_xml(metadata).c_str(),
                                 kMetadataPrefix, kMetadataNamespace, flags) < 0)
            throw last_error(fmt::format("update the labels of VM '{}'", name));
    }

    void create_snapshot(const std::string& name, const std::string& snapshot_xml) override {
        const DomainHandle dom = lookup(name);
        SnapshotHandle snap(virDomainSnapshotCreateXML(dom.get(), snapshot_xml.c_str(), VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC));
        if (!snap)
            throw last_error(fmt::format("snapshot VM '{}'", name));
    }

    std::vector<SnapshotInfo> list_snapshots(const std::string& name) override {
        std::vector<SnapshotInfo> result;
        for (const auto& snap : all_snapshots(name, 0)) {
            char* xml = virDomainSnapshotGetXMLDesc(snap.get(), 0);
            if (xml == nullptr)
                throw last_error(fmt::format("read a snapshot of VM '{}'", name));
            SnapshotInfo info = parse_snapshot_xml(take_string(xml));
            info.current = is_current(snap.get(), name);
            result.push_back(std::move(info));
        }
        return result;
    }

    void revert_snapshot(const std::string& name, const std::string& snapshot) override {
        const SnapshotHandle snap = lookup_snapshot(name, snapshot);
        if (virDomainRevertToSnapshot(snap.get(), 0) < 0)
            throw last_error(fmt::format("revert VM '{}' to snapshot '{}'", name, snapshot));
    }

    void delete_snapshot(const std::string& name, const std::string& snapshot, bool children) override {
        const SnapshotHandle snap = lookup_snapshot(name, snapshot);
        if (virDomainSnapshotDelete(snap.get(), children ? VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN : 0) < 0)
            throw last_error(fmt::format("delete snapshot '{}' of VM '{}'", snapshot, name));
    }

    VolumeFacts create_overlay_volume(const std::string& pool_name, const std::string& name,
                                      std::uint64_t capacity_bytes, const std::string& backing) override {
        PoolHandle pool = lookup_pool(pool_name);
        const std::string xml = build_overlay_volume_xml(name, capacity_bytes, backing);
        VolumeHandle volume(virStorageVolCreateXML(pool.get(), xml.c_str(), 0));
        if (!volume)
            throw last_error(fmt::format("create the linked volume '{}'", name));
        return volume_facts(volume.get());
    }

    VolumeFacts copy_volume(const std::string& pool_name, const std::string& name, const std::string& source) override {
        PoolHandle pool = lookup_pool(pool_name);
        VolumeHandle from(virStorageVolLookupByPath(m_conn.get(), source.c_str()));
        if (!from)
            throw last_error(fmt::format("find volume {}", source));
        const std::string xml = build_qcow2_volume_xml(name, volume_facts(from.get()).capacity_bytes);
        VolumeHandle volume(virStorageVolCreateXMLFrom(pool.get(), xml.c_str(), from.get(), 0));
        if (!volume)
            throw last_error(fmt::format("copy volume {} to '{}'", source, name));
        return volume_facts(volume.get());
    }

    std::string agent_command(const std::string& name, const std::string& json, int timeout_seconds) override {
        const DomainHandle dom = lookup(name);
        char* answer = virDomainQemuAgentCommand(dom.get(), json.c_str(), timeout_seconds, 0);
        if (answer == nullptr) {
            const Error cause = last_error(fmt::format("talk to the guest agent of VM '{}'", name));
            // An agent that is not connected yet or that does not answer: wait and retry.
            if (cause.libvirt_code() == VIR_ERR_AGENT_UNRESPONSIVE || cause.libvirt_code() == VIR_ERR_AGENT_UNSYNCED ||
                cause.libvirt_code() == VIR_ERR_OPERATION_TIMEOUT)
                throw Error(ErrorKind::Timeout, cause.what(), {}, cause.libvirt_code());
            throw cause;
        }
        return take_string(answer);
    }

    void set_vcpus(const std::string& name, unsigned vcpus, bool live) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? VIR_DOMAIN_AFFECT_LIVE : 0);
        if (virDomainSetVcpusFlags(dom.get(), vcpus, flags) < 0)
            throw last_error(fmt::format("set the vCPUs of VM '{}' to {}", name, vcpus));
    }

    void set_memory(const std::string& name, std::uint64_t bytes, bool live) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? VIR_DOMAIN_AFFECT_LIVE : 0);
        if (virDomainSetMemoryFlags(dom.get(), bytes / 1024, flags) < 0)
            throw last_error(fmt::format("set the memory of VM '{}'", name));
    }

    void resize_disk(const std::string& name, const std::string& target, const std::string& path,
                     std::uint64_t bytes, bool live) override {
        const DomainHandle dom = lookup(name);
        if (live) {
            if (virDomainBlockResize(dom.get(), target.c_str(), bytes, VIR_DOMAIN_BLOCK_RESIZE_BYTES) < 0)
                throw last_error(fmt::format("grow disk {} of VM '{}'", target, name));
            return;
        }
        VolumeHandle volume(virStorageVolLookupByPath(m_conn.get(), path.c_str()));
        if (!volume)
            throw last_error(fmt::format("find the volume of disk {} of VM '{}'", target, name));
        if (virStorageVolResize(volume.get(), bytes, 0) < 0)
            throw last_error(fmt::format("grow disk {} of VM '{}'", target, name));
    }

    void attach_device(const std::string& name, const std::string& xml, bool live) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? VIR_DOMAIN_AFFECT_LIVE : 0);
        if (virDomainAttachDeviceFlags(dom.get(), xml.c_str(), flags) < 0)
            throw last_error(fmt::format("attach a device to VM '{}'", name));
    }

    void detach_device(const std::string& name, const std::string& xml, bool live) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? VIR_DOMAIN_AFFECT_LIVE : 0);
        if (virDomainDetachDeviceFlags(dom.get(), xml.c_str(), flags) < 0)
            throw last_error(fmt::format("detach a device from VM '{}'", name));
    }

    Limits limits(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        Limits result;
        // The scheduler type call tells how many parameters there are.
        int count = 0;
        std::free(virDomainGetSchedulerType(dom.get(), &count));
        if (count > 0) {
            std::vector<virTypedParameter> buffer(static_cast<std::size_t>(count));
            if (virDomainGetSchedulerParametersFlags(dom.get(), buffer.data(), &count, VIR_DOMAIN_AFFECT_CURRENT) < 0)
                throw last_error(fmt::format("read the CPU limits of VM '{}'", name));
            for (int i = 0; i < count; ++i) {
                const std::string_view field(buffer[i].field);
                if (field == VIR_DOMAIN_SCHEDULER_VCPU_QUOTA)
                    result.vcpu_quota_us = buffer[i].value.l;
                else if (field == VIR_DOMAIN_SCHEDULER_VCPU_PERIOD)
                    result.vcpu_period_us = buffer[i].value.ul;
                else if (field == VIR_DOMAIN_SCHEDULER_CPU_SHARES)
                    result.cpu_shares = buffer[i].value.ul;
            }
        }
        virResetLastError();
        int blkio_count = 0;
        if (virDomainGetBlkioParameters(dom.get(), nullptr, &blkio_count, VIR_DOMAIN_AFFECT_CURRENT) == 0 &&
            blkio_count > 0) {
            std::vector<virTypedParameter> buffer(static_cast<std::size_t>(blkio_count));
            if (virDomainGetBlkioParameters(dom.get(), buffer.data(), &blkio_count, VIR_DOMAIN_AFFECT_CURRENT) == 0) {
                for (int i = 0; i < blkio_count; ++i)
                    if (std::string_view(buffer[i].field) == VIR_DOMAIN_BLKIO_WEIGHT)
                        result.io_weight = buffer[i].value.ui;
                virTypedParamsClear(buffer.data(), blkio_count);
            }
        }
        virResetLastError();
        return result;
    }

    void set_limits(const std::string& name, const Limits& limits, bool live) override {
        const DomainHandle dom = lookup(name);
        const unsigned flags = VIR_DOMAIN_AFFECT_CONFIG | (live ? VIR_DOMAIN_AFFECT_LIVE : 0);
        std::vector<virTypedParameter> sched;
        const auto add = [&sched](const char* field, int type) -> virTypedParameter& {
            virTypedParameter& p = sched.emplace_back();
            std::snprintf(p.field, VIR_TYPED_PARAM_FIELD_LENGTH, "%s", field);
            p.type = type;
            return p;
        };
        if (limits.vcpu_period_us)
            add(VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, VIR_TYPED_PARAM_ULLONG).value.ul = *limits.vcpu_period_us;
        if (limits.vcpu_quota_us)
            add(VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, VIR_TYPED_PARAM_LLONG).value.l = *limits.vcpu_quota_us;
        if (limits.cpu_shares)
            add(VIR_DOMAIN_SCHEDULER_CPU_SHARES, VIR_TYPED_PARAM_ULLONG).value.ul = *limits.cpu_shares;
        if (!sched.empty() &&
            virDomainSetSchedulerParametersFlags(dom.get(), sched.data(), static_cast<int>(sched.size()), flags) < 0)
            throw last_error(fmt::format("set the CPU limits of VM '{}'", name));
        if (limits.io_weight) {
            virTypedParameter weight{};
            std::snprintf(weight.field, VIR_TYPED_PARAM_FIELD_LENGTH, "%s", VIR_DOMAIN_BLKIO_WEIGHT);
            weight.type = VIR_TYPED_PARAM_UINT;
            weight.value.ui = *limits.io_weight;
            if (virDomainSetBlkioParameters(dom.get(), &weight, 1, flags) < 0)
                throw last_error(fmt::format("set the I/O weight of VM '{}'", name));
        }
    }

    std::vector<DomainStats> all_domain_stats() override {
        virDomainStatsRecordPtr* raw = nullptr;
        const unsigned stats = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
                               VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BLOCK;
        // NOWAIT: a VM busy with a job (one arriving by migration, whose
        // destination holds it for the whole copy) gives what libvirt knows
        // without waiting for it, instead of holding up every VM's figures.
        const int count =
            virConnectGetAllDomainStats(m_conn.get(), stats, &raw, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
        const StatsRecords owned(raw);
        virDomainStatsRecordPtr* records = raw;
        if (count < 0)
            throw last_error("read the statistics of the VMs");
        std::vector<DomainStats> result;
        for (int i = 0; i < count; ++i) {
            DomainStats row;
            row.name = virDomainGetName(records[i]->dom);
            std::optional<std::uint64_t> available, unused;
            for (int p = 0; p < records[i]->nparams; ++p) {
                const virTypedParameter& param = records[i]->params[p];
                const std::string_view field(param.field);
                if (field == "state.state")
                    row.state = to_state(param.value.i);
                else if (field == "vcpu.current")
                    row.vcpus = param.value.ui;
                else if (field == "cpu.time")
                    row.cpu_time_ns = param.value.ul;
                else if (field == "balloon.current")
                    row.balloon_bytes = param.value.ul * 1024;
                else if (field == "balloon.maximum")
                    row.max_memory_bytes = param.value.ul * 1024;
                else if (field == "balloon.rss")
                    row.rss_bytes = param.value.ul * 1024;
                else if (field == "balloon.available")
                    available = param.value.ul * 1024;
                else if (field == "balloon.unused")
                    unused = param.value.ul * 1024;
                else if (field.size() > 9 && field.substr(field.size() - 9) == ".rd.bytes")
                    row.disk_read_bytes += param.value.ul;
                else if (field.size() > 9 && field.substr(field.size() - 9) == ".wr.bytes")
                    row.disk_write_bytes += param.value.ul;
            }
            if (available && unused && *available >= *unused)
                row.guest_used_bytes = *available - *unused;
            result.push_back(std::move(row));
        }
        return result;
    }

    NodeFacts node_facts() override {
        NodeFacts facts;
        facts.hostname = take_string(virConnectGetHostname(m_conn.get()));
        virNodeInfo info{};
        if (virNodeGetInfo(m_conn.get(), &info) < 0)
            throw last_error("read the host's facts");
        facts.cpus = info.cpus;
        facts.memory_bytes = static_cast<std::uint64_t>(info.memory) * 1024;
        facts.free_memory_bytes = virNodeGetFreeMemory(m_conn.get());
        const std::string caps = take_string(virConnectGetCapabilities(m_conn.get()));
        pugi::xml_document doc;
        if (doc.load_string(caps.c_str()))
            facts.host_uuid = doc.child("capabilities").child("host").child("uuid").text().as_string();
        virResetLastError();  // a driver without capabilities leaves the UUID empty
        return facts;
    }

    std::vector<NetworkFacts> list_networks() override {
        virNetworkPtr* networks = nullptr;
        const int count = virConnectListAllNetworks(m_conn.get(), &networks, 0);
        if (count < 0) {
            const virError* err = virGetLastError();
            // A driver without networks (test:///, some remote setups).
            if (err != nullptr && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_OPERATION_UNSUPPORTED)) {
                virResetLastError();
                return {};
            }
            throw last_error("list networks");
        }
        std::vector<NetworkHandle> owned;
        owned.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i)
            owned.emplace_back(networks[i]);
        std::free(networks);
        std::vector<NetworkFacts> result;
        for (const NetworkHandle& network : owned) {
            NetworkFacts facts;
            facts.name = virNetworkGetName(network.get());
            facts.active = virNetworkIsActive(network.get()) == 1;
            int autostart = 0;
            facts.autostart = virNetworkGetAutostart(network.get(), &autostart) == 0 && autostart != 0;
            facts.bridge = take_string(virNetworkGetBridgeName(network.get()));
            virResetLastError();
            result.push_back(std::move(facts));
        }
        return result;
    }

    std::vector<DhcpLease> dhcp_leases(const std::string& network_name) override {
        NetworkHandle network(virNetworkLookupByName(m_conn.get(), network_name.c_str()));
        if (!network)
            throw last_error(fmt::format("find network '{}'", network_name));
        virNetworkDHCPLeasePtr* leases = nullptr;
        const int count = virNetworkGetDHCPLeases(network.get(), nullptr, &leases, 0);
        if (count < 0)
            throw last_error(fmt::format("read the DHCP leases of network '{}'", network_name));
        std::vector<DhcpLease> result;
        for (int i = 0; i < count; ++i) {
            const virNetworkDHCPLeasePtr lease = leases[i];
            if (lease->type == VIR_IP_ADDR_TYPE_IPV4 && lease->mac != nullptr && lease->ipaddr != nullptr)
                result.push_back({lease->mac, lease->ipaddr, lease->prefix,
                                  lease->hostname != nullptr ? lease->hostname : ""});
            virNetworkDHCPLeaseFree(lease);
        }
        std::free(leases);
        return result;
    }

    void migrate(const std::string& name, const MigrationRequest& request,
                 const std::function<bool(const MigrationJob&)>& on_progress) override {
        const DomainHandle dom = lookup(name);
        unsigned long flags = VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
        if (request.offline)
            flags |= VIR_MIGRATE_OFFLINE;
        else if (request.live)
            flags |= VIR_MIGRATE_LIVE;
        if (request.copy_storage)
            flags |= VIR_MIGRATE_NON_SHARED_DISK;
        if (request.unsafe)
            flags |= VIR_MIGRATE_UNSAFE;
        if (request.auto_converge)
            flags |= VIR_MIGRATE_AUTO_CONVERGE;
        if (request.postcopy)
            flags |= VIR_MIGRATE_POSTCOPY;

        TypedParams params;
        if (!request.migrate_uri.empty())
            params.add(VIR_MIGRATE_PARAM_URI, request.migrate_uri);
        if (!request.listen_address.empty())
            params.add(VIR_MIGRATE_PARAM_LISTEN_ADDRESS, request.listen_address);
        if (request.bandwidth_mib_s)
            params.add(VIR_MIGRATE_PARAM_BANDWIDTH, *request.bandwidth_mib_s);
        if (!request.offline) {
            // The destination QEMU would truncate the console log the source
            // wrote; it appends instead. The saved definition goes across
            // unchanged, so a later cold start still begins a fresh log.
            char* live = virDomainGetXMLDesc(dom.get(), VIR_DOMAIN_XML_MIGRATABLE | VIR_DOMAIN_XML_SECURE);
            char* saved = virDomainGetXMLDesc(
                dom.get(), VIR_DOMAIN_XML_MIGRATABLE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
            if (live == nullptr || saved == nullptr) {
                std::free(live);
                std::free(saved);
                throw last_error(fmt::format("read the definition of VM '{}' to migrate it", name));
            }
            params.add(VIR_MIGRATE_PARAM_DEST_XML, with_console_log_appended(take_string(live)));
            params.add(VIR_MIGRATE_PARAM_PERSIST_XML, take_string(saved));
        }

        // The migration call blocks; it runs on a worker while this thread
        // watches the job and can abort it.
        std::atomic<bool> done{false};
        int result = 0;
        std::optional<Error> failure;
        std::thread worker([&] {
            result = virDomainMigrateToURI3(dom.get(), request.dest_uri.c_str(), params.get(), params.size(), flags);
            if (result < 0) {
                failure = last_error(fmt::format("migrate VM '{}'", name));
                // QEMU's own words when it cannot open userfaultfd as its user.
                if (request.postcopy &&
                    std::string_view(failure->what()).find("Postcopy is not supported") != std::string_view::npos)
                    failure = Error(ErrorKind::Unsupported, failure->what(),
                                    "post-copy needs userfaultfd for QEMU's user, which this kernel allows only "
                                    "with sysctl vm.unprivileged_userfaultfd=1 (for every user: not on a shared "
                                    "machine); the VM stays where it was: move it without --postcopy",
                                    failure->libvirt_code());
            }
            done = true;
        });
        // However the watch below ends (a progress callback may throw), the
        // worker is joined, never left running: a job still going is aborted
        // first, so the join does not wait for a whole migration.
        struct JoinWorker {
            std::thread& worker;
            const std::atomic<bool>& done;
            virDomainPtr dom;
            ~JoinWorker() {
                if (!done && virDomainAbortJob(dom) < 0)
                    virResetLastError();
                worker.join();
            }
        };
        bool aborted = false;
        {
            const JoinWorker join_worker{worker, done, dom.get()};
            bool downtime_set = false;
            bool postcopy_started = false;
            auto next_abort = std::chrono::steady_clock::time_point{};
            // Watch in short steps so the end of the job is noticed at once, and
            // read its statistics four times a second. Cancelling must not depend
            // on those statistics: when libvirt cannot report them (between
            // phases, or while it is busy), the callback still gets an empty job
            // and can ask to stop, and an abort libvirt refused is asked again.
            auto next_poll = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
            while (!done) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                const auto now = std::chrono::steady_clock::now();
                if (done || now < next_poll)
                    continue;
                next_poll = now + std::chrono::milliseconds(250);
                const auto job = job_stats(dom.get(), 0);
                if (job && request.max_downtime_ms && !downtime_set)
                    downtime_set = virDomainMigrateSetMaxDowntime(dom.get(), *request.max_downtime_ms, 0) == 0;
                if (job && request.postcopy && !postcopy_started && job->iteration >= 2)
                    postcopy_started = virDomainMigrateStartPostCopy(dom.get(), 0) == 0;
                if (!aborted && !on_progress(job.value_or(MigrationJob{}))) {
                    aborted = true;
                    if (postcopy_started)  // the VM runs on the destination now: there is no way back
                        spdlog::warn("post-copy has started: VM '{}' already runs on the destination and cannot go "
                                     "back; the migration finishes fetching its memory",
                                     name);
                }
                if (aborted && !postcopy_started && !done && now >= next_abort) {
                    if (virDomainAbortJob(dom.get()) < 0) {
                        spdlog::debug("libvirt did not abort the migration yet: {}", last_error("abort").what());
                        virResetLastError();
                        next_abort = now + std::chrono::seconds(1);
                    } else {
                        next_abort = std::chrono::steady_clock::time_point::max();
                    }
                }
            }
        }  // the worker has finished and is joined
        if (failure) {
            if (aborted)
                throw Error(ErrorKind::OperationFailed, fmt::format("migration of VM '{}' was cancelled", name),
                            "the VM is still running where it was", failure->libvirt_code());
            throw *failure;
        }
    }

    std::optional<MigrationJob> completed_job(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        return job_stats(dom.get(), VIR_DOMAIN_JOB_STATS_COMPLETED);
    }

    std::optional<MigrationJob> active_job(const std::string& name) override {
        const DomainHandle dom = lookup(name);
        return job_stats(dom.get(), 0);
    }

    std::vector<SnapshotDefinition> snapshot_definitions(const std::string& name) override {
        std::vector<SnapshotDefinition> result;
        for (const auto& snap : all_snapshots(name, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)) {
            char* xml = virDomainSnapshotGetXMLDesc(snap.get(), VIR_DOMAIN_SNAPSHOT_XML_SECURE);
            if (xml == nullptr)
                throw last_error(fmt::format("read a snapshot of VM '{}'", name));
            result.push_back({virDomainSnapshotGetName(snap.get()), take_string(xml), is_current(snap.get(), name)});
        }
        return result;
    }

    void forget_snapshot(const std::string& name, const std::string& snapshot) override {
        const SnapshotHandle snap = lookup_snapshot(name, snapshot);
        if (virDomainSnapshotDelete(snap.get(), VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0)
            throw last_error(fmt::format("set aside the metadata of snapshot '{}'", snapshot));
    }

    void redefine_snapshot(const std::string& name, const SnapshotDefinition& snapshot) override {
        const DomainHandle dom = lookup(name);
        unsigned flags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
        if (snapshot.current)
            flags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
        SnapshotHandle snap(virDomainSnapshotCreateXML(dom.get(), snapshot.xml.c_str(), flags));
        if (!snap)
            throw last_error(fmt::format("restore the metadata of snapshot '{}' of VM '{}'", snapshot.name, name));
    }

    void attach_console(const std::string& name, int in_fd, int out_fd, char escape) override {
        lookup(name);  // a clear "no such VM" first
        const ConnectHandle conn = open_event_connection(m_uri);
        const DomainHandle dom(virDomainLookupByName(conn.get(), name.c_str()));
        if (!dom)
            throw last_error(fmt::format("look up VM '{}'", name));
        run_console(conn.get(), dom.get(), name, in_fd, out_fd, escape);
    }

    bool wait_for_event(std::chrono::milliseconds timeout) override {
        if (!m_event_conn) {
            m_event_conn = open_event_connection(m_uri);
            register_event_callbacks();
        }
        m_events->seen = false;
        m_event_timer_fired = false;
        const int timer = virEventAddTimeout(
            static_cast<int>(std::max<long long>(timeout.count(), 1)),
            [](int, void* opaque) { static_cast<LibvirtHypervisor*>(opaque)->m_event_timer_fired = true; }, this,
            nullptr);
        if (timer < 0)
            throw last_error("wait for libvirt events");
        while (!m_events->seen && !m_event_timer_fired)
            if (virEventRunDefaultImpl() < 0)
                break;
        virEventRemoveTimeout(timer);
        return m_events->seen;
    }

    bool subscribe_events(std::function<void()> on_change) override {
        m_event_conn = open_event_connection(m_uri);  // registers the default event loop first
        start_event_thread();
        {
            const std::lock_guard lock(m_events->mutex);
            m_events->on_event = std::move(on_change);
        }
        register_event_callbacks();
        return true;
    }

    ~LibvirtHypervisor() override {
        for (int id : m_event_callbacks)
            virConnectDomainEventDeregisterAny(m_event_conn.get(), id);
        m_events->drop();
    }

private:
    // What the event callbacks touch. Each callback holds a share of it, which
    // libvirt lets go (its free callback) only once the callback is
    // deregistered and no longer running: an event being delivered on the
    // event thread while this connection is destroyed finds it still there.
    // subscribe_events' callback is dropped when the connection goes (under
    // the lock, so after any call of it in flight): whoever gave it may go too.
    struct EventSink {
        std::atomic<bool> seen = false;  // set on the event thread when subscribe_events runs one
        std::mutex mutex;
        std::function<void()> on_event;  // subscribe_events' callback, called on the event thread
        void note() {
            seen = true;
            const std::lock_guard lock(mutex);
            if (on_event)
                on_event();
        }
        void drop() {
            const std::lock_guard lock(mutex);
            on_event = nullptr;
        }
    };
    using EventShare = std::shared_ptr<EventSink>;
    static void note_event(void* opaque) { (*static_cast<EventShare*>(opaque))->note(); }

    // subscribe_events' callers get their events from one thread per process
    // that runs libvirt's default event loop for every connection.
    static void start_event_thread() {
        static std::once_flag started;
        std::call_once(started, [] {
            std::thread([] {
                for (;;)
                    if (virEventRunDefaultImpl() < 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }).detach();
        });
    }

    // Each event has its own callback signature; all of them only note that
    // something happened, and the caller looks again.
    void register_event_callbacks() {
        const auto add = [this](int id, virConnectDomainEventGenericCallback callback) {
            auto* share = new EventShare(m_events);
            const int handle = virConnectDomainEventRegisterAny(m_event_conn.get(), nullptr, id, callback, share,
                                                                [](void* p) { delete static_cast<EventShare*>(p); });
            if (handle < 0) {
                delete share;
                throw last_error("subscribe to libvirt's domain events");
            }
            m_event_callbacks.push_back(handle);
        };
        add(VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr, int, int, void* o) { note_event(o); }));
        add(VIR_DOMAIN_EVENT_ID_REBOOT,
            VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr, void* o) { note_event(o); }));
        add(VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr,
                                                                               unsigned long long, void* o) {
                note_event(o);
            }));
        add(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr, int,
                                                                                const char*, void* o) {
                note_event(o);
            }));
        add(VIR_DOMAIN_EVENT_ID_TUNABLE, VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr,
                                                                        virTypedParameterPtr, int, void* o) {
                note_event(o);
            }));
        add(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr, const char*,
                                                                             void* o) { note_event(o); }));
        add(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK(+[](virConnectPtr, virDomainPtr,
                                                                               const char*, void* o) {
                note_event(o);
            }));
    }

    DomainHandle lookup(const std::string& name) {
        DomainHandle dom(virDomainLookupByName(m_conn.get(), name.c_str()));
        if (!dom) {
            const virError* err = virGetLastError();
            if (err != nullptr && err->code == VIR_ERR_NO_DOMAIN)
                throw Error(ErrorKind::NotFound, fmt::format("there is no VM named '{}'", name),
                            "see the VMs with 'vmctl list'", VIR_ERR_NO_DOMAIN);
            throw last_error(fmt::format("look up VM '{}'", name));
        }
        return dom;
    }

    static std::optional<MigrationJob> job_stats(virDomainPtr dom, unsigned flags) {
        int type = 0;
        virTypedParameterPtr params = nullptr;
        int nparams = 0;
        if (virDomainGetJobStats(dom, &type, &params, &nparams, flags) < 0) {
            virResetLastError();
            return std::nullopt;
        }
        if (type == VIR_DOMAIN_JOB_NONE) {
            virTypedParamsFree(params, nparams);
            return std::nullopt;
        }
        MigrationJob job;
        const auto get = [&](const char* field, std::uint64_t& out) {
            unsigned long long value = 0;
            if (virTypedParamsGetULLong(params, nparams, field, &value) == 1)
                out = value;
        };
        get(VIR_DOMAIN_JOB_TIME_ELAPSED, job.elapsed_ms);
        get(VIR_DOMAIN_JOB_DATA_TOTAL, job.data_total);
        get(VIR_DOMAIN_JOB_DATA_PROCESSED, job.data_processed);
        get(VIR_DOMAIN_JOB_DATA_REMAINING, job.data_remaining);
        get(VIR_DOMAIN_JOB_MEMORY_BPS, job.memory_bps);
        get(VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, job.dirty_pages_per_s);
        get(VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, job.page_size);
        get(VIR_DOMAIN_JOB_MEMORY_ITERATION, job.iteration);
        std::uint64_t downtime = 0;
        unsigned long long value = 0;
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DOWNTIME, &value) == 1) {
            downtime = value;
            job.downtime_ms = downtime;
        }
        virTypedParamsFree(params, nparams);
        return job;
    }

    std::vector<SnapshotHandle> all_snapshots(const std::string& name, unsigned flags) {
        const DomainHandle dom = lookup(name);
        virDomainSnapshotPtr* snaps = nullptr;
        const int count = virDomainListAllSnapshots(dom.get(), &snaps, flags);
        if (count < 0)
            throw last_error(fmt::format("list the snapshots of VM '{}'", name));
        std::vector<SnapshotHandle> owned;
        for (int i = 0; i < count; ++i)
            owned.emplace_back(snaps[i]);
        std::free(snaps);
        return owned;
    }

    SnapshotHandle lookup_snapshot(const std::string& name, const std::string& snapshot) {
        const DomainHandle dom = lookup(name);
        SnapshotHandle snap(virDomainSnapshotLookupByName(dom.get(), snapshot.c_str(), 0));
        if (!snap) {
            const virError* err = virGetLastError();
            if (err != nullptr && err->code == VIR_ERR_NO_DOMAIN_SNAPSHOT)
                throw Error(ErrorKind::NotFound, fmt::format("VM '{}' has no snapshot named '{}'", name, snapshot),
                            fmt::format("see its snapshots with 'vmctl snapshot list {}'", name),
                            VIR_ERR_NO_DOMAIN_SNAPSHOT);
            throw last_error(fmt::format("find snapshot '{}' of VM '{}'", snapshot, name));
        }
        return snap;
    }

    PoolHandle lookup_pool(const std::string& pool_name) {
        PoolHandle pool(virStoragePoolLookupByName(m_conn.get(), pool_name.c_str()));
        if (!pool)
            throw last_error(fmt::format("find storage pool '{}'", pool_name));
        return pool;
    }

    static std::string uuid_of(virDomainPtr dom) {
        char uuid[VIR_UUID_STRING_BUFLEN] = {};
        virDomainGetUUIDString(dom, uuid);
        return uuid;
    }

    // vmctl's metadata, vCPUs and the memory the VM was given, from its
    // saved definition: one call, like reading the metadata alone. A domain
    // gone since the listing, or one whose definition cannot be read, keeps
    // what virDomainGetInfo says.
    static void read_definition(virDomainPtr dom, DomainSummary& row) {
        char* xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        if (xml != nullptr) {
            const DomainFacts facts = parse_domain_xml(take_string(xml));
            row.has_vmctl_metadata = facts.has_vmctl_metadata;
            row.metadata = facts.metadata;
            row.vcpus = facts.vcpus;
            row.memory_bytes = facts.memory_bytes;
            if (row.vcpus > 0 && row.memory_bytes > 0)
                return;
        }
        virResetLastError();
        virDomainInfo info{};
        if (virDomainGetInfo(dom, &info) < 0) {
            virResetLastError();
            return;
        }
        row.vcpus = info.nrVirtCpu;
        row.memory_bytes = static_cast<std::uint64_t>(info.memory) * 1024;
    }

    std::vector<DomainSummary> list_domains_one_by_one() {
        virResetLastError();
        virDomainPtr* domains = nullptr;
        const int count = virConnectListAllDomains(m_conn.get(), &domains, 0);
        if (count < 0)
            throw last_error("list VMs");
        std::vector<DomainSummary> result;
        for (int i = 0; i < count; ++i) {
            DomainHandle dom(domains[i]);
            DomainSummary row;
            row.name = virDomainGetName(dom.get());
            row.uuid = uuid_of(dom.get());
            int state = 0;
            if (virDomainGetState(dom.get(), &state, nullptr, 0) == 0)
                row.state = to_state(state);
            read_definition(dom.get(), row);
            result.push_back(std::move(row));
        }
        std::free(domains);
        return result;
    }

    ConnectHandle m_conn;
    std::string m_uri;
    ConnectHandle m_event_conn;  // opened by the first wait_for_event
    std::vector<int> m_event_callbacks;
    EventShare m_events = std::make_shared<EventSink>();
    bool m_event_timer_fired = false;
};

}  // namespace

std::unique_ptr<Hypervisor> connect(const std::string& uri) {
    silence_default_error_printer();
    // No event loop here: a connection opened while one is registered gets
    // keepalive, and the daemon drops it after ~30 s idle unless someone runs
    // the loop. The console and event waits open their own connection.
    ConnectHandle conn(virConnectOpen(uri.c_str()));
    if (!conn) {
        const Error cause = last_error(fmt::format("connect to libvirt at {}", uri));
        throw Error(ErrorKind::Unreachable, cause.what(), {}, cause.libvirt_code());
    }
    return std::make_unique<LibvirtHypervisor>(std::move(conn), uri);
}

bool answers(const std::string& uri) {
    silence_default_error_printer();
    ConnectHandle conn(virConnectOpen(uri.c_str()));
    virResetLastError();
    return static_cast<bool>(conn);
}

}  // namespace vmctl::virt
