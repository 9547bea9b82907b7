#pragma once

// RAII owners for libvirt's C handles, declared once. Only the virt/ folder
// includes libvirt.h; nothing outside it sees these types.

#include <libvirt/libvirt.h>

#include <memory>
#include <string>

namespace vmctl::virt {

struct ConnectDeleter {
    void operator()(virConnectPtr p) const { virConnectClose(p); }
};
struct DomainDeleter {
    void operator()(virDomainPtr p) const { virDomainFree(p); }
};
struct PoolDeleter {
    void operator()(virStoragePoolPtr p) const { virStoragePoolFree(p); }
};
struct VolumeDeleter {
    void operator()(virStorageVolPtr p) const { virStorageVolFree(p); }
};
struct SnapshotDeleter {
    void operator()(virDomainSnapshotPtr p) const { virDomainSnapshotFree(p); }
};
struct NetworkDeleter {
    void operator()(virNetworkPtr p) const { virNetworkFree(p); }
};
struct StreamDeleter {
    void operator()(virStreamPtr p) const { virStreamFree(p); }
};

// The array virConnectGetAllDomainStats fills, records and all.
struct StatsRecordsDeleter {
    void operator()(virDomainStatsRecordPtr* p) const { virDomainStatsRecordListFree(p); }
};

using ConnectHandle = std::unique_ptr<virConnect, ConnectDeleter>;
using DomainHandle = std::unique_ptr<virDomain, DomainDeleter>;
using PoolHandle = std::unique_ptr<virStoragePool, PoolDeleter>;
using VolumeHandle = std::unique_ptr<virStorageVol, VolumeDeleter>;
using SnapshotHandle = std::unique_ptr<virDomainSnapshot, SnapshotDeleter>;
using NetworkHandle = std::unique_ptr<virNetwork, NetworkDeleter>;
using StreamHandle = std::unique_ptr<virStream, StreamDeleter>;
using StatsRecords = std::unique_ptr<virDomainStatsRecordPtr, StatsRecordsDeleter>;

// Copies a string libvirt allocated and frees it; nullptr gives "".
std::string take_string(char* owned);

}  // namespace vmctl::virt
