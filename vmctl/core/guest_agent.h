#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vmctl {

// The QEMU guest agent's JSON protocol for running a command in the guest
// (guest-exec, then guest-exec-status until it has exited). Pure functions:
// the adapter sends what they build and hands back what the agent answered.

// {"execute":"guest-exec","arguments":{"path":..,"arg":[..],"capture-output":true}}
std::string guest_exec_request(const std::string& path, const std::vector<std::string>& args);

// The pid from guest-exec's answer; throws Error(OperationFailed) if absent.
long parse_guest_exec_pid(const std::string& answer);

// {"execute":"guest-exec-status","arguments":{"pid":N}}
std::string guest_exec_status_request(long pid);

struct ExecStatus {
    bool exited = false;
    int exit_code = 0;
    int signal = 0;  // non-zero when the command was killed by a signal
    std::string out;
    std::string err;
    bool truncated = false;  // the agent keeps at most 16 MiB of output
};

// Parses guest-exec-status's answer, decoding the base64 output.
ExecStatus parse_guest_exec_status(const std::string& answer);

}  // namespace vmctl
