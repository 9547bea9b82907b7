// The values a student types on the command line: sizes, VM names, labels,
// networks and --since periods. Each line of the input is tried as each.
#include "fuzz_main.h"
#include "vmctl/core/names.h"
#include "vmctl/core/network.h"
#include "vmctl/core/size.h"
#include "vmctl/core/usage.h"

#include <sstream>

void fuzz_one(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const auto attempt = [](const auto& parse) {
            try {
                parse();
            } catch (const vmctl::Error&) {
            }
        };
        attempt([&] { vmctl::parse_size(line, "--memory"); });
        attempt([&] { vmctl::validate_vm_name(line); });
        attempt([&] { vmctl::parse_label(line); });
        attempt([&] { vmctl::parse_network_request(line); });
        attempt([&] { vmctl::parse_since(line, 1'800'000'000); });
        attempt([&] { vmctl::validate_text("a snapshot description", line, 200); });
    }
}
