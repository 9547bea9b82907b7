#include "vmctl/ops/image.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/core/size.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"
#include "vmctl/host/qemu_img.h"
#include "vmctl/host/shell.h"
#include "vmctl/host/spawn.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/rollback.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace vmctl::ops {
namespace {

std::vector<std::string> users_of(Hypervisor& hv, const std::string& image) {
    std::vector<std::string> users;
    for (const auto& vm : hv.list_domains())
        if (vm.metadata.image == image)
            users.push_back(vm.name);
    return users;
}

// Refuses a name an image has, or a built-in image will have once built.
void check_new_image_name(const Environment& env, const std::string& image) {
    validate_name("image", image);  // image names follow the same rule as VM names
    for (const auto& existing : host::list_images(env.paths.image_dirs))
        if (existing.name == image)
            throw Error(ErrorKind::AlreadyExists, fmt::format("an image named '{}' already exists", image),
                        "choose another name, or see them with 'vmctl image list'");
    const auto recipes = host::recipe_images();
    if (std::find(recipes.begin(), recipes.end(), image) != recipes.end())
        throw Error(ErrorKind::AlreadyExists, fmt::format("'{}' is the name of a built-in image", image),
                    "choose another name");
}

// What qemu-img makes of a file a user wants to import: a qcow2 or raw image
// standing alone, else Error(InvalidArgument) naming the problem.
// `path` is read; `file` is the name the user gave, for messages.
host::DiskLayer read_import_format(const std::string& path, const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorKind::InvalidArgument, fmt::format("'{}' is not a file", file),
                    "give the path of a cloud image, e.g. debian-12-genericcloud-amd64.qcow2");
    std::string output;
    if (host::run_qemu_img(fmt::format("info --output=json {}", host::shell_quote(path)), output) != 0)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' is not a disk image qemu-img can read: {}", file,
                                output.substr(0, output.find('\n'))),
                    "check that the download finished and the file is a qcow2 or raw image");
    const auto layers = host::parse_backing_chain(output);
    const host::DiskLayer info = layers.empty() ? host::DiskLayer{} : layers.front();
    if (info.format != "qcow2" && info.format != "raw")
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' is a {} image; vmctl imports qcow2 and raw", file, info.format),
                    fmt::format("convert it first: qemu-img convert -O qcow2 {} image.qcow2", file));
    if (!info.backing.empty())
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' is an overlay on another file ({})", file, info.backing),
                    fmt::format("make it whole first: qemu-img convert -O qcow2 {} image.qcow2", file));
    return info;
}

void require_boot_sector(const std::string& path, const std::string& file) {
    // qemu-img calls any file raw: a disk a PC firmware boots starts with a
    // boot sector (an MBR, or GPT's protective MBR) ending in 55 AA.
    std::ifstream in(path, std::ios::binary);
    std::array<char, 512> sector{};
    in.read(sector.data(), sector.size());
    if (in.gcount() != 512 || static_cast<unsigned char>(sector[510]) != 0x55 ||
        static_cast<unsigned char>(sector[511]) != 0xAA)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' is not a bootable disk image: it has no boot sector (qemu-img reads any file "
                                "as raw)",
                                file),
                    "give a cloud image (.qcow2, or .raw/.img with a partition table)");
}

void inspect_import(const std::string& path, const std::string& file) {
    const host::DiskLayer info = read_import_format(path, file);
    if (info.format == "raw")
        require_boot_sector(path, file);
    if (info.virtual_bytes < kMinDiskBytes || info.virtual_bytes > kMaxDiskBytes)
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("'{}' is a disk of {}; an image must be between {} and {}", file,
                                format_size(info.virtual_bytes), format_size(kMinDiskBytes),
                                format_size(kMaxDiskBytes)),
                    "check that it is the whole image");
    if (info.format == "qcow2") {
        std::string output;
        // 3: only leaked clusters, harmless space; 2: corrupt; 1: not checkable
        if (const int status = host::run_qemu_img(fmt::format("check -q {}", host::shell_quote(path)), output);
            status != 0 && status != 3)
            throw Error(ErrorKind::InvalidArgument,
                        fmt::format("'{}' is damaged or truncated (qemu-img check: {})", file,
                                    output.substr(0, output.find('\n'))),
                        "download it again and compare its checksum");
    }
}

}  // namespace

