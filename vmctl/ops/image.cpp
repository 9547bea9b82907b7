#include "vmctl/ops/image.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/rollback.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace vmctl::ops {
namespace {

std::vector<std::string> users_of(Hypervisor& hv, const std::string& image) {
    std::vector<std::string> users;
    for (const auto& vm : hv.list_domains())
        if (vm.metadata.image == image)
            users.push_back(vm.name);
    return users;
}

}  // namespace

host::ImageFiles create_image(Hypervisor& hv, const Environment& env, const std::string& image,
                              const std::string& from_vm) {
    validate_name("image", image);  // image names follow the same rule as VM names
    for (const auto& existing : host::list_images(env.paths.image_dirs))
        if (existing.name == image)
            throw Error(ErrorKind::AlreadyExists, fmt::format("an image named '{}' already exists", image),
                        "choose another name, or see them with 'vmctl image list'");
    const auto recipes = host::recipe_images();
    if (std::find(recipes.begin(), recipes.end(), image) != recipes.end())
        throw Error(ErrorKind::AlreadyExists, fmt::format("'{}' is the name of a built-in image", image),
                    "choose another name");

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
        if (image.golden)
            if (auto volume = hv.volume_by_path(image.base_disk))
                use.disk_bytes = volume->allocation_bytes;
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
    if (!files.golden)
        throw Error(ErrorKind::InvalidState, fmt::format("'{}' is a built-in image made from a recipe", image),
                    fmt::format("it is rebuilt by {}; only golden images are deleted", host::build_command(image)));
    auto users = users_of(hv, image);
    if (const auto there = elsewhere.image_users.find(image); there != elsewhere.image_users.end())
        users.insert(users.end(), there->second.begin(), there->second.end());
    if (!users.empty())
        throw Error(ErrorKind::InvalidState,
                    fmt::format("image '{}' is used by {} VM(s): {}", image, users.size(), fmt::join(users, ", ")),
                    "their disks are linked to it; delete those VMs first");
    if (!elsewhere.unreachable.empty())
        throw Error(ErrorKind::InvalidState,
                    fmt::format("host(s) {} do not answer: VMs there may use image '{}'",
                                fmt::join(elsewhere.unreachable, ", "), image),
                    "bring them up ('vmctl hosts list' shows them), or remove a real host you no longer use with "
                    "'vmctl hosts remove'");
    host::require_inside(files.base_disk, {env.paths.golden_dir});
    if (hv.volume_by_path(files.base_disk))
        hv.delete_volume(files.base_disk);
    host::remove_image_dir(files.dir, env.paths.image_dirs);
}

}  // namespace vmctl::ops
