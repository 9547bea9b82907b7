#pragma once

#include "vmctl/core/hypervisor.h"

#include <string>
#include <vector>

namespace vmctl::ops {

// A pet is a VM labelled kind=pet: `vmctl delete` refuses it until unprotected.
inline constexpr const char* kKindLabel = "kind";
inline constexpr const char* kPet = "pet";

bool is_pet(const VmMetadata& metadata);

// Marks or unmarks a VM as a protected pet; returns false if nothing changed.
bool set_protected(Hypervisor& hv, const std::string& name, bool protect);

// Sets and removes labels of a vmctl VM. `kind` is refused: pets are made
// with set_protected. Returns the labels now.
Labels set_labels(Hypervisor& hv, const std::string& name, const Labels& set, const std::vector<std::string>& remove);

// Whether the label `key` has `value`.
bool has_label(const Labels& labels, const std::string& key, const std::string& value);

// The VMs whose label `key` has `value`, sorted by name.
std::vector<DomainSummary> select_by_label(Hypervisor& hv, const std::string& key, const std::string& value);

}  // namespace vmctl::ops
