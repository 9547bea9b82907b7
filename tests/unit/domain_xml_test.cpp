#include "golden.h"
#include "vmctl/core/chipset.h"
#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"

#include <gtest/gtest.h>

namespace vmctl {
namespace {

using testing::expect_golden;

VmSpec basic_spec() {
    VmSpec spec;
    spec.name = "web-1";
    spec.vcpus = 2;
    spec.memory_bytes = 256ULL << 20;
    spec.disk_bytes = 1ULL << 30;
    spec.accel = Accel::Tcg;
    spec.metadata.image = "tiny";
    spec.metadata.machine_type = "e2-micro";
    spec.metadata.created_at = "2026-11-27T21:00:00Z";
    spec.metadata.labels = {{"owner", "alice"}, {"tier", "web"}};
    spec.nic = {"vmctl", "52:54:00:12:34:56"};
    spec.metadata.network = "vmctl";
    spec.metadata.mac = "52:54:00:12:34:56";
    spec.ssh_authorized_keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey vmctl\n";
    return spec;
}

DomainFiles basic_files() {
    return {"/var/lib/vmctl/images/tiny/vmlinux", "/var/lib/vmctl/images/tiny/initrd.img",
            "quiet mitigations=off", "/var/lib/vmctl/pool/web-1-disk0.qcow2",
            "/var/lib/vmctl/logs/web-1.serial.log"};
}

TEST(DomainXml, MatchesGoldenFile) { expect_golden("domain-basic.xml", build_domain_xml(basic_spec(), basic_files())); }

// A user's session names the guest agent's socket itself: libvirt's own
// choice under a long home can be longer than a socket's path may be.
TEST(DomainXml, TheGuestAgentSocketIsLibvirtsChoiceUnlessGiven) {
    EXPECT_EQ(build_domain_xml(basic_spec(), basic_files()).find("mode=\"bind\""), std::string::npos);
    DomainFiles files = basic_files();
    files.agent_socket = "/home/a/.local/share/vmctl/agent/00ff.sock";
    const std::string xml = build_domain_xml(basic_spec(), files);
    EXPECT_NE(xml.find("<source mode=\"bind\" path=\"/home/a/.local/share/vmctl/agent/00ff.sock\" />"),
              std::string::npos)
        << xml;
    EXPECT_TRUE(parse_domain_xml(xml).has_guest_agent);
}

TEST(DomainXml, KvmGetsHostCpu) {
    VmSpec spec = basic_spec();
    spec.accel = Accel::Kvm;
    const std::string xml = build_domain_xml(spec, basic_files());
    EXPECT_NE(xml.find("<domain type=\"kvm\">"), std::string::npos);
    EXPECT_NE(xml.find("host-passthrough"), std::string::npos);
}

TEST(DomainXml, NewVmsGetQ35WithFreeRootPortsForHotPlug) {
    const std::string xml = build_domain_xml(basic_spec(), basic_files());
    EXPECT_NE(xml.find("machine=\"q35\""), std::string::npos);
    std::size_t ports = 0;
    for (auto at = xml.find("pcie-root-port"); at != std::string::npos; at = xml.find("pcie-root-port", at + 1))
        ++ports;
    EXPECT_EQ(ports, 4 + kHotplugRootPorts) << "one per device (disk, NIC, virtio-serial, balloon), and free ones";
    EXPECT_EQ(parse_domain_xml(xml).machine, "q35");
}

TEST(DomainXml, ThePcChipsetHasNoRootPorts) {
    VmSpec spec = basic_spec();
    spec.chipset = Chipset::Pc;
    const std::string xml = build_domain_xml(spec, basic_files());
    EXPECT_NE(xml.find("machine=\"pc\""), std::string::npos);
    EXPECT_EQ(xml.find("pcie-root-port"), std::string::npos);
}

TEST(Chipset, ParsesNamesAndLibvirtMachines) {
    EXPECT_EQ(parse_chipset("q35"), Chipset::Q35);
    EXPECT_EQ(parse_chipset("pc"), Chipset::Pc);
    try {
        parse_chipset("i440fx");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("i440fx"), std::string::npos);
        EXPECT_NE(e.hint().find("--chipset q35"), std::string::npos);
    }
    EXPECT_EQ(chipset_of_machine("pc-q35-7.2"), "q35");
    EXPECT_EQ(chipset_of_machine("q35"), "q35");
    EXPECT_EQ(chipset_of_machine("pc-i440fx-7.2"), "pc");
    EXPECT_EQ(chipset_of_machine("pc"), "pc");
    EXPECT_EQ(chipset_of_machine("microvm"), "");
    EXPECT_EQ(chipset_of_machine("pc-q35"), "");
}

TEST(DomainXml, HostileStringsComeOutEscaped) {
    VmSpec spec = basic_spec();
    spec.startup_script = "#!/bin/sh\necho '</entry></sysinfo><devices>' && echo \"a&b\" > /data/x\n";
    DomainFiles files = basic_files();
    files.disk = "/tmp/evil\"'<&>.qcow2";
    const std::string xml = build_domain_xml(spec, files);
    expect_golden("domain-hostile.xml", xml);
    EXPECT_EQ(xml.find("</entry></sysinfo><devices>"), std::string::npos);
    EXPECT_EQ(xml.find("&amp;&amp;"), std::string::npos) << "the script is base64 in fw_cfg";
    // What goes in comes back out unchanged.
    const DomainFacts facts = parse_domain_xml(xml);
    EXPECT_EQ(facts.startup_script, spec.startup_script);
    ASSERT_EQ(facts.disks.size(), 1u);
    EXPECT_EQ(facts.disks[0].path, files.disk);
}

TEST(DomainXml, RoundTripsTheFactsVmctlNeeds) {
    const DomainFacts facts = parse_domain_xml(build_domain_xml(basic_spec(), basic_files()));
    EXPECT_EQ(facts.name, "web-1");
    EXPECT_EQ(facts.type, "qemu");
    EXPECT_EQ(facts.vcpus, 2u);
    EXPECT_EQ(facts.memory_bytes, 256ULL << 20);
    EXPECT_EQ(facts.serial_log, "/var/lib/vmctl/logs/web-1.serial.log");
    EXPECT_EQ(facts.kernel, "/var/lib/vmctl/images/tiny/vmlinux");
    EXPECT_EQ(facts.kernel_args, "quiet mitigations=off");
    EXPECT_TRUE(facts.has_vmctl_metadata);
    EXPECT_EQ(facts.metadata.image, "tiny");
    EXPECT_EQ(facts.metadata.machine_type, "e2-micro");
    EXPECT_EQ(facts.metadata.created_at, "2026-11-27T21:00:00Z");
    EXPECT_EQ(facts.metadata.labels.at("owner"), "alice");
}

TEST(DomainXml, ReadsMetadataUnderAnyPrefixAsLibvirtReturnsIt) {
    // libvirt may hand back vmctl's element with the prefix it was defined with.
    const std::string xml = R"(<domain type='qemu' id='7'><name>x</name><memory unit='MiB'>512</memory>
      <vcpu current='1'>4</vcpu>
      <metadata><v:vm xmlns:v="https://vmctl.dev/xmlns/vm/1"><v:image>tiny</v:image>
      <v:labels><v:label key="k" value="v"/></v:labels></v:vm></metadata></domain>)";
    const DomainFacts facts = parse_domain_xml(xml);
    EXPECT_TRUE(facts.has_vmctl_metadata);
    EXPECT_EQ(facts.metadata.image, "tiny");
    EXPECT_EQ(facts.metadata.labels.at("k"), "v");
    EXPECT_EQ(facts.memory_bytes, 512ULL << 20);
    EXPECT_EQ(facts.vcpus, 1u);
    EXPECT_EQ(facts.max_vcpus, 4u);
    EXPECT_EQ(facts.run_id, 7u);  // a running domain's id
}

