#include "vmctl/ops/usage.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/host/process.h"
#include "vmctl/host/usage_journal.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <map>
#include <set>

namespace vmctl::ops {
namespace {

long long now_epoch() { return static_cast<long long>(std::time(nullptr)); }

void append_quietly(const Environment& env, const std::vector<UsageRecord>& records) {
    try {
        host::append_usage(host::usage_journal_path(env.paths), records);
    } catch (const Error& e) {
        spdlog::warn("usage not recorded: {}", e.what());
    }
}

}  // namespace

UsageRecord observe_vm(Hypervisor& hv, const Environment& env, const std::string& name, const std::string& event) {
    UsageRecord record;
    record.at = now_epoch();
    record.vm = name;
    record.event = event;
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    record.running = hv.domain_state(name) != DomainState::ShutOff;
    record.vcpus = facts.vcpus;
    record.memory_bytes = facts.memory_bytes;
    record.labels = facts.metadata.labels;
    for (const auto& disk : facts.disks)
        if (disk.device == "disk" && !disk.path.empty())
            if (const auto volume = hv.volume_by_path(disk.path))
                record.disk_bytes += volume->capacity_bytes;
    try {
        record.snapshots = static_cast<unsigned>(hv.list_snapshots(name).size());
    } catch (const Error&) {
        // A driver without snapshots has none to count.
    }
    if (record.running)
        if (const auto pid = host::qemu_pid(env.uri, name))
            if (const auto age = host::process_age(*pid))
                record.running_since = record.at - age->count();
    return record;
}

void record_usage(Hypervisor& hv, const Environment& env, const std::string& name, const std::string& event) {
    try {
        append_quietly(env, {observe_vm(hv, env, name, event)});
    } catch (const Error& e) {
        spdlog::warn("usage of '{}' not recorded: {}", name, e.what());
    }
}

void record_deleted(const Environment& env, const std::string& name) {
    UsageRecord record;
    record.at = now_epoch();
    record.vm = name;
    record.event = "delete";
    record.deleted = true;
    append_quietly(env, {record});
}

std::vector<UsageRecord> sample_usage(Hypervisor& hv, const Environment& env) {
    const std::string path = host::usage_journal_path(env.paths);
    std::vector<UsageRecord> journal = host::read_usage(path);
    std::vector<UsageRecord> fresh;
    std::set<std::string> present;
    for (const auto& vm : hv.list_domains()) {
        try {
            fresh.push_back(observe_vm(hv, env, vm.name, "sample"));
            present.insert(vm.name);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::NotFound)  // deleted meanwhile: the next sample marks it
                throw;
        }
    }
    // VMs removed behind vmctl's back (virsh undefine): gone since last seen.
    std::map<std::string, bool> last_deleted;
    for (const auto& record : journal)
        last_deleted[record.vm] = record.deleted;
    for (const auto& [name, deleted] : last_deleted)
        if (!deleted && present.count(name) == 0) {
            UsageRecord gone;
            gone.at = now_epoch();
            gone.vm = name;
            gone.deleted = true;
            fresh.push_back(gone);
        }
    append_quietly(env, fresh);
    journal.insert(journal.end(), fresh.begin(), fresh.end());
    return journal;
}

}  // namespace vmctl::ops
