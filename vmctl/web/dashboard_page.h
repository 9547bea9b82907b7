#pragma once

#include <string_view>

namespace vmctl::web {

// share/dashboard/index.html and class.html, built into the binary (CMake
// embeds them), so the pages need no installed file and no network.
std::string_view dashboard_page();
std::string_view class_page();

}  // namespace vmctl::web
