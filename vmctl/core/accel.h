#pragma once

#include <string>
#include <string_view>

namespace vmctl {

// How guest instructions run: KVM (hardware virtualization through /dev/kvm)
// or TCG (QEMU's software emulation, libvirt domain type 'qemu').
enum class Accel { Kvm, Tcg };

// What the user asked for with --accel.
enum class AccelRequest { Auto, Kvm, Tcg };

// Facts about the host that decide whether KVM really works. libvirt's domain
// capabilities are not enough: on nested "PVM" hosts they report KVM while the
// CPU lacks vmx/svm and guests hang, so both facts are checked.
struct HostCpuFacts {
    bool kvm_device_usable = false;  // /dev/kvm exists and opens read-write
    bool cpu_has_virt_flag = false;  // /proc/cpuinfo lists vmx (Intel) or svm (AMD)
};

struct AccelChoice {
    Accel accel;
    std::string reason;  // one plain sentence a student can read
};

// Parses "auto", "kvm" or "tcg"; throws Error(InvalidArgument) otherwise.
AccelRequest parse_accel_request(std::string_view text);

// Decides the accelerator. Auto picks KVM only when both facts hold; an explicit
// "kvm" on a host without it throws Error(Unsupported) explaining why.
AccelChoice choose_accel(AccelRequest request, const HostCpuFacts& host);

// "kvm" or "qemu": the libvirt domain type for an accelerator.
const char* domain_type(Accel accel);

// "KVM" or "TCG", for people.
const char* accel_name(Accel accel);

}  // namespace vmctl
