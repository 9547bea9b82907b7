#include "vmctl/core/machine_type.h"

#include "vmctl/core/error.h"
#include "vmctl/core/size.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace vmctl {
namespace {

constexpr std::array<MachineType, 3> kMachineTypes{{
    {"e2-micro", 2, 1 * GiB, "2 vCPUs, 1 GiB memory"},
    {"e2-small", 2, 2 * GiB, "2 vCPUs, 2 GiB memory"},
    {"e2-medium", 2, 4 * GiB, "2 vCPUs, 4 GiB memory"},
}};

}  // namespace

std::span<const MachineType> machine_types() { return kMachineTypes; }

const MachineType& find_machine_type(std::string_view name) {
    std::vector<std::string> names;
    for (const auto& type : kMachineTypes) {
        if (type.name == name)
            return type;
        names.emplace_back(type.name);
    }
    std::string hint = fmt::format("choose one of: {}", fmt::join(names, ", "));
    if (auto close = closest_match(name, names))
        hint = fmt::format("did you mean '{}'? ({})", *close, hint);
    throw Error(ErrorKind::InvalidArgument, fmt::format("unknown machine type '{}'", name), hint);
}

}  // namespace vmctl
