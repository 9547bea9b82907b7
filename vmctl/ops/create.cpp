#include "vmctl/ops/create.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/machine_type.h"
#include "vmctl/core/names.h"
#include "vmctl/core/size.h"
#include "vmctl/core/snapshot.h"
#include "vmctl/core/stable_hash.h"
#include "vmctl/host/files.h"
#include "vmctl/host/images.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/seed_disk.h"
#include "vmctl/host/ssh_keys.h"
#include "vmctl/ops/network.h"
#include "vmctl/ops/rollback.h"
#include "vmctl/ops/usage.h"
#include "vmctl/ops/wait.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>

namespace vmctl::ops {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void check_script(const std::string& script) {
    if (script.size() > kMaxStartupScriptBytes)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("the startup script is {} bytes; the limit is {}", script.size(),
                                kMaxStartupScriptBytes),
                    "keep the startup script short, or have it fetch the rest");
    for (unsigned char c : script) {
        // XML cannot carry most control characters; a text script has none.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
            throw Error(ErrorKind::InvalidArgument, "the startup script contains binary (control) characters",
                        "give a plain text shell script");
    }
}

// A VM on a golden image sees at least the golden disk's size.
std::uint64_t overlay_capacity(Hypervisor& hv, const host::ImageFiles& image, std::uint64_t wanted) {
    const auto base = hv.volume_by_path(image.base_disk);
    if (!base)
        throw Error(ErrorKind::ImageMissing,
                    fmt::format("the disk of golden image '{}' is missing: {}", image.name, image.base_disk),
                    fmt::format("remove the image with 'vmctl image delete {}' and make it again", image.name));
    return std::max(wanted, base->capacity_bytes);
}

// The VM's own disk: a copy of the image's pre-formatted data disk when the
// size matches (the guest skips formatting it), else a blank volume the guest
// formats at first boot. A copy, not an overlay, so that rebuilding the image
// never changes the disk of an existing VM.
VolumeFacts new_data_volume(Hypervisor& hv, const host::ImageFiles& image, const std::string& volume_name,
                            std::uint64_t bytes) {
    if (!image.data_disk.empty() && image.data_disk_bytes == bytes) {
        try {
            hv.ensure_pool(host::image_pool_name(image.name), image.dir);
            return hv.copy_volume(host::kPoolName, volume_name, image.data_disk);
        } catch (const Error& e) {
            spdlog::info("a blank disk instead of the pre-formatted one ({})", e.what());
        }
    }
    return hv.create_volume(host::kPoolName, volume_name, bytes);
}

// What cloud-init can and cannot do for this image with these options;
// throws Error(InvalidArgument) before anything is made.
void check_cloud_init_options(const host::ImageFiles& image, const CreateOptions& options) {
    if (!options.cloud_init.empty() && !options.startup_script.empty())
        throw Error(ErrorKind::InvalidArgument, "--cloud-init and --startup-script were both given",
                    "give one: put the script in the user-data file's runcmd, or use --startup-script alone");
    if (image.cloud_init)
        return;
    if (!options.cloud_init.empty())
        throw Error(ErrorKind::InvalidArgument, fmt::format("the image '{}' has no cloud-init to read --cloud-init",
                                                            image.name),
                    image.imported ? "give it a --startup-script only if the image has cloud-init (import it again "
                                     "without --no-cloud-init)"
                                   : "use --image debian-12, or --startup-script for a shell script");
    if (image.imported && !options.startup_script.empty())
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("the image '{}' was imported without cloud-init: nothing in it would run a "
                                "startup script",
                                image.name),
                    "leave out --startup-script, or import an image that has cloud-init");
}

}  // namespace

// The VM stays: a student fixes the script with it at hand.
void check_cloud_init_result(const std::string& name, const CloudInitReport& report) {
    if (report.startup_exit && *report.startup_exit != 0)
        throw Error(ErrorKind::StartupFailed,
                    fmt::format("VM '{}' is up, but its startup script failed (exit {}); the VM stays for you to "
                                "look",
                                name, *report.startup_exit),
                    fmt::format("its output is in 'vmctl logs {0}' (lines 'startup: ...'); 'vmctl ssh {0}' logs "
                                "you in; once fixed, 'vmctl delete {0}' and create it again",
                                name));
    if (report.status == "error")
        throw Error(ErrorKind::StartupFailed,
                    fmt::format("VM '{}' is up, but cloud-init reported an error; the VM stays for you to look", name),
                    fmt::format("see 'vmctl exec {0} -- cloud-init status --long' and 'vmctl logs {0}'", name));
}

