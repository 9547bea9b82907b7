// One libFuzzer target per parser of what a person writes: deployment files,
// lab files, demo scripts, price sheets, sizes, names and labels. A bad input
// must end in vmctl::Error (a one-line message and an exit code); anything
// else (another exception, a crash, a sanitizer report) is a bug. Built with
// -DVMCTL_FUZZ=ON (clang); scripts/test.sh runs each for a bounded time.

#pragma once

#include "vmctl/core/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

// Defined by each target: parse `text`, throwing vmctl::Error when it is bad.
void fuzz_one(const std::string& text);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        fuzz_one(std::string(reinterpret_cast<const char*>(data), size));
    } catch (const vmctl::Error& e) {
        // Refused with a message, as it should be. The message must be one line.
        const std::string line = e.line();
        if (line.find('\n') != std::string::npos) {
            std::fprintf(stderr, "an error message of more than one line: %s\n", line.c_str());
            __builtin_trap();
        }
    }
    return 0;
}
