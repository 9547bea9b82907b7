#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/create.h"

#include <string>
#include <vector>

namespace vmctl::ops {

struct HerdResult {
    std::vector<CreateResult> members;
    double seconds = 0;  // from the first define to the last ready line
};

// Cattle: creates NAME-1 .. NAME-count from `options`, labelled group=NAME and
// kind=cattle, on the image's golden disk when it has one (linked clones).
// All are defined and started first, then their ready lines are awaited in
// parallel. If any member fails, every member made is removed.
HerdResult create_herd(Hypervisor& hv, const Environment& env, const CreateOptions& options, unsigned count,
                       const Progress& progress);

inline constexpr unsigned kMaxHerd = 50;

}  // namespace vmctl::ops
