#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace vmctl::host {

// Waits until a line for which `matches` is true appears in the file at `path`
// (a serial console log that virtlogd writes), polling it. Returns the line,
// or nothing when `timeout` passes or `keep_waiting` (asked about once a
// second) says the VM is gone.
std::optional<std::string> wait_for_line(const std::string& path,
                                         const std::function<bool(const std::string&)>& matches,
                                         std::chrono::milliseconds timeout,
                                         const std::function<bool()>& keep_waiting);

// Copies the file to `out`, then, if `follow`, keeps copying what is appended
// (starting over when the file is truncated by a new boot) until `keep_going`
// returns false.
void copy_log(const std::string& path, std::ostream& out, bool follow, const std::function<bool()>& keep_going);

}  // namespace vmctl::host
