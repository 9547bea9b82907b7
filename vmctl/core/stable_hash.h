#pragma once

#include <cstdint>
#include <string_view>

namespace vmctl {

// FNV-1a, 64 bits: the same on every machine and in every build (unlike
// std::hash), for names and choices that must come out the same again.
constexpr std::uint64_t stable_hash(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

}  // namespace vmctl