host::ImageFiles import_image(Hypervisor& hv, const Environment& env, const std::string& image,
                              const std::string& file, bool cloud_init) {
    check_new_image_name(env, image);
    host::make_dirs(env.paths.golden_dir);
    hv.ensure_pool(host::kImagePoolName, env.paths.golden_dir);
    const std::string disk = env.paths.golden_dir + "/" + image + ".qcow2";
    std::error_code ec;
    if (hv.volume_by_path(disk) || std::filesystem::exists(disk, ec))
        throw Error(ErrorKind::AlreadyExists, fmt::format("a disk named '{}' is left in the image pool", disk),
                    fmt::format("if no image uses it, remove it with 'virsh vol-delete --pool {} {}.qcow2'",
                                host::kImagePoolName, image));
    Rollback rollback;
    const std::string part = disk + ".part";
    const std::string fetched = disk + ".import";
    rollback.add("remove the copies", [disk, part, fetched] {
        std::error_code ignored;
        std::filesystem::remove(part, ignored);
        std::filesystem::remove(fetched, ignored);
        std::filesystem::remove(disk, ignored);
    });
    // Under sudo, root reads only what the student could: the file is first
    // copied as the student (a classmate's VM disk or root's files are refused
    // there), and only that copy is inspected and imported.
    std::string source = file;
    if (host::invoking_user().via_sudo) {
        host::copy_named_file(file, "image file", fetched);
        source = fetched;
    }
    inspect_import(source, file);
    std::string output;
    if (host::run_qemu_img(
            fmt::format("convert -q -O qcow2 {} {}", host::shell_quote(source), host::shell_quote(part)), output) != 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not copy '{}': {}", file, host::first_line(output)),
                    "check that the disk has room for it");
    // Read-only on the host too: VMs are overlays on it.
    std::filesystem::permissions(part,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                     std::filesystem::perms::others_read,
                                 ec);
    std::filesystem::rename(part, disk, ec);
    if (ec)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not move the copy to {}: {}", disk, ec.message()),
                    "check that the disk is not full");
    std::filesystem::remove(fetched, ec);
    hv.ensure_pool(host::kImagePoolName, env.paths.golden_dir);  // a refresh: the new volume is known

    host::ImageFiles imported;
    imported.name = image;
    imported.dir = env.paths.image_dirs.front() + "/" + image;
    imported.imported = true;
    imported.cloud_init = cloud_init;
    imported.base_image = image;
    imported.base_disk = disk;
    imported.source_file = std::filesystem::absolute(file).string();
    imported.created_at = now_iso8601();
    rollback.add("remove the image's record", [&env, dir = imported.dir] {
        std::error_code ignored;
        if (std::filesystem::exists(dir, ignored))
            host::remove_image_dir(dir, env.paths.image_dirs);
    });
    host::write_imported_descriptor(env.paths.image_dirs.front(), imported);
    rollback.commit();
    return imported;
}

int build_image(const std::string& image, const Progress& progress) {
    const auto recipes = host::recipe_images();
    if (std::find(recipes.begin(), recipes.end(), image) == recipes.end())
        throw Error(ErrorKind::ImageMissing, fmt::format("there is no recipe for an image '{}'", image),
                    fmt::format("the built-in images are: {}; golden images come from 'vmctl image create', "
                                "cloud images from 'vmctl image import'",
                                fmt::join(recipes, ", ")));
    // Root builds the class's shared images; a student with sudo for the labs
    // would spend minutes of everyone's CPU.
    host::require_instructor(fmt::format("building the shared image '{}'", image),
                             "ask your instructor, or build your own without sudo when the recipe allows it (tiny)");
    const std::string script = host::build_command(image);
    progress(fmt::format("building '{}' with {}", image, script));
    const int status = host::run_program({script}, host::Stdio::Inherit);
    if (status != 0)
        throw Error(ErrorKind::OperationFailed, fmt::format("building the image '{}' failed (exit {})", image, status),
                    "its own messages are above; run it again once fixed (what was done is cached)");
    return 0;
}

host::ImageFiles create_image(Hypervisor& hv, const Environment& env, const std::string& image,
                              const std::string& from_vm) {
    check_new_image_name(env, image);

    const DomainFacts facts = parse_domain_xml(hv.domain_xml(from_vm));
    if (hv.domain_state(from_vm) != DomainState::ShutOff)
        throw Error(ErrorKind::InvalidState,
                    fmt::format("VM '{}' is running; its disk changes while it would be copied", from_vm),
                    fmt::format("stop it first with 'vmctl stop {}'", from_vm));
    const auto disk = std::find_if(facts.disks.begin(), facts.disks.end(),
                                   [](const DiskFacts& d) { return d.device == "disk" && !d.path.empty(); });
    if (disk == facts.disks.end())
        throw Error(ErrorKind::InvalidState, fmt::format("VM '{}' has no disk to make an image from", from_vm), {});
    const std::string base_image = facts.metadata.image.empty() ? "tiny" : facts.metadata.image;
    const host::ImageFiles boot = host::find_image(base_image, env.paths.image_dirs);

    Rollback rollback;
    hv.ensure_pool(host::kImagePoolName, env.paths.golden_dir);
    const VolumeFacts copy = hv.copy_volume(host::kImagePoolName, image + ".qcow2", disk->path);
    rollback.add("remove the image's disk", [&hv, path = copy.path] { hv.delete_volume(path); });
    // Read-only on the host too: a golden disk under linked clones must never change.
    std::error_code ec;
    std::filesystem::permissions(copy.path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                     std::filesystem::perms::others_read,
                                 ec);

    host::ImageFiles golden = boot;
    golden.name = image;
    golden.dir = env.paths.image_dirs.front() + "/" + image;
    golden.golden = true;
    golden.base_disk = copy.path;
    golden.from_vm = from_vm;
    golden.created_at = now_iso8601();
    // A golden image made from another golden image still boots the recipe's
    // kernel: boot.base_image is always a recipe image.
    host::write_golden_descriptor(env.paths.image_dirs.front(), golden);
    rollback.commit();
    return golden;
}

