#pragma once

// Domains for the adapter and contract tiers: vmctl's own domain XML, made
// runnable by libvirt's test:/// driver where needed.

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/vm_spec.h"

#include <string>

namespace vmctl::testing {

// A test:/// node file's network and pool: the vmctl network as
// scripts/prepare-host.sh defines it, and a pool for the driver's own use.
// Put it inside <node> ... </node>, after any domains.
inline constexpr const char* kNodeNetworkAndPool = R"(  <network>
    <name>vmctl</name>
    <bridge name='vmctl0'/>
    <ip address='10.215.0.1' prefix='24'>
      <dhcp><range start='10.215.0.10' end='10.215.0.254'/></dhcp>
    </ip>
  </network>
  <pool type='dir'><name>default</name><target><path>/default-pool</path></target></pool>
)";

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
