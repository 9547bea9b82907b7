#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vmctl {

// A named VM size, spelled like the cloud machine types on the lecture's
// `gcloud compute instances create --machine-type` slide.
struct MachineType {
    std::string_view name;
    unsigned vcpus;
    std::uint64_t memory_bytes;
    std::string_view description;
};

// Every machine type vmctl knows, smallest first.
std::span<const MachineType> machine_types();

// The machine type with that name; throws Error(InvalidArgument) listing the
// known names (and the closest one) when there is none.
const MachineType& find_machine_type(std::string_view name);

// What a VM gets when neither --machine-type nor --cpus/--memory is given:
// small enough that a class of 30 VMs fits on one lab machine.
inline constexpr unsigned kDefaultVcpus = 1;
inline constexpr std::uint64_t kDefaultMemoryBytes = 256ULL * 1024 * 1024;
inline constexpr std::uint64_t kDefaultDiskBytes = 1ULL * 1024 * 1024 * 1024;

}  // namespace vmctl
