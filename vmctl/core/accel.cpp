#include "vmctl/core/accel.h"

#include "vmctl/core/error.h"

#include <fmt/format.h>

namespace vmctl {

AccelRequest parse_accel_request(std::string_view text) {
    if (text == "auto")
        return AccelRequest::Auto;
    if (text == "kvm")
        return AccelRequest::Kvm;
    if (text == "tcg")
        return AccelRequest::Tcg;
    throw Error(ErrorKind::InvalidArgument, fmt::format("unknown accelerator '{}'", text),
                "use --accel auto, kvm or tcg");
}

namespace {

std::string why_not_kvm(const HostCpuFacts& host) {
    if (!host.kvm_device_usable && !host.cpu_has_virt_flag)
        return "/dev/kvm is not usable and the CPU does not advertise vmx or svm";
    if (!host.kvm_device_usable)
        return "/dev/kvm is missing or cannot be opened";
    return "the CPU does not advertise vmx or svm (this is often a VM without nested virtualization)";
}

}  // namespace

AccelChoice choose_accel(AccelRequest request, const HostCpuFacts& host) {
    const bool kvm_ok = host.kvm_device_usable && host.cpu_has_virt_flag;
    switch (request) {
    case AccelRequest::Tcg:
        return {Accel::Tcg, "TCG (software emulation), as asked with --accel tcg"};
    case AccelRequest::Kvm:
        if (!kvm_ok)
            throw Error(ErrorKind::Unsupported, fmt::format("KVM is not usable here: {}", why_not_kvm(host)),
                        "use --accel tcg (or auto), or run on a host with hardware virtualization enabled");
        return {Accel::Kvm, "KVM (hardware virtualization), as asked with --accel kvm"};
    case AccelRequest::Auto:
        break;
    }
    if (kvm_ok)
        return {Accel::Kvm, "KVM (hardware virtualization): /dev/kvm works and the CPU has vmx/svm"};
    return {Accel::Tcg, fmt::format("TCG (software emulation, slower than KVM) because {}", why_not_kvm(host))};
}

const char* domain_type(Accel accel) { return accel == Accel::Kvm ? "kvm" : "qemu"; }

const char* accel_name(Accel accel) { return accel == Accel::Kvm ? "KVM" : "TCG"; }

}  // namespace vmctl
