#pragma once

#include <string_view>

namespace vmctl::host {

// Ctrl-C (SIGINT) and SIGTERM as a request to stop cleanly. While a guard
// exists, the first signal only sets a flag: long operations (waiting for a
// guest, making several VMs) poll it and throw Error(Interrupted), so the
// same rollback runs as for any other error and nothing is left half-made.
// A second signal ends vmctl at once, as it would without the guard.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};

bool interrupted();

// Throws Error(Interrupted) naming what was going on once a signal came.
void throw_if_interrupted(std::string_view doing);

// For tests: behave as if Ctrl-C had been pressed (or not).
void set_interrupted(bool value);

}  // namespace vmctl::host
