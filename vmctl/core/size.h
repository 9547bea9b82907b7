#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmctl {

// Parses a human size such as "512M", "1.5GiB" or "20G" into bytes.
// K/M/G/T and KiB/MiB/GiB/TiB (and KB/MB/GB/TB) are all binary units, as
// QEMU and libvirt use them. A number without a unit is refused, because
// "512" could mean bytes or megabytes. Throws Error(InvalidArgument) naming
// `what` ("--memory") when the text is not a size.
std::uint64_t parse_size(std::string_view text, std::string_view what);

// Checks min <= bytes <= max; throws Error(InvalidArgument) saying the allowed range.
void check_size_range(std::uint64_t bytes, std::uint64_t min, std::uint64_t max, std::string_view what);

// Formats bytes with the largest binary unit that keeps it readable: "256 MiB", "1.5 GiB".
std::string format_size(std::uint64_t bytes);

// Formats bytes as a command-line value vmctl accepts: "1G", "512M", "64K".
std::string format_size_arg(std::uint64_t bytes);

inline constexpr std::uint64_t KiB = 1024;
inline constexpr std::uint64_t MiB = 1024 * KiB;
inline constexpr std::uint64_t GiB = 1024 * MiB;
inline constexpr std::uint64_t TiB = 1024 * GiB;

}  // namespace vmctl
