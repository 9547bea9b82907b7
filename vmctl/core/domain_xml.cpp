#include "vmctl/core/domain_xml.h"

#include "vmctl/core/base64.h"
#include "vmctl/core/error.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <sstream>
#include <string_view>

namespace vmctl {
namespace {

std::string to_string(const pugi::xml_node& node) {
    std::ostringstream out;
    node.print(out, "  ", pugi::format_indent, pugi::encoding_utf8);
    return out.str();
}

// The serial console every vmctl guest talks on.
constexpr const char* kConsoleArg = "console=ttyS0";

// Element names inside <metadata>: prefixed in a domain document; bare for
// libvirt's metadata API, which adds the namespace to the root itself.
std::string qualified(std::string_view local, bool prefixed = true) {
    return prefixed ? fmt::format("{}:{}", kMetadataPrefix, local) : std::string(local);
}

void append_text(pugi::xml_node parent, const char* name, const std::string& text) {
    parent.append_child(name).text().set(text.c_str());
}

void append_metadata(pugi::xml_node parent, const VmMetadata& metadata, bool prefixed = true) {
    pugi::xml_node vm = parent.append_child(qualified("vm", prefixed).c_str());
    if (prefixed)
        vm.append_attribute(fmt::format("xmlns:{}", kMetadataPrefix).c_str()) = kMetadataNamespace;
    append_text(vm, qualified("image", prefixed).c_str(), metadata.image);
    if (!metadata.machine_type.empty())
        append_text(vm, qualified("machine-type", prefixed).c_str(), metadata.machine_type);
    append_text(vm, qualified("created", prefixed).c_str(), metadata.created_at);
    if (!metadata.network.empty()) {
        pugi::xml_node nic = vm.append_child(qualified("nic", prefixed).c_str());
        nic.append_attribute("network") = metadata.network.c_str();
        nic.append_attribute("mac") = metadata.mac.c_str();
    }
    pugi::xml_node labels = vm.append_child(qualified("labels", prefixed).c_str());
    for (const auto& [key, value] : metadata.labels) {
        pugi::xml_node label = labels.append_child(qualified("label", prefixed).c_str());
        label.append_attribute("key") = key.c_str();
        label.append_attribute("value") = value.c_str();
    }
}

// A virtio qcow2 disk backed by the file at `path`, seen as `target`.
void append_qcow2_disk(pugi::xml_node parent, const std::string& path, const std::string& target) {
    pugi::xml_node disk = parent.append_child("disk");
    disk.append_attribute("type") = "file";
    disk.append_attribute("device") = "disk";
    pugi::xml_node driver = disk.append_child("driver");
    driver.append_attribute("name") = "qemu";
    driver.append_attribute("type") = "qcow2";
    disk.append_child("source").append_attribute("file") = path.c_str();
    pugi::xml_node dev = disk.append_child("target");
    dev.append_attribute("dev") = target.c_str();
    dev.append_attribute("bus") = "virtio";
}

// A virtio NIC on a libvirt network (or its bridge), with a fixed MAC address.
void append_nic(pugi::xml_node parent, const NicSpec& nic) {
    pugi::xml_node interface = parent.append_child("interface");
    const bool bridge = !nic.bridge.empty();
    interface.append_attribute("type") = bridge ? "bridge" : "network";
    interface.append_child("mac").append_attribute("address") = nic.mac.c_str();
    interface.append_child("source").append_attribute(bridge ? "bridge" : "network") =
        (bridge ? nic.bridge : nic.network).c_str();
    interface.append_child("model").append_attribute("type") = "virtio";
}

// libvirt hands metadata back with whatever prefix it was stored under, so
// elements are matched by local name within the vmctl element.
std::string_view local_name(const char* name) {
    std::string_view view(name);
    const auto colon = view.find(':');
    return colon == std::string_view::npos ? view : view.substr(colon + 1);
}

// Domain XML as libvirt returned it; throws Error(Internal) if it is not XML.
void load_domain(pugi::xml_document& doc, const std::string& xml) {
    const pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
    if (!parsed)
        throw Error(ErrorKind::Internal, fmt::format("libvirt returned domain XML that does not parse: {}",
                                                     parsed.description()));
}

pugi::xml_node child_local(const pugi::xml_node& node, std::string_view local) {
    for (pugi::xml_node child : node.children())
        if (child.type() == pugi::node_element && local_name(child.name()) == local)
            return child;
    return {};
}

VmMetadata read_metadata(const pugi::xml_node& vm) {
    VmMetadata metadata;
    metadata.image = child_local(vm, "image").text().as_string();
    metadata.machine_type = child_local(vm, "machine-type").text().as_string();
    metadata.created_at = child_local(vm, "created").text().as_string();
    const pugi::xml_node nic = child_local(vm, "nic");
    metadata.network = nic.attribute("network").as_string();
    metadata.mac = nic.attribute("mac").as_string();
    for (pugi::xml_node label : child_local(vm, "labels").children()) {
        if (label.type() == pugi::node_element && local_name(label.name()) == "label")
            metadata.labels[label.attribute("key").as_string()] = label.attribute("value").as_string();
    }
    return metadata;
}

// Finds vmctl's element among <metadata>'s children by its namespace URI.
pugi::xml_node find_vmctl_metadata(const pugi::xml_node& metadata) {
    for (pugi::xml_node child : metadata.children()) {
        if (child.type() != pugi::node_element)
            continue;
        for (pugi::xml_attribute attr : child.attributes()) {
            std::string_view attr_name(attr.name());
            if (attr_name.rfind("xmlns", 0) == 0 && std::string_view(attr.value()) == kMetadataNamespace)
                return child;
        }
    }
    return {};
}

std::uint64_t to_bytes(const pugi::xml_node& node) {
    const std::uint64_t value = node.text().as_ullong();
    const std::string_view unit = node.attribute("unit").as_string("KiB");
    if (unit == "b" || unit == "bytes")
        return value;
    if (unit == "KiB" || unit == "k" || unit == "K")
        return value * 1024;
    if (unit == "MiB" || unit == "M")
        return value * 1024 * 1024;
    if (unit == "GiB" || unit == "G")
        return value * 1024 * 1024 * 1024;
    if (unit == "KB")
        return value * 1000;
    if (unit == "MB")
        return value * 1000 * 1000;
    if (unit == "GB")
        return value * 1000 * 1000 * 1000;
    return value * 1024;
}

}  // namespace

std::string build_domain_xml(const VmSpec& spec, const DomainFiles& files) {
    pugi::xml_document doc;
    pugi::xml_node domain = doc.append_child("domain");
    domain.append_attribute("type") = domain_type(spec.accel);
    append_text(domain, "name", spec.name);
    append_text(domain, "title", fmt::format("vmctl VM {}", spec.name));

    append_metadata(domain.append_child("metadata"), spec.metadata);

    // <memory> is the most the balloon can give, <currentMemory> what the
    // guest has now; both are fixed at definition, so `vmctl resize` can grow
    // a running VM only up to them.
    const std::uint64_t max_memory = std::max(spec.max_memory_bytes, spec.memory_bytes);
    pugi::xml_node memory = domain.append_child("memory");
    memory.append_attribute("unit") = "KiB";
    memory.text().set(static_cast<unsigned long long>(max_memory / 1024));
    pugi::xml_node current = domain.append_child("currentMemory");
    current.append_attribute("unit") = "KiB";
    current.text().set(static_cast<unsigned long long>(spec.memory_bytes / 1024));
    pugi::xml_node vcpu = domain.append_child("vcpu");
    vcpu.append_attribute("placement") = "static";
    const unsigned max_vcpus = std::max(spec.max_vcpus, spec.vcpus);
    if (max_vcpus != spec.vcpus)
        vcpu.append_attribute("current") = spec.vcpus;
    vcpu.text().set(max_vcpus);

    // fw_cfg carries what the guest needs from the host without any side
    // file, so it survives migration. Free text goes as base64: libvirt 9.0
    // hands an entry's text to QEMU still XML-escaped ("&amp;"), so the value
    // must hold no character that XML escapes. A VM name is [a-z0-9-] only.
    pugi::xml_node sysinfo = domain.append_child("sysinfo");
    sysinfo.append_attribute("type") = "fwcfg";
    const auto fw_cfg = [&sysinfo](const char* name, const std::string& value) {
        pugi::xml_node entry = sysinfo.append_child("entry");
        entry.append_attribute("name") = name;
        entry.text().set(value.c_str());
    };
    fw_cfg(kHostnameFwCfg, spec.name);
    if (!spec.startup_script.empty())
        fw_cfg(kStartupScriptFwCfg, base64_encode(spec.startup_script));
    if (!spec.ssh_authorized_keys.empty())
        fw_cfg(kSshKeysFwCfg, base64_encode(spec.ssh_authorized_keys));

    pugi::xml_node os = domain.append_child("os");
    pugi::xml_node type = os.append_child("type");
    type.append_attribute("arch") = "x86_64";
    type.append_attribute("machine") = chipset_name(spec.chipset);
    type.text().set("hvm");
    if (!files.firmware.empty()) {
        pugi::xml_node loader = os.append_child("loader");
        loader.append_attribute("readonly") = "yes";
        loader.append_attribute("type") = "rom";
        loader.text().set(files.firmware.c_str());
    }
    if (files.kernel.empty()) {
        // An imported cloud image: the firmware boots the disk's own boot
        // loader, with the image's own kernel and arguments.
        os.append_child("boot").append_attribute("dev") = "hd";
    } else {
        append_text(os, "kernel", files.kernel);
        append_text(os, "initrd", files.initrd);
        std::string cmdline = kConsoleArg;
        if (!files.kernel_args.empty())
            cmdline += " " + files.kernel_args;
        append_text(os, "cmdline", cmdline);
    }

    // ACPI stays on: `vmctl stop` presses the virtual power button.
    domain.append_child("features").append_child("acpi");
    if (spec.accel == Accel::Kvm) {
        domain.append_child("cpu").append_attribute("mode") = "host-passthrough";
    }
    pugi::xml_node clock = domain.append_child("clock");
    clock.append_attribute("offset") = "utc";
    append_text(domain, "on_poweroff", "destroy");
    append_text(domain, "on_reboot", "restart");
    append_text(domain, "on_crash", "destroy");

    pugi::xml_node devices = domain.append_child("devices");
    append_qcow2_disk(devices, files.disk, "vda");
    if (!files.seed.empty())
        append_qcow2_disk(devices, files.seed, "vdb");

    // No USB controller (libvirt adds one unless told): the guest has no USB
    // devices, and every PCI device costs boot time under TCG.
    pugi::xml_node usb = devices.append_child("controller");
    usb.append_attribute("type") = "usb";
    usb.append_attribute("model") = "none";

    if (!spec.nic.network.empty())
        append_nic(devices, spec.nic);

    pugi::xml_node serial = devices.append_child("serial");
    serial.append_attribute("type") = "pty";
    pugi::xml_node log = serial.append_child("log");
    log.append_attribute("file") = files.serial_log.c_str();
    log.append_attribute("append") = "off";
    serial.append_child("target").append_attribute("port") = "0";
    pugi::xml_node console = devices.append_child("console");
    console.append_attribute("type") = "pty";
    pugi::xml_node console_target = console.append_child("target");
    console_target.append_attribute("type") = "serial";
    console_target.append_attribute("port") = "0";

    // The guest agent's port: `vmctl exec` runs commands through it.
    pugi::xml_node channel = devices.append_child("channel");
    channel.append_attribute("type") = "unix";
    if (!files.agent_socket.empty()) {
        pugi::xml_node source = channel.append_child("source");
        source.append_attribute("mode") = "bind";
        source.append_attribute("path") = files.agent_socket.c_str();
    }
    pugi::xml_node channel_target = channel.append_child("target");
    channel_target.append_attribute("type") = "virtio";
    channel_target.append_attribute("name") = kGuestAgentChannel;

    // Balloon statistics every 2 s: the guest's own view of its memory.
    pugi::xml_node balloon = devices.append_child("memballoon");
    balloon.append_attribute("model") = "virtio";
    balloon.append_child("stats").append_attribute("period") = "2";

    // On PCI Express every device sits behind a root port. libvirt plugs the
    // devices defined into the ports listed first and adds ports only when
    // those run out, so the free ports a disk attached while the VM runs
    // needs come on top of one per device above (disks, NICs, the balloon,
    // and the virtio-serial controller of the agent's channel). The pc
    // board's single bus takes hot-plugged devices directly. libvirt numbers
    // controllers listed without an index from 0, which must be the root
    // complex itself.
    if (spec.chipset == Chipset::Q35) {
        unsigned devices_on_ports = 1;  // the virtio-serial controller
        for (pugi::xml_node device : devices.children()) {
            const std::string_view kind = device.name();
            devices_on_ports += kind == "disk" || kind == "interface" || kind == "memballoon";
        }
        pugi::xml_node root = devices.append_child("controller");
        root.append_attribute("type") = "pci";
        root.append_attribute("index") = "0";
        root.append_attribute("model") = "pcie-root";
        for (unsigned i = 0; i < devices_on_ports + kHotplugRootPorts; ++i) {
            pugi::xml_node port = devices.append_child("controller");
            port.append_attribute("type") = "pci";
            port.append_attribute("model") = "pcie-root-port";
        }
    }
    return to_string(doc);
}

std::string build_disk_device_xml(const std::string& path, const std::string& target) {
    pugi::xml_document doc;
    append_qcow2_disk(doc, path, target);
    return to_string(doc);
}

std::string next_disk_target(const std::vector<DiskFacts>& disks) {
    for (char letter = 'a'; letter <= 'z'; ++letter) {
        const std::string target = std::string("vd") + letter;
        if (std::none_of(disks.begin(), disks.end(), [&](const DiskFacts& d) { return d.target == target; }))
            return target;
    }
    throw Error(ErrorKind::InvalidState, "the VM already has 26 disks", "detach one first");
}

std::string build_metadata_xml(const VmMetadata& metadata) {
    pugi::xml_document doc;
    append_metadata(doc, metadata, /*prefixed=*/false);
    return to_string(doc.first_child());
}

DomainFacts parse_domain_xml(const std::string& xml) {
    pugi::xml_document doc;
    load_domain(doc, xml);
    const pugi::xml_node domain = doc.child("domain");
    DomainFacts facts;
    facts.name = domain.child("name").text().as_string();
    facts.uuid = domain.child("uuid").text().as_string();
    facts.run_id = std::max(domain.attribute("id").as_int(0), 0);
    facts.type = domain.attribute("type").as_string();
    facts.machine = domain.child("os").child("type").attribute("machine").as_string();
    const pugi::xml_node vcpu = domain.child("vcpu");
    facts.max_vcpus = vcpu.text().as_uint();
    facts.vcpus = vcpu.attribute("current").as_uint(facts.max_vcpus);
    facts.max_memory_bytes = to_bytes(domain.child("memory"));
    facts.memory_bytes =
        domain.child("currentMemory") ? to_bytes(domain.child("currentMemory")) : facts.max_memory_bytes;

    const pugi::xml_node os = domain.child("os");
    facts.kernel = os.child("kernel").text().as_string();
    facts.initrd = os.child("initrd").text().as_string();
    const pugi::xml_node loader = os.child("loader");
    facts.firmware = loader.text().as_string();
    facts.firmware_in_flash = std::string_view(os.attribute("firmware").as_string()) == "efi" || os.child("nvram") ||
                              (loader && std::string_view(loader.attribute("type").as_string("pflash")) == "pflash");
    std::string_view args = os.child("cmdline").text().as_string();
    if (args.rfind(kConsoleArg, 0) == 0)
        args.remove_prefix(std::min(args.size(), std::string_view(kConsoleArg).size() + 1));
    facts.kernel_args = std::string(args);
    for (pugi::xml_node disk : domain.child("devices").children("disk")) {
        DiskFacts d;
        d.device = disk.attribute("device").as_string("disk");
        d.target = disk.child("target").attribute("dev").as_string();
        d.format = disk.child("driver").attribute("type").as_string();
        const pugi::xml_node source = disk.child("source");
        d.path = source.attribute("file").as_string(source.attribute("dev").as_string());
        facts.disks.push_back(std::move(d));
    }
    for (pugi::xml_node serial : domain.child("devices").children("serial")) {
        if (const char* file = serial.child("log").attribute("file").as_string(); *file != '\0') {
            facts.serial_log = file;
            break;
        }
    }
    for (pugi::xml_node interface : domain.child("devices").children("interface")) {
        InterfaceFacts nic;
        nic.type = interface.attribute("type").as_string();
        nic.mac = interface.child("mac").attribute("address").as_string();
        const pugi::xml_node source = interface.child("source");
        nic.network = source.attribute("network").as_string();
        nic.bridge = source.attribute("bridge").as_string();
        nic.model = interface.child("model").attribute("type").as_string();
        facts.interfaces.push_back(std::move(nic));
    }
    for (pugi::xml_node channel : domain.child("devices").children("channel"))
        if (std::string_view(channel.child("target").attribute("name").as_string()) == kGuestAgentChannel)
            facts.has_guest_agent = true;
    for (pugi::xml_node sysinfo : domain.children("sysinfo")) {
        if (std::string_view(sysinfo.attribute("type").as_string()) != "fwcfg")
            continue;
        for (pugi::xml_node entry : sysinfo.children("entry"))
            if (std::string_view(entry.attribute("name").as_string()) == kStartupScriptFwCfg)
                facts.startup_script = base64_decode(entry.text().as_string()).value_or("");
    }
    if (pugi::xml_node vm = find_vmctl_metadata(domain.child("metadata"))) {
        facts.has_vmctl_metadata = true;
        facts.metadata = read_metadata(vm);
    }
    return facts;
}

std::string with_console_log_appended(const std::string& xml) {
    pugi::xml_document doc;
    load_domain(doc, xml);
    pugi::xml_node devices = doc.child("domain").child("devices");
    for (const char* kind : {"serial", "console"})
        for (pugi::xml_node device : devices.children(kind))
            if (pugi::xml_node log = device.child("log"))
                (log.attribute("append") ? log.attribute("append") : log.append_attribute("append")) = "on";
    return to_string(doc);
}

}  // namespace vmctl
