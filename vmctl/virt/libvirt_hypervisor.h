#pragma once

#include "vmctl/core/hypervisor.h"

#include <memory>
#include <string>

namespace vmctl::virt {

// Opens one libvirt connection to `uri` for the whole run and returns the
// Hypervisor over it. Throws Error(Unreachable) when the daemon does not answer.
std::unique_ptr<Hypervisor> connect(const std::string& uri);

// Whether a libvirt daemon answers at `uri` (used to choose the default URI).
bool answers(const std::string& uri);

}  // namespace vmctl::virt
