#include "vmctl/core/hypervisor.h"

namespace vmctl {

const char* state_name(DomainState state) {
    switch (state) {
    case DomainState::Running: return "running";
    case DomainState::Paused: return "paused";
    case DomainState::ShutOff: return "shut off";
    case DomainState::ShuttingDown: return "in shutdown";
    case DomainState::Crashed: return "crashed";
    case DomainState::Suspended: return "pmsuspended";
    case DomainState::Other: return "other";
    }
    return "other";
}

}  // namespace vmctl
