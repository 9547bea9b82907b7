#pragma once

#include <optional>
#include <string_view>

namespace vmctl {

// The virtual motherboard QEMU builds for a VM (libvirt's machine type; not
// vmctl's --machine-type, which is a size). q35 emulates Intel's ICH9 with
// PCI Express (2009), pc the i440FX of 1996 with plain PCI. New VMs get q35:
// under software emulation the pc board costs about 0.25 s of boot per PCI
// device while ACPI sets up its shared interrupt lines; q35 gives each device
// its own message-signalled interrupts in a few milliseconds. VMs made before
// keep the board they were defined with.
enum class Chipset { Q35, Pc };

inline constexpr Chipset kDefaultChipset = Chipset::Q35;

// The chipset named "q35" or "pc"; nothing for any other text.
std::optional<Chipset> chipset_named(std::string_view text);

// Parses "q35" or "pc"; throws Error(InvalidArgument) otherwise.
Chipset parse_chipset(std::string_view text);

// "q35" or "pc": libvirt's machine alias, which it expands to QEMU's newest
// versioned machine ("pc-q35-7.2") when the VM is defined.
const char* chipset_name(Chipset chipset);

// The chipset of a machine libvirt reports ("pc-q35-7.2", "q35", "pc",
// "pc-i440fx-7.2"): "q35", "pc", or "" for anything else.
std::string_view chipset_of_machine(std::string_view machine);

}  // namespace vmctl