TEST(DomainXml, ForeignDomainHasNoVmctlMetadata) {
    const DomainFacts facts = parse_domain_xml("<domain type='kvm'><name>other</name></domain>");
    EXPECT_FALSE(facts.has_vmctl_metadata);
    EXPECT_EQ(facts.name, "other");
    EXPECT_EQ(facts.run_id, 0u);  // shut off: no id
}

TEST(DomainXml, AMigrationDestinationAppendsToTheConsoleLog) {
    // As libvirt returns a running vmctl VM: the log on both the serial port
    // and the console that shares it, without the attribute on the console.
    const std::string live = R"(<domain type='qemu'><name>web-1</name><devices>
<serial type='pty'><log file='/l/web-1.serial.log' append='off'/><target port='0'/></serial>
<console type='pty'><log file='/l/web-1.serial.log'/><target type='serial' port='0'/></console>
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
</devices></domain>)";
    const std::string dest = with_console_log_appended(live);
    EXPECT_EQ(dest.find("append=\"off\""), std::string::npos) << dest;
    std::size_t count = 0;
    for (auto at = dest.find("append=\"on\""); at != std::string::npos; at = dest.find("append=\"on\"", at + 1))
        ++count;
    EXPECT_EQ(count, 2u) << dest;
    const DomainFacts facts = parse_domain_xml(dest);
    EXPECT_EQ(facts.serial_log, "/l/web-1.serial.log") << "the same file, only appended to";
    EXPECT_TRUE(facts.has_guest_agent) << "nothing else changes";
    // A domain whose console is not logged is left as it is.
    const std::string unlogged = "<domain><devices><serial type='pty'/></devices></domain>";
    EXPECT_EQ(with_console_log_appended(unlogged).find("append"), std::string::npos);
    EXPECT_THROW(with_console_log_appended("<domain"), Error);
}

// vmctl reads its metadata back from the domain's definition (list, info).
TEST(MetadataXml, RoundTrips) {
    VmMetadata metadata{"tiny", "e2-small", "2026-01-01T00:00:00Z", {{"group", "web"}}};
    VmSpec spec = basic_spec();
    spec.metadata = metadata;
    const VmMetadata back = parse_domain_xml(build_domain_xml(spec, basic_files())).metadata;
    EXPECT_EQ(back.image, "tiny");
    EXPECT_EQ(back.machine_type, "e2-small");
    EXPECT_EQ(back.labels, metadata.labels);
}

}  // namespace
}  // namespace vmctl
