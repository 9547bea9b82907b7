#include "vmctl/ops/clone.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/files.h"
#include "vmctl/host/images.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/ssh_keys.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/image.h"
#include "vmctl/ops/network.h"
#include "vmctl/ops/rollback.h"
#include "vmctl/ops/snapshot.h"
#include "vmctl/ops/usage.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace vmctl::ops {

namespace {

// "SOURCE-base-": golden images of `source` are named this and a UTC stamp
// (15 characters); a long source name is cut so the name stays within 63.
std::string base_prefix(const std::string& source) {
    std::string prefix = source.substr(0, 63 - std::string_view("-base-").size() - 15);
    while (!prefix.empty() && prefix.back() == '-')
        prefix.pop_back();
    return prefix + "-base-";
}

// A golden image made from `source` by an earlier linked clone, if the
// source's disk has not been written since: the new clone can share it.
std::optional<host::ImageFiles> unchanged_base(const Environment& env, const std::string& source,
                                               const std::string& source_disk) {
    std::error_code ec;
    const auto disk_time = std::filesystem::last_write_time(source_disk, ec);
    if (ec)
        return std::nullopt;
    for (const auto& image : host::list_images(env.paths.image_dirs)) {
        if (!image.golden || image.from_vm != source || image.name.rfind(base_prefix(source), 0) != 0)
            continue;
        const auto base_time = std::filesystem::last_write_time(image.base_disk, ec);
        if (!ec && base_time >= disk_time)
            return image;
    }
    return std::nullopt;
}

}  // namespace

VmSpec clone_spec(const DomainFacts& source, const std::string& target) {
    VmSpec spec;
    spec.name = target;
    spec.vcpus = source.vcpus;
    spec.max_vcpus = source.max_vcpus;
    spec.memory_bytes = source.memory_bytes;
    spec.max_memory_bytes = source.max_memory_bytes;
    spec.accel = accel_of(source);
    spec.chipset = chipset_of_machine(source.machine) == "pc" ? Chipset::Pc : Chipset::Q35;
    spec.startup_script = source.startup_script;
    spec.metadata = source.metadata;
    spec.metadata.created_at = now_iso8601();
    spec.metadata.network.clear();
    spec.metadata.mac.clear();
    spec.metadata.labels.erase("kind");  // a pet's clone is not a pet until protected
    return spec;
}

CloneResult clone_vm(Hypervisor& hv, const Environment& env, const CloneOptions& options, const Progress& progress) {
    validate_vm_name(options.target);
    const DomainFacts source = parse_domain_xml(hv.domain_xml(options.source));
    if (hv.domain_exists(options.target))
        throw Error(ErrorKind::AlreadyExists, fmt::format("a VM named '{}' already exists", options.target),
                    "choose another name for the clone");
    if (hv.domain_state(options.source) != DomainState::ShutOff)
        throw Error(ErrorKind::InvalidState,
                    fmt::format("VM '{}' is running; a running VM's disk changes while it is copied", options.source),
                    fmt::format("stop it first with 'vmctl stop {}', then clone it", options.source));
    const auto disk = std::find_if(source.disks.begin(), source.disks.end(), [](const DiskFacts& d) {
        return d.device == "disk" && !d.path.empty() && !is_seed_disk(d);
    });
    // Set up by cloud-init: the clone gets a seed of its own, so that its
    // cloud-init runs again (its hostname, new SSH host keys, the startup script).
    const ReadySignal ready_signal = ready_signal_of(env, source);
    const bool cloud_init = ready_signal.cloud_init;
    if (disk == source.disks.end())
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' has no disk to clone", options.source), {});

    CloneResult result;
    Rollback rollback;
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    const std::string volume_name = options.target + "-disk0.qcow2";
    VmSpec spec = clone_spec(source, options.target);
    for (const auto& [key, value] : env.session_labels)
        spec.metadata.labels[key] = value;
    // The clone joins the source's network with a MAC of its own: a server's
    // copy is a server too.
    if (const std::string network = network_of(source); !network.empty()) {
        spec.nic = choose_nic(hv, env, {NetworkRequest::Kind::Named, network}, options.target, progress);
        spec.metadata.network = spec.nic.network;
        spec.metadata.mac = spec.nic.mac;
        if (!spec.nic.network.empty())
            spec.ssh_authorized_keys = host::ssh_key(env.paths).public_key + "\n";
    }
    if (options.linked) {
        host::ImageFiles image;
        if (auto reusable = unchanged_base(env, options.source, disk->path)) {
            image = *reusable;
            progress(fmt::format("reusing golden image '{}': the disk of '{}' has not changed since", image.name,
                                 options.source));
        } else {
            const std::string base_name = base_prefix(options.source) + utc_stamp_now();
            progress(fmt::format("freezing the disk of '{}' as golden image '{}'", options.source, base_name));
            image = create_image(hv, env, base_name, options.source);
            rollback.add("remove the golden image", [&hv, &env, name = image.name] { delete_image(hv, env, name); });
        }
        result.base_image = image.name;
        const auto base = hv.volume_by_path(image.base_disk);
        const VolumeFacts volume = hv.create_overlay_volume(host::kPoolName, volume_name,
                                                            base ? base->capacity_bytes : 0, image.base_disk);
        result.disk_path = volume.path;
        spec.metadata.image = image.name;
    } else {
        progress(fmt::format("copying the disk of '{}'", options.source));
        result.disk_path = hv.copy_volume(host::kPoolName, volume_name, disk->path).path;
    }
    // The rollback of the golden image runs after this one: the overlay goes first.
    rollback.add("remove the clone's disk", [&hv, path = result.disk_path] { hv.delete_volume(path); });

    host::make_dirs(env.paths.logs_dir);
    DomainFiles files{source.kernel,
                      source.initrd,
                      source.kernel_args,
                      result.disk_path,
                      env.paths.logs_dir + "/" + options.target + ".serial.log",
                      source.firmware,
                      agent_socket_path(env, options.target)};
    if (cloud_init)
        files.seed = make_seed_disk(hv, env, {options.target, source.startup_script, {}}, rollback);
    hv.define_domain(build_domain_xml(spec, files));
    rollback.add("remove the clone's definition", [&hv, name = options.target] { hv.undefine_domain(name); });
    if (options.start) {
        hv.start_domain(options.target);
        rollback.add("stop the clone", [&hv, name = options.target] { hv.destroy_domain(name); });
        // The clone says it is up as its source does, if it says so at all.
        if (cloud_init)
            progress(cloud_init_wait_message(options.target, spec.accel));
        if (ready_signal.says_when_up())
            result.ready = wait_for_ready(hv, options.target, files.serial_log,
                                          ready_timeout(cloud_init, options.ready_timeout), {},
                                          ready_signal.imported_image);
        else
            progress(no_ready_signal_message(source.metadata.image, options.target));
    }
    rollback.commit();
    record_usage(hv, env, options.target, "create");
    if (cloud_init && result.ready)
        check_cloud_init_result(options.target, read_cloud_init_report(host::read_file_or(files.serial_log, "")));
    return result;
}

}  // namespace vmctl::ops