std::vector<ImageUse> list_images(Hypervisor& hv, const Environment& env) {
    std::vector<ImageUse> result;
    const auto domains = hv.list_domains();
    for (const auto& image : host::list_images(env.paths.image_dirs)) {
        ImageUse use{image, 0, {}};
        if (!image.base_disk.empty()) {  // golden, imported, and debian-12's root disk
            std::error_code ec;
            if (auto volume = hv.volume_by_path(image.base_disk))
                use.disk_bytes = volume->allocation_bytes;
            else if (const auto bytes = std::filesystem::file_size(image.base_disk, ec); !ec)
                use.disk_bytes = bytes;
        }
        for (const auto& vm : domains)
            if (vm.metadata.image == image.name)
                use.used_by.push_back(vm.name);
        result.push_back(std::move(use));
    }
    return result;
}

std::set<std::string> defined_disks(Hypervisor& hv, const std::string& name, const std::string& live_xml) {
    std::set<std::string> disks;
    for (const auto& read : {&Hypervisor::domain_xml, &Hypervisor::domain_config_xml}) {
        std::string xml = read == &Hypervisor::domain_xml ? live_xml : "";
        try {
            if (xml.empty())
                xml = (hv.*read)(name);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::NotFound)
                throw;
            continue;  // gone since it was listed
        }
        for (const auto& disk : parse_domain_xml(xml).disks)
            if (!disk.path.empty())
                disks.insert(disk.path);
    }
    return disks;
}

UseElsewhere use_on(const std::vector<std::pair<std::string, Hypervisor*>>& hosts) {
    UseElsewhere use;
    for (const auto& [name, hv] : hosts) {
        if (hv == nullptr) {
            use.unreachable.push_back(name);
            continue;
        }
        try {
            for (const auto& vm : hv->list_domains()) {
                if (!vm.metadata.image.empty())
                    use.image_users[vm.metadata.image].push_back(fmt::format("{}/{}", name, vm.name));
                use.disks.merge(defined_disks(*hv, vm.name));
            }
        } catch (const Error&) {
            use.unreachable.push_back(name);
        }
    }
    return use;
}

void delete_image(Hypervisor& hv, const Environment& env, const std::string& image, const UseElsewhere& elsewhere) {
    const host::ImageFiles files = host::find_image(image, env.paths.image_dirs);
    if (!files.golden && !files.imported)
        throw Error(ErrorKind::InvalidState, fmt::format("'{}' is a built-in image made from a recipe", image),
                    fmt::format("it is rebuilt by {}; only golden and imported images are deleted",
                                host::build_command(image)));
    auto users = users_of(hv, image);
    if (const auto there = elsewhere.image_users.find(image); there != elsewhere.image_users.end())
        users.insert(users.end(), there->second.begin(), there->second.end());
    if (!users.empty())
        throw Error(ErrorKind::InvalidState,
                    fmt::format("image '{}' is used by {} VM(s): {}", image, users.size(), fmt::join(users, ", ")),
                    "their disks are linked to it; delete those VMs first");
    // A golden image made from a VM of an imported image boots the way that
    // image says (its own loader, cloud-init or not): it needs it kept.
    if (files.imported)
        for (const auto& other : host::list_images(env.paths.image_dirs))
            if (other.golden && other.base_image == image)
                throw Error(ErrorKind::InvalidState,
                            fmt::format("golden image '{}' was made from a VM of image '{}' and boots like it",
                                        other.name, image),
                            fmt::format("delete '{}' first ('vmctl image delete {}')", other.name, other.name));
    if (!elsewhere.unreachable.empty())
        throw Error(ErrorKind::InvalidState,
                    fmt::format("host(s) {} do not answer: VMs there may use image '{}'",
                                fmt::join(elsewhere.unreachable, ", "), image),
                    "bring them up ('vmctl hosts list' shows them), or remove a real host you no longer use with "
                    "'vmctl hosts remove'");
    host::require_inside(files.base_disk, {env.paths.golden_dir});
    if (hv.volume_by_path(files.base_disk))
        hv.delete_volume(files.base_disk);
    std::error_code ec;
    std::filesystem::remove(files.base_disk, ec);  // a pool not refreshed since the import does not list it
    host::remove_image_dir(files.dir, env.paths.image_dirs);
}

}  // namespace vmctl::ops
