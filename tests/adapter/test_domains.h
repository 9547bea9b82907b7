#pragma once

// Domains for the adapter and contract tiers: vmctl's own domain XML, made
// runnable by libvirt's test:/// driver where needed.

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/vm_spec.h"

#include <string>

namespace vmctl::testing {

// A vmctl domain named `name` with 1 vCPU (at most `max_vcpus`) and 64 MiB,
// its files under `dir`. The test driver runs only domains of its own type,
// so `for_test_driver` gives it that type instead of QEMU's.
inline std::string test_vm_xml(const std::string& dir, const std::string& name, const Labels& labels,
                               unsigned max_vcpus, bool for_test_driver) {
    VmSpec spec;
    spec.name = name;
    spec.vcpus = 1;
    spec.max_vcpus = max_vcpus;
    spec.memory_bytes = 64ULL << 20;
    spec.metadata = {"tiny", "", "2026-11-27T00:00:00Z", labels};
    std::string xml = build_domain_xml(spec, {"/k", "/i", "", dir + "/d.qcow2", dir + "/" + name + ".log"});
    if (for_test_driver)
        xml.replace(xml.find("type=\"qemu\""), 11, "type=\"test\"");
    return xml;
}

}  // namespace vmctl::testing
