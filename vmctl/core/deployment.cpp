#include "vmctl/core/deployment.h"

#include "vmctl/core/chipset.h"
#include "vmctl/core/cloud_init.h"
#include "vmctl/core/error.h"
#include "vmctl/core/machine_type.h"
#include "vmctl/core/network.h"
#include "vmctl/core/yaml_file.h"

#include <fmt/format.h>

#include <map>

namespace vmctl {
namespace {

// Limits a file may ask for; the same as `vmctl create` accepts.
constexpr unsigned kMaxCount = 50;
constexpr unsigned kMaxCpus = 16;

void check_name(const YamlFile& file, const YAML::Node& node, const std::string& name) {
    try {
        validate_vm_name(name);
    } catch (const Error& e) {
        file.fail_with(node, e);
    }
}

Labels read_labels(const YamlFile& file, const YAML::Node& node) {
    if (!node.IsMap())
        file.fail(node, "labels must be a mapping of 'key: value' lines", "e.g. labels: {owner: alice, tier: web}");
    Labels labels;
    for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        if (key == kDeploymentLabel || key == kGroupLabel || key == "kind")
            file.fail(entry.first, fmt::format("the label '{}' is set by vmctl itself", key),
                      "remove it: 'deployment' names the file's fleet, 'group' a group's members, and "
                      "'protect: true' makes a pet (kind=pet)");
        try {
            auto [k, v] = parse_label(key + "=" + file.text(entry.second, fmt::format("label '{}'", key)));
            labels.emplace(std::move(k), std::move(v));
        } catch (const Error& e) {
            file.fail_with(entry.first, e);
        }
    }
    return labels;
}

// The properties shared by an instance and a group's members.
WantedVm read_properties(const YamlFile& file, const YAML::Node& props, bool group) {
    WantedVm vm;
    vm.vcpus = kDefaultVcpus;
    vm.memory_bytes = kDefaultMemoryBytes;
    vm.disk_bytes = kDefaultDiskBytes;
    if (!props)
        return vm;
    if (group)
        file.require_map(props, "a group's properties",
                         {"count", "machineType", "cpus", "memory", "diskSize", "image", "labels", "startupScript",
                          "cloudInit", "network", "chipset"});
    else
        file.require_map(props, "an instance's properties",
                         {"machineType", "cpus", "memory", "diskSize", "image", "labels", "startupScript", "cloudInit",
                          "protect", "network", "chipset"});
    if (const auto node = props["machineType"]) {
        vm.machine_type = file.text(node, "machineType");
        try {
            const MachineType& type = find_machine_type(vm.machine_type);
            vm.vcpus = type.vcpus;
            vm.memory_bytes = type.memory_bytes;
        } catch (const Error& e) {
            file.fail_with(node, e);
        }
    }
    if (const auto node = props["cpus"])
        vm.vcpus = file.positive(node, "cpus", kMaxCpus);
    if (const auto node = props["memory"])
        vm.memory_bytes = file.size(node, "memory");
    if (const auto node = props["diskSize"])
        vm.disk_bytes = file.size(node, "diskSize");
    if (const auto node = props["image"])
        vm.image = file.text(node, "image");
    if (const auto node = props["startupScript"])
        vm.startup_script = file.text(node, "startupScript");
    if (const auto node = props["cloudInit"]) {
        vm.cloud_init = file.text(node, "cloudInit");
        try {
            check_user_data(vm.cloud_init, "cloudInit");
        } catch (const Error& e) {
            file.fail_with(node, e);
        }
    }
    if (const auto node = props["network"]) {
        vm.network = file.text(node, "network");
        try {
            parse_network_request(vm.network);
        } catch (const Error& e) {
            file.fail_with(node, e);
        }
    }
    if (const auto node = props["chipset"]) {
        vm.chipset = file.text(node, "chipset");
        if (!chipset_named(vm.chipset))
            file.fail(node, fmt::format("unknown chipset '{}'", vm.chipset),
                      "use chipset: q35 (PCI Express, the default) or chipset: pc (the older i440FX board)");
    }
    if (const auto node = props["protect"])
        vm.protect = file.boolean(node, "protect");
    if (const auto node = props["labels"])
        vm.labels = read_labels(file, node);
    return vm;
}

}  // namespace

