#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/cli/table.h"
#include "vmctl/core/accel.h"
#include "vmctl/core/chipset.h"
#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"
#include "vmctl/ops/info.h"
#include "vmctl/ops/limit.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {
namespace {

std::string accelerator_of(const std::string& domain_type) {
    if (domain_type == "kvm")
        return "KVM (hardware virtualization)";
    if (domain_type == "qemu")
        return "TCG (software emulation)";
    return domain_type;
}

// The firmware QEMU starts: "qboot", "SeaBIOS" (QEMU's default, no
// <loader>), or the ROM's path for any other.
std::string firmware_of(const std::string& loader) {
    if (loader.empty())
        return "SeaBIOS";
    if (std::string_view(loader).ends_with("/qboot.rom"))
        return "qboot";
    return loader;
}

nlohmann::json to_json(const ops::VmInfo& info) {
    nlohmann::json disks = nlohmann::json::array();
    for (const auto& disk : info.disks) {
        nlohmann::json d = {{"target", disk.facts.target},
                            {"path", disk.facts.path},
                            {"format", disk.facts.format},
                            {"device", disk.facts.device}};
        if (disk.volume) {
            d["capacity_bytes"] = disk.volume->capacity_bytes;
            d["allocation_bytes"] = disk.volume->allocation_bytes;
        }
        disks.push_back(d);
    }
    const auto& f = info.facts;
    const std::string chipset(chipset_of_machine(f.machine));
    nlohmann::json j = {{"name", f.name},
                        {"uuid", f.uuid},
                        {"state", state_name(info.state)},
                        {"accelerator", f.type == "kvm" ? "kvm" : f.type == "qemu" ? "tcg" : f.type},
                        {"chipset", chipset.empty() ? nlohmann::json(nullptr) : nlohmann::json(chipset)},
                        {"machine", f.machine},
                        {"firmware", firmware_of(f.firmware)},
                        {"vcpus", f.vcpus},
                        {"max_vcpus", f.max_vcpus},
                        {"memory_bytes", f.memory_bytes},
                        {"max_memory_bytes", f.max_memory_bytes},
                        {"disks", disks},
                        {"serial_log", f.serial_log},
                        {"network", info.address.network.empty() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(info.address.network)},
                        {"mac", info.address.mac.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.address.mac)},
                        {"ip", info.address.ip.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.address.ip)},
                        {"image", f.metadata.image},
                        {"machine_type", f.metadata.machine_type},
                        {"created", f.metadata.created_at},
                        {"labels", f.metadata.labels},
                        {"managed_by_vmctl", f.has_vmctl_metadata},
                        {"qemu_pid", nullptr},
                        {"uptime_seconds", nullptr},
                        {"qemu_rss_bytes", nullptr}};
    if (info.qemu_pid)
        j["qemu_pid"] = *info.qemu_pid;
    if (info.uptime)
        j["uptime_seconds"] = info.uptime->count();
    const auto quota = ops::quota_percent(info.limits);
    j["cpu_quota_percent"] = quota ? nlohmann::json(*quota) : nlohmann::json(nullptr);
    j["cpu_shares"] = info.limits.cpu_shares ? nlohmann::json(*info.limits.cpu_shares) : nlohmann::json(nullptr);
    j["io_weight"] = info.limits.io_weight ? nlohmann::json(*info.limits.io_weight) : nlohmann::json(nullptr);
    if (info.qemu_rss_bytes)
        j["qemu_rss_bytes"] = *info.qemu_rss_bytes;
    return j;
}

