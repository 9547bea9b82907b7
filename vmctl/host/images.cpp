#include "vmctl/host/images.h"

#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/core/suggest.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace vmctl::host {
namespace {

constexpr const char* kGoldenFile = "golden";
constexpr const char* kImportedFile = "imported";

bool exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

// A built recipe image in `dir`, or nothing.
std::optional<ImageFiles> read_recipe_image(const std::string& name, const std::string& dir) {
    const std::string manifest = read_file_or(dir + "/manifest", "");
    const std::string kernel_file = manifest_value(manifest, "kernel_file");
    ImageFiles files{name, dir, dir + "/" + (kernel_file.empty() ? "vmlinux" : kernel_file), dir + "/initrd.img"};
    if (!exists(files.kernel) || !exists(files.initrd))
        return std::nullopt;
    files.kernel_args = trim(read_file_or(dir + "/cmdline", ""));
    // debian-12: VMs are overlays on its root disk, set up by cloud-init.
    const std::string root_disk = manifest_value(manifest, "root_disk");
    if (!root_disk.empty()) {
        if (!exists(dir + "/" + root_disk))
            return std::nullopt;
        files.base_disk = dir + "/" + root_disk;
    }
    files.cloud_init = manifest_value(manifest, "cloud_init") == "1";
    files.kernel_release = manifest_value(manifest, "kernel_release");
    files.base_image = name;
    const std::string data_disk = manifest_value(manifest, "data_disk");
    const std::string data_bytes = manifest_value(manifest, "data_disk_bytes");
    if (!data_disk.empty() && !data_bytes.empty() && exists(dir + "/" + data_disk)) {
        files.data_disk = dir + "/" + data_disk;
        files.data_disk_bytes = std::stoull(data_bytes);
    }
    return files;
}

std::optional<ImageFiles> read_imported_image(const std::string& name, const std::string& dir) {
    const std::string text = read_file_or(dir + "/" + kImportedFile, "");
    const std::string disk = manifest_value(text, "disk");
    if (text.empty() || disk.empty() || !exists(disk))
        return std::nullopt;
    ImageFiles files;
    files.name = name;
    files.dir = dir;
    files.imported = true;
    files.base_image = name;
    files.base_disk = disk;
    files.cloud_init = manifest_value(text, "cloud_init") != "0";
    files.source_file = manifest_value(text, "source");
    files.created_at = manifest_value(text, "imported");
    return files;
}

std::optional<ImageFiles> read_golden_image(const std::string& name, const std::string& dir,
                                            const std::vector<std::string>& image_dirs) {
    const std::string text = read_file_or(dir + "/" + kGoldenFile, "");
    if (text.empty())
        return std::nullopt;
    const std::string base = manifest_value(text, "base_image");
    std::optional<ImageFiles> boot;  // the image the VM was made from: built-in or imported
    for (const auto& images : image_dirs)
        if ((boot = read_recipe_image(base, images + "/" + base)) ||
            (boot = read_imported_image(base, images + "/" + base)))
            break;
    if (!boot)
        throw Error(ErrorKind::ImageMissing,
                    fmt::format("golden image '{}' boots the '{}' image, which is not built", name, base),
                    fmt::format("build it with: {}", build_command(base)));
    ImageFiles files = *boot;  // its kernel (or its own boot loader: imported), and cloud-init if it has it
    files.name = name;
    files.dir = dir;
    files.golden = true;
    files.base_disk = manifest_value(text, "disk");
    files.from_vm = manifest_value(text, "from_vm");
    files.created_at = manifest_value(text, "created");
    return files;
}

// The image in `dir`, whatever its kind; nothing when none is there.
std::optional<ImageFiles> read_any_image(const std::string& name, const std::string& dir,
                                         const std::vector<std::string>& image_dirs) {
    if (auto image = read_recipe_image(name, dir))
        return image;
    if (auto image = read_imported_image(name, dir))
        return image;
    return read_golden_image(name, dir, image_dirs);
}

}  // namespace

std::vector<std::string> recipe_images() { return {"tiny", "tiny-debian-kernel", "debian-12"}; }

