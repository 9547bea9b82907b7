#include "vmctl/core/chipset.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

namespace vmctl {

std::optional<Chipset> chipset_named(std::string_view text) {
    if (text == "q35")
        return Chipset::Q35;
    if (text == "pc")
        return Chipset::Pc;
    return std::nullopt;
}

Chipset parse_chipset(std::string_view text) {
    if (const auto chipset = chipset_named(text))
        return *chipset;
    throw Error(ErrorKind::InvalidArgument, fmt::format("unknown chipset '{}'", text),
                "use --chipset q35 (PCI Express, the default) or pc (the older i440FX board)");
}

const char* chipset_name(Chipset chipset) { return chipset == Chipset::Q35 ? "q35" : "pc"; }

std::string_view chipset_of_machine(std::string_view machine) {
    if (machine == "q35" || machine.starts_with("pc-q35-"))
        return "q35";
    if (machine == "pc" || machine.starts_with("pc-i440fx-"))
        return "pc";
    return "";
}

}  // namespace vmctl
