#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vmctl {

// The tiny image's init prints this line once on the serial console when the
// guest is up: "vmctl-guest: ready boot=<id> kernel=<release> cpus=<n> mem_kb=<n>".
inline constexpr const char* kReadyPrefix = "vmctl-guest: ready";

struct ReadyLine {
    std::string boot_id;
    std::string kernel;
    unsigned cpus = 0;
    std::uint64_t mem_kb = 0;
};

// Parses a ready line; nothing when the line is not one.
std::optional<ReadyLine> parse_ready_line(std::string_view line);

// The heartbeat the guest prints every second: "HB boot=<id> seq=<n>".
struct Heartbeat {
    std::string boot_id;
    std::uint64_t seq = 0;
};

// The guest also keeps its last heartbeat in this file, as "<id> <seq>", for
// the host to read through the guest agent.
inline constexpr const char* kHeartbeatFile = "/var/run/vmctl-heartbeat";

// Finds a heartbeat anywhere in the line: it may follow a shell prompt.
std::optional<Heartbeat> parse_heartbeat(std::string_view line);

// busybox's shell on the serial console asks the terminal where its cursor is
// (ESC [ 6 n) before each prompt; in a log it is noise that shows as "^[[6n".
// Returns `chunk` without those queries. A query cut off at the end of a
// chunk waits in `carry` for the next one (print what is left in it at the end).
std::string drop_cursor_queries(std::string_view chunk, std::string& carry);

}  // namespace vmctl