std::string build_command(const std::string& name) {
    return fmt::format("{}/images/{}/build.sh", source_dir(), name);
}

ImageFiles find_image(const std::string& name, const std::vector<std::string>& image_dirs) {
    validate_name("image", name);  // a name is a folder under image_dirs: no "..", no "/"
    const auto recipes = recipe_images();
    const bool recipe = std::find(recipes.begin(), recipes.end(), name) != recipes.end();
    for (const auto& base : image_dirs) {
        const std::string dir = base + "/" + name;
        if (recipe) {
            if (auto files = read_recipe_image(name, dir))
                return *files;
        } else if (auto files = read_any_image(name, dir, image_dirs)) {
            return *files;
        }
    }
    if (recipe)
        throw Error(ErrorKind::ImageMissing,
                    fmt::format("the image '{}' is not built (looked in {})", name, fmt::join(image_dirs, ", ")),
                    fmt::format("build it with: {}", build_command(name)));
    std::vector<std::string> names;
    for (const auto& image : list_images(image_dirs))
        names.push_back(image.name);
    std::string hint = fmt::format("the images are: {} (see 'vmctl image list')", fmt::join(names, ", "));
    if (auto close = closest_match(name, names))
        hint = fmt::format("did you mean '{}'? ({})", *close, hint);
    throw Error(ErrorKind::ImageMissing, fmt::format("unknown image '{}'", name), hint);
}

std::vector<ImageFiles> list_images(const std::vector<std::string>& image_dirs) {
    std::vector<ImageFiles> images;
    std::set<std::string> seen;
    for (const auto& base : image_dirs) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
            const std::string name = entry.path().filename();
            if (!entry.is_directory() || seen.count(name) != 0)
                continue;
            std::optional<ImageFiles> image;
            try {
                image = read_any_image(name, entry.path(), image_dirs);
            } catch (const Error&) {
                continue;  // a golden image whose kernel is gone is not usable
            }
            if (image) {
                seen.insert(name);
                images.push_back(*image);
            }
        }
    }
    std::sort(images.begin(), images.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return images;
}

namespace {

// An image's descriptor, `images_dir`/NAME/FILE: a few key=value lines.
void write_descriptor(const std::string& images_dir, const std::string& name, const char* file,
                      const std::string& text) {
    const std::string dir = images_dir + "/" + name;
    make_dirs(dir);
    std::ofstream out(dir + "/" + file);
    out << text;
    if (!out)
        throw Error(ErrorKind::OperationFailed, fmt::format("could not write {}/{}", dir, file),
                    "check that the disk is not full");
}

}  // namespace

void write_golden_descriptor(const std::string& images_dir, const ImageFiles& image) {
    write_descriptor(images_dir, image.name, kGoldenFile,
                     fmt::format("base_image={}\ndisk={}\nfrom_vm={}\ncreated={}\n", image.base_image,
                                 image.base_disk, image.from_vm, image.created_at));
}

void write_imported_descriptor(const std::string& images_dir, const ImageFiles& image) {
    write_descriptor(images_dir, image.name, kImportedFile,
                     fmt::format("disk={}\nsource={}\nimported={}\ncloud_init={}\n", image.base_disk,
                                 image.source_file, image.created_at, image.cloud_init ? 1 : 0));
}

void remove_image_dir(const std::string& dir, const std::vector<std::string>& image_dirs) {
    require_inside(dir, image_dirs);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

std::string image_pool_name(const std::string& image) { return "vmctl-image-" + image; }

std::string boot_file_path(const std::string& path, const std::string& images_dir, const std::string& view) {
    const std::string prefix = images_dir + "/";
    if (path.rfind(prefix, 0) != 0 || path.find("/../") != std::string::npos)
        return path;
    struct statvfs mount {};
    if (::statvfs(view.c_str(), &mount) != 0 || (mount.f_flag & ST_RDONLY) == 0)
        return path;  // not set up (a student's own machine without prepare-host): libvirt relabels
    const std::string seen = view + "/" + path.substr(prefix.size());
    struct stat file {};
    if (::stat(seen.c_str(), &file) != 0 || !S_ISREG(file.st_mode))
        return path;
    return seen;
}

}  // namespace vmctl::host
