#pragma once

#include "vmctl/core/hygiene.h"
#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/image.h"

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace vmctl::ops {

// Gathers what the hygiene checks need: each VM's size, state and snapshots,
// its CPU use from two bulk statistics samples `window` apart (as `vmctl top`
// does), since when it is stopped (from the usage journal), vmctl's volumes
// no VM uses in its running or saved definition (nor one on another host:
// `elsewhere`), and the golden images with their users here and elsewhere.
HygieneInput gather_hygiene(Hypervisor& hv, const Environment& env, std::chrono::milliseconds window,
                            const std::vector<UsageRecord>& journal, const UseElsewhere& elsewhere);

// Carries out one finding's fix (stop, delete, delete a volume, an image or a
// snapshot) and says what it did. Refuses what is not automatic, such as
// anything of a protected pet, with Error(InvalidState); an image is deleted
// only if no VM here or `elsewhere` uses it and every host answered.
std::string fix_finding(Hypervisor& hv, const Environment& env, const Finding& finding,
                        const UseElsewhere& elsewhere = {});

}  // namespace vmctl::ops
