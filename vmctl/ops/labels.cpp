#include "vmctl/ops/labels.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::ops {

bool is_pet(const VmMetadata& metadata) {
    const auto it = metadata.labels.find(kKindLabel);
    return it != metadata.labels.end() && it->second == kPet;
}

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

std::vector<DomainSummary> select_by_label(Hypervisor& hv, const std::string& key, const std::string& value) {
    std::vector<DomainSummary> selected;
    for (auto& vm : hv.list_domains()) {
        const auto it = vm.metadata.labels.find(key);
        if (it != vm.metadata.labels.end() && it->second == value)
            selected.push_back(std::move(vm));
    }
    std::sort(selected.begin(), selected.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return selected;
}

}  // namespace vmctl::ops
