#pragma once

#include "vmctl/core/cloud_init.h"

#include <string>

namespace vmctl::host {

// Writes `seed` as a NoCloud seed disk at `path`: a qcow2 (so that snapshots
// take it in, as they do the VM's own disk) holding a small FAT filesystem
// labelled "cidata" with the files user-data and meta-data. It is made in a
// private temporary folder with mkfs.vfat (dosfstools), mcopy (mtools) and
// qemu-img; throws Error(OperationFailed) naming a missing tool's package,
// leaving nothing at `path`.
void write_seed_disk(const CloudInitSeed& seed, const std::string& path);

}  // namespace vmctl::host
