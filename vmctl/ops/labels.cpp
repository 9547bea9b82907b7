#include "vmctl/ops/labels.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::ops {

bool is_pet(const VmMetadata& metadata) { return has_pet_label(metadata.labels); }

bool set_protected(Hypervisor& hv, const std::string& name, bool protect) {
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    if (!facts.has_vmctl_metadata)
        throw Error(ErrorKind::Unsupported, fmt::format("VM '{}' was not made by vmctl, so it has no labels", name),
                    "only vmctl VMs can be protected");
    if (is_pet(facts.metadata) == protect)
        return false;
    VmMetadata metadata = facts.metadata;
    if (protect)
        metadata.labels[kKindLabel] = kPet;
    else
        metadata.labels.erase(kKindLabel);
    hv.set_metadata(name, metadata);
    return true;
}

Labels set_labels(Hypervisor& hv, const std::string& name, const Labels& set, const std::vector<std::string>& remove) {
    const DomainFacts facts = parse_domain_xml(hv.domain_xml(name));
    if (!facts.has_vmctl_metadata)
        throw Error(ErrorKind::Unsupported, fmt::format("VM '{}' was not made by vmctl, so it has no labels", name),
                    "only vmctl VMs have labels");
    for (const auto& [key, value] : set)
        if (key == kKindLabel)
            throw Error(ErrorKind::InvalidArgument, "the label 'kind' says whether a VM is a pet",
                        fmt::format("use 'vmctl protect {}' or 'vmctl unprotect {}'", name, name));
    for (const auto& key : remove)
        if (key == kKindLabel)
            throw Error(ErrorKind::InvalidArgument, "the label 'kind' says whether a VM is a pet",
                        fmt::format("use 'vmctl unprotect {}'", name));
    VmMetadata metadata = facts.metadata;
    for (const auto& key : remove)
        metadata.labels.erase(key);
    for (const auto& [key, value] : set)
        metadata.labels[key] = value;
    if (metadata.labels != facts.metadata.labels)
        hv.set_metadata(name, metadata);
    return metadata.labels;
}

bool has_label(const Labels& labels, const std::string& key, const std::string& value) {
    const auto it = labels.find(key);
    return it != labels.end() && it->second == value;
}

std::vector<DomainSummary> select_by_label(Hypervisor& hv, const std::string& key, const std::string& value) {
    std::vector<DomainSummary> selected;
    for (auto& vm : hv.list_domains())
        if (has_label(vm.metadata.labels, key, value))
            selected.push_back(std::move(vm));
    std::sort(selected.begin(), selected.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return selected;
}

}  // namespace vmctl::ops
