#pragma once

#include <cstdint>
#include <string>

namespace vmctl {

// XML for a libvirt directory storage pool named `name` at `directory`.
std::string build_dir_pool_xml(const std::string& name, const std::string& directory);

// XML for a new, empty qcow2 volume of `capacity_bytes` (allocated on demand).
std::string build_qcow2_volume_xml(const std::string& name, std::uint64_t capacity_bytes);

// XML for a qcow2 overlay volume backed by the qcow2 file `backing`.
std::string build_overlay_volume_xml(const std::string& name, std::uint64_t capacity_bytes,
                                     const std::string& backing);

}  // namespace vmctl
