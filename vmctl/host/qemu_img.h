#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmctl::host {

struct InternalSnapshot {
    std::string name;
    std::uint64_t vm_state_bytes = 0;  // saved memory; 0 for a disk-only snapshot
};

// One file of a disk's backing chain, top (the VM's own overlay) first.
struct DiskLayer {
    std::string path;
    std::string format;
    std::uint64_t virtual_bytes = 0;    // the size the guest sees
    std::uint64_t allocated_bytes = 0;  // the space the file takes on the host
    std::string backing;                // the next layer down, or ""
    std::vector<InternalSnapshot> snapshots;
};

// Parses `qemu-img info --backing-chain --output=json` output.
std::vector<DiskLayer> parse_backing_chain(const std::string& json);

// Runs qemu-img on `path` (with -U, so a running VM's disk can be read) and
// parses its answer; throws Error(OperationFailed) with qemu-img's message.
std::vector<DiskLayer> backing_chain(const std::string& path);

// Runs `qemu-img ARGUMENTS` (a shell word list: quote paths with
// shell_quote) and collects what it prints; returns its exit status (128
// when a signal ended it).
// Throws Error(OperationFailed) when qemu-img cannot be started.
int run_qemu_img(const std::string& arguments, std::string& output);

}  // namespace vmctl::host