std::string make_seed_disk(Hypervisor& hv, const Environment& env, const SeedDiskRequest& seed,
                           Rollback& rollback) {
    const std::string volume = seed.vm_name + "-seed.qcow2";
    const std::string path = env.paths.pool_dir + "/" + volume;
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        throw Error(ErrorKind::AlreadyExists, fmt::format("a seed disk '{}' is left with no VM using it", path),
                    fmt::format("if you do not need it, remove it with 'virsh vol-delete --pool {} {}'",
                                host::kPoolName, volume));
    CloudInitRequest request;
    request.vm_name = seed.vm_name;
    request.instance_id = fmt::format("{}-{}", seed.vm_name, std::time(nullptr));
    request.ssh_keys = host::ssh_key(env.paths).public_key;
    request.startup_script = seed.startup_script;
    request.user_data = seed.user_data;
    host::write_seed_disk(build_cloud_init_seed(request), path);
    rollback.add("remove the seed disk", [&hv, path] {
        if (hv.volume_by_path(path))
            hv.delete_volume(path);
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    });
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);  // a refresh: libvirt knows it as the VM's volume
    return path;
}

bool is_seed_disk(const DiskFacts& disk) {
    constexpr std::string_view suffix = "-seed.qcow2";
    return disk.path.size() > suffix.size() && disk.path.ends_with(suffix);
}

Accel accel_of(const DomainFacts& vm) { return vm.type == "kvm" ? Accel::Kvm : Accel::Tcg; }

std::string cloud_init_wait_message(const std::string& name, Accel accel) {
    return fmt::format("waiting for '{}' to boot and for cloud-init to finish (a whole OS under {}: a minute or more; "
                       "'vmctl logs {} -f' shows it)...",
                       name, accel_name(accel), name);
}

ReadySignal ready_signal_of(const Environment& env, const DomainFacts& vm) {
    ReadySignal signal;
    signal.cloud_init = std::any_of(vm.disks.begin(), vm.disks.end(), is_seed_disk);
    if (!vm.metadata.image.empty()) {
        const auto images = host::list_images(env.paths.image_dirs);
        signal.imported_image = std::any_of(images.begin(), images.end(), [&](const host::ImageFiles& image) {
            return image.imported && image.name == vm.metadata.image;
        });
    }
    return signal;
}

std::string no_ready_signal_message(const std::string& image, const std::string& name) {
    return fmt::format("the image '{}' has no cloud-init: not waiting for '{}' to boot; no SSH key or startup script "
                       "is applied (see 'vmctl console {}')",
                       image, name, name);
}

std::string now_iso8601() { return format_utc(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ"); }

ResolvedSpec resolve_spec(const CreateOptions& options, const HostCpuFacts& cpu, const std::string& now_iso) {
    validate_vm_name(options.name);
    VmSpec spec;
    spec.name = options.name;
    spec.vcpus = kDefaultVcpus;
    spec.memory_bytes = kDefaultMemoryBytes;
    if (!options.machine_type.empty()) {
        const MachineType& type = find_machine_type(options.machine_type);
        spec.vcpus = type.vcpus;
        spec.memory_bytes = type.memory_bytes;
        spec.metadata.machine_type = std::string(type.name);
    }
    if (options.vcpus) {
        if (*options.vcpus < 1 || *options.vcpus > kMaxVcpus)
            throw Error(ErrorKind::InvalidArgument, fmt::format("--cpus {} is out of range", *options.vcpus),
                        fmt::format("choose between 1 and {}", kMaxVcpus));
        spec.vcpus = *options.vcpus;
    }
    if (options.memory_bytes)
        spec.memory_bytes = *options.memory_bytes;
    check_size_range(spec.memory_bytes, kMinMemoryBytes, kMaxMemoryBytes, "--memory");
    // The maximums are fixed at definition; by default leave room to grow.
    spec.max_vcpus = options.max_vcpus.value_or(std::min(std::max(2 * spec.vcpus, 2U), kMaxVcpus));
    if (spec.max_vcpus < spec.vcpus || spec.max_vcpus > kMaxVcpus)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--max-cpus {} is out of range", spec.max_vcpus),
                    fmt::format("choose between --cpus ({}) and {}", spec.vcpus, kMaxVcpus));
    spec.max_memory_bytes = options.max_memory_bytes.value_or(std::min(2 * spec.memory_bytes, kMaxMemoryBytes));
    if (spec.max_memory_bytes < spec.memory_bytes)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("--max-memory {} is below --memory {}", format_size(spec.max_memory_bytes),
                                format_size(spec.memory_bytes)),
                    "the maximum must be at least the starting memory");
    check_size_range(spec.max_memory_bytes, kMinMemoryBytes, kMaxMemoryBytes, "--max-memory");
    spec.disk_bytes = options.disk_bytes != 0 ? options.disk_bytes : kDefaultDiskBytes;
    check_size_range(spec.disk_bytes, kMinDiskBytes, kMaxDiskBytes, "--disk-size");
    check_script(options.startup_script);
    spec.startup_script = options.startup_script;

    const AccelChoice accel = choose_accel(options.accel, cpu);
    spec.accel = accel.accel;
    spec.chipset = options.chipset;
    spec.metadata.image = options.image;
    spec.metadata.created_at = now_iso;
    spec.metadata.labels = options.labels;
    if (options.protect)
        spec.metadata.labels["kind"] = "pet";
    return {spec, accel};
}


