#pragma once

#include <string_view>

namespace vmctl::web {

// share/dashboard/index.html, built into the binary (CMake embeds it), so
// the page needs no installed file and no network.
std::string_view dashboard_page();

}  // namespace vmctl::web