void print_text(const ops::VmInfo& info, std::ostream& out) {
    const auto& f = info.facts;
    Table table({"", ""});
    table.add_row({"name:", f.name});
    table.add_row({"uuid:", f.uuid});
    table.add_row({"state:", state_name(info.state)});
    table.add_row({"accelerator:", accelerator_of(f.type)});
    if (!f.machine.empty()) {
        const std::string_view chipset = chipset_of_machine(f.machine);
        table.add_row({"chipset:", chipset.empty() ? f.machine : fmt::format("{} ({})", chipset, f.machine)});
    }
    if (!f.kernel.empty())  // a VM that boots a disk may have UEFI firmware vmctl does not name
        table.add_row({"firmware:", firmware_of(f.firmware)});
    table.add_row({"vcpus:", f.vcpus == f.max_vcpus ? std::to_string(f.vcpus)
                                                   : fmt::format("{} (max {})", f.vcpus, f.max_vcpus)});
    table.add_row({"memory:", f.memory_bytes == f.max_memory_bytes
                                  ? format_size(f.memory_bytes)
                                  : fmt::format("{} (max {})", format_size(f.memory_bytes),
                                                format_size(f.max_memory_bytes))});
    for (const auto& disk : info.disks) {
        std::string sizes = disk.volume ? fmt::format(", {} virtual, {} used", format_size(disk.volume->capacity_bytes),
                                                      format_size(disk.volume->allocation_bytes))
                                        : std::string();
        table.add_row({fmt::format("disk {}:", disk.facts.target),
                       fmt::format("{} ({}{})", disk.facts.path, disk.facts.format, sizes)});
    }
    if (info.address.network.empty()) {
        table.add_row({"network:", "none (no network interface)"});
    } else {
        table.add_row({"network:", fmt::format("{} (virtio NIC, MAC {})", info.address.network, info.address.mac)});
        table.add_row({"address:", !info.address.ip.empty()
                                       ? fmt::format("{} (vmctl ssh {}, http://{}/)", info.address.ip, f.name,
                                                     info.address.ip)
                                   : info.state == DomainState::Running ? std::string("none yet (DHCP)")
                                                                        : std::string("- (not running)")});
    }
    table.add_row({"image:", f.has_vmctl_metadata ? f.metadata.image : "(not made by vmctl)"});
    if (!f.metadata.machine_type.empty())
        table.add_row({"machine type:", f.metadata.machine_type});
    if (!f.metadata.created_at.empty())
        table.add_row({"created:", f.metadata.created_at});
    std::vector<std::string> labels;
    for (const auto& [key, value] : f.metadata.labels)
        labels.push_back(key + "=" + value);
    table.add_row({"labels:", labels.empty() ? "-" : fmt::format("{}", fmt::join(labels, ", "))});
    if (info.qemu_pid) {
        table.add_row({"qemu pid:", fmt::format("{} (a process on this host: ps -p {} -o pid,rss,args)",
                                                *info.qemu_pid, *info.qemu_pid)});
        if (info.qemu_rss_bytes)
            table.add_row({"qemu memory:", format_size(*info.qemu_rss_bytes) + " resident on the host"});
    }
    if (info.uptime)
        table.add_row({"uptime:", format_duration(info.uptime->count())});
    const auto quota = ops::quota_percent(info.limits);
    table.add_row({"limits:", fmt::format("cpu quota {}, cpu shares {}, io weight {}",
                                          quota ? fmt::format("{}% of a CPU per vCPU", *quota) : std::string("none"),
                                          info.limits.cpu_shares ? std::to_string(*info.limits.cpu_shares) : "-",
                                          info.limits.io_weight ? std::to_string(*info.limits.io_weight) : "-")});
    if (!f.serial_log.empty())
        table.add_row({"console log:", f.serial_log});
    table.print(out);
}

}  // namespace

int info(Context& context, const Args& args) {
    CommandLine cli("info NAME [--json | --get FIELD]", "Shows one VM: state, accelerator, vCPUs, memory, disks, labels, and the "
                                          "QEMU process that runs it.");
    cli.positional("NAME", 1, "the VM");
    cli.add()("json", "print JSON for scripts")("get", po::value<std::string>(),
                                                 "print one field of the JSON, plain (e.g. qemu_pid, accelerator)");
    cli.examples("  vmctl info hello\n  vmctl info hello --json\n  vmctl info hello --get qemu_pid\n");
    if (!cli.parse(args, context.out()))
        return 0;
    const ops::VmInfo info = ops::vm_info(context.hypervisor(), context.env(), cli.required("NAME"));
    if (auto field = cli.get_optional<std::string>("get")) {
        const nlohmann::json j = to_json(info);
        if (!j.contains(*field)) {
            std::vector<std::string> fields;
            for (const auto& item : j.items())
                fields.push_back(item.key());
            std::string hint = fmt::format("the fields are: {}", fmt::join(fields, ", "));
            if (auto close = closest_match(*field, fields))
                hint = fmt::format("did you mean '{}'? ({})", *close, hint);
            throw Error(ErrorKind::InvalidArgument, fmt::format("'vmctl info' has no field '{}'", *field), hint);
        }
        const nlohmann::json& value = j[*field];
        context.out() << (value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump()) << '\n';
    } else if (cli.has("json"))
        context.out() << to_json(info).dump(2) << '\n';
    else
        print_text(info, context.out());
    return 0;
}

}  // namespace vmctl::cli::commands