CreateResult create_vm(Hypervisor& hv, const Environment& env, const CreateOptions& options,
                       const Progress& progress) {
    ResolvedSpec resolved = resolve_spec(options, env.cpu, now_iso8601());
    resolved.spec.metadata.labels.insert(env.session_labels.begin(), env.session_labels.end());
    const VmSpec& spec = resolved.spec;
    const host::ImageFiles image = host::find_image(options.image, env.paths.image_dirs);
    check_cloud_init_options(image, options);
    if (!options.cloud_init.empty())
        check_user_data(options.cloud_init, "--cloud-init");
    if (hv.domain_exists(spec.name))
        throw Error(ErrorKind::AlreadyExists, fmt::format("a VM named '{}' already exists", spec.name),
                    fmt::format("choose another name, or remove it first with 'vmctl delete {} --force'", spec.name));

    resolved.spec.nic = choose_nic(hv, env, options.network, spec.name, progress);
    resolved.spec.metadata.network = spec.nic.network;
    resolved.spec.metadata.mac = spec.nic.mac;
    if (!spec.nic.network.empty())
        resolved.spec.ssh_authorized_keys = host::ssh_key(env.paths).public_key + "\n";

    CreateResult result;
    result.name = spec.name;
    result.accel = resolved.accel;
    result.nic = spec.nic;
    result.cloud_init = image.cloud_init;
    result.imported_image = image.imported;
    progress(fmt::format("accelerator: {}", resolved.accel.reason));

    Rollback rollback;
    host::make_dirs(env.paths.logs_dir);
    hv.ensure_pool(host::kPoolName, env.paths.pool_dir);
    const std::string volume_name = spec.name + "-disk0.qcow2";
    if (hv.volume_by_path(env.paths.pool_dir + "/" + volume_name))
        throw Error(ErrorKind::AlreadyExists,
                    fmt::format("a disk named '{}' is left in pool '{}' with no VM using it", volume_name,
                                host::kPoolName),
                    fmt::format("if you do not need it, remove it with 'virsh vol-delete --pool {} {}'",
                                host::kPoolName, volume_name));
    if (!image.base_disk.empty() && !image.golden) {  // its disk, as a volume libvirt knows
        if (image.imported)
            hv.ensure_pool(host::kImagePoolName, env.paths.golden_dir);
        else
            hv.ensure_pool(host::image_pool_name(image.name), image.dir);
    }
    const VolumeFacts volume = image.base_disk.empty()
                                   ? new_data_volume(hv, image, volume_name, spec.disk_bytes)
                                   : hv.create_overlay_volume(host::kPoolName, volume_name,
                                                              overlay_capacity(hv, image, spec.disk_bytes),
                                                              image.base_disk);
    rollback.add("remove the disk volume", [&hv, path = volume.path] { hv.delete_volume(path); });
    result.disk_path = volume.path;

    DomainFiles files;
    // Through the read-only view where prepare-host made one: libvirt then
    // cannot give the shared kernel and initrd to the QEMU user.
    files.kernel = host::boot_file_path(image.kernel);
    files.initrd = host::boot_file_path(image.initrd);
    files.kernel_args = image.kernel_args;
    files.disk = volume.path;
    if (image.cloud_init)
        files.seed = make_seed_disk(hv, env, {spec.name, options.startup_script, options.cloud_init}, rollback);
    files.serial_log = env.paths.logs_dir + "/" + spec.name + ".serial.log";
    files.agent_socket = agent_socket_path(env, spec.name);
    // The fast firmware goes with the fast board; --chipset pc keeps the
    // SeaBIOS it always had, so that it still shows the boot from before.
    // An imported image boots its own loader: SeaBIOS, which reads disks.
    if (spec.chipset == Chipset::Q35 && !image.kernel.empty())
        files.firmware = env.firmware;
    const std::string failed_boot_log = env.paths.logs_dir + "/" + spec.name + ".failed-boot.log";
    result.serial_log = files.serial_log;
    rollback.add("remove the serial log", [path = files.serial_log] {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    });

    auto started_at = Clock::now();
    hv.define_domain(build_domain_xml(spec, files));
    rollback.add("remove the VM definition", [&hv, name = spec.name] { hv.undefine_domain(name); });
    result.define_seconds = seconds_since(started_at);

    started_at = Clock::now();
    hv.start_domain(spec.name);
    rollback.add("stop the VM", [&hv, name = spec.name] {
        if (hv.domain_state(name) != DomainState::ShutOff)
            hv.destroy_domain(name);
    });
    result.start_seconds = seconds_since(started_at);

    const bool can_wait = ReadySignal{image.cloud_init, image.imported}.says_when_up();
    if (options.wait && !can_wait)
        progress(no_ready_signal_message(image.name, spec.name));
    if (options.wait && can_wait) {
        progress(image.cloud_init
                     ? cloud_init_wait_message(spec.name, resolved.accel.accel)
                     : fmt::format("waiting for '{}' to boot ({} guests take a few seconds)...", spec.name,
                                   accel_name(resolved.accel.accel)));
        started_at = Clock::now();
        ReadyWait ready;
        try {
            const auto timeout = ready_timeout(image.cloud_init, options.ready_timeout);
            // debian-12 prints the ready line once cloud-init is done; an
            // imported image only cloud-init's final message.
            ready = wait_for_ready(hv, spec.name, files.serial_log, timeout, {}, image.imported);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Interrupted)
                throw Error(e.kind(), fmt::format("interrupted while '{}' booted; it was removed again, nothing of it "
                                                  "is left",
                                                  spec.name),
                            "run the same create again when you are ready");
            // The rollback removes the VM: say so, and keep its console for the why.
            const std::string& kept = failed_boot_log;
            std::error_code ec;
            std::filesystem::copy_file(files.serial_log, kept, std::filesystem::copy_options::overwrite_existing, ec);
            throw Error(e.kind(), fmt::format("{}; it was removed again, nothing of it is left", e.what()),
                        ec ? fmt::format("try again with a longer --timeout, or see 'vmctl doctor'")
                           : fmt::format("its console is kept in {}: read it for why ('less {}'), or try a longer "
                                         "--timeout",
                                         kept, kept));
        }
        result.boot_seconds = seconds_since(started_at);
        result.ready_line = ready.line;
        result.ready = ready.parsed;
        if (image.cloud_init) {
            result.cloud_init_report = read_cloud_init_report(host::read_file_or(files.serial_log, ""));
        }
    }
    rollback.commit();
    record_usage(hv, env, spec.name, "create");
    std::error_code ec;
    std::filesystem::remove(failed_boot_log, ec);  // an earlier try's, now answered
    if (result.cloud_init)
        check_cloud_init_result(result.name, result.cloud_init_report);
    return result;
}

std::string agent_socket_path(const Environment& env, const std::string& vm_name) {
    if (host::is_root())
        return {};
    const std::string dir = env.paths.data_dir + "/agent";
    host::make_private_dir(dir);
    // 16 hex digits, whatever the name's length.
    return fmt::format("{}/{:016x}.sock", dir, stable_hash(vm_name));
}

}  // namespace vmctl::ops
