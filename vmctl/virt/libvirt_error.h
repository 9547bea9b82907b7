#pragma once

#include "vmctl/core/error.h"

#include <string>

namespace vmctl::virt {

// Builds a vmctl::Error from libvirt's last error on this thread, keeping its
// code and message. Call it right after the failing call, on the same thread.
// `what` says what vmctl was doing ("start VM 'web'"); `hint` overrides the
// generic fix for the error's kind.
Error last_error(const std::string& what, const std::string& hint = {});

// Silences libvirt's default error printer, so each error is printed once, by
// vmctl's main. Safe to call more than once.
void silence_default_error_printer();

}  // namespace vmctl::virt
