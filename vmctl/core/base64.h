#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vmctl {

// Standard base64 (RFC 4648, with padding), as busybox's `base64 -d` reads it.
std::string base64_encode(std::string_view data);

// Decodes standard base64, ignoring whitespace; nothing if it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace vmctl