Deployment parse_deployment(std::string_view text, const std::string& file_name) {
    const YamlFile file(text, file_name);
    const YAML::Node& root = file.root();
    file.require_map(root, "the file", {"deployment", "description", "resources"});
    Deployment deployment;
    deployment.file = file_name;
    const YAML::Node name = root["deployment"];
    if (!name)
        file.fail(root, "the file has no 'deployment:' name",
                  "add a first line such as 'deployment: shop'; vmctl labels the VMs it makes with it");
    deployment.name = file.text(name, "deployment");
    try {
        if (deployment.name.empty())
            throw Error(ErrorKind::InvalidArgument, "the deployment name is empty", "e.g. deployment: shop");
        parse_label(std::string(kDeploymentLabel) + "=" + deployment.name);
    } catch (const Error& e) {
        file.fail_with(name, e);
    }

    const YAML::Node resources = root["resources"];
    if (!resources || !resources.IsSequence())
        file.fail(resources ? resources : root, "'resources:' must be a list of VMs and groups",
                  "write each one as '- name: web' followed by its 'type:' and 'properties:'");
    std::map<std::string, std::string> declared_at;  // VM name -> where
    for (const auto& resource : resources) {
        file.require_map(resource, "a resource", {"name", "type", "properties"});
        const YAML::Node name_node = resource["name"];
        const YAML::Node type_node = resource["type"];
        if (!name_node)
            file.fail(resource, "a resource has no 'name:'", "give each VM or group a name, e.g. name: web");
        if (!type_node)
            file.fail(resource, "a resource has no 'type:'",
                      fmt::format("use '{}' for one VM or '{}' for a group of identical VMs", kInstanceType,
                                  kGroupType));
        const std::string resource_name = file.text(name_node, "name");
        const std::string type = file.text(type_node, "type");
        if (type != kInstanceType && type != kGroupType)
            file.fail(type_node, fmt::format("unknown resource type '{}'", type),
                      fmt::format("use '{}' for one VM or '{}' for a group of identical VMs", kInstanceType,
                                  kGroupType));
        const bool group = type == kGroupType;
        check_name(file, name_node, resource_name);
        const YAML::Node props = resource["properties"];
        WantedVm base = read_properties(file, props, group);
        base.resource = resource_name;
        base.in_group = group;
        base.where = file.where(resource);
        base.labels[kDeploymentLabel] = deployment.name;

        std::vector<std::string> names{resource_name};
        if (group) {
            const YAML::Node count = props ? props["count"] : YAML::Node();
            if (!count)
                file.fail(props ? props : resource, fmt::format("group '{}' has no 'count:'", resource_name),
                          "say how many identical VMs it has, e.g. count: 3");
            const unsigned n = file.positive(count, "count", kMaxCount);
            check_name(file, name_node, fmt::format("{}-{}", resource_name, n));
            names.clear();
            for (unsigned i = 1; i <= n; ++i)
                names.push_back(fmt::format("{}-{}", resource_name, i));
            base.labels[kGroupLabel] = resource_name;
            base.labels["kind"] = "cattle";
        } else if (base.protect) {
            base.labels["kind"] = "pet";
        }
        for (const auto& vm_name : names) {
            const auto [it, fresh] = declared_at.emplace(vm_name, file.where(name_node));
            if (!fresh)
                file.fail(name_node, fmt::format("the VM name '{}' is declared twice (first at {})", vm_name, it->second),
                          "give every VM and group a different name (group 'web' makes web-1, web-2, ...)");
            WantedVm vm = base;
            vm.name = vm_name;
            deployment.vms.push_back(std::move(vm));
        }
    }
    return deployment;
}

}  // namespace vmctl
