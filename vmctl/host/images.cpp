#include "vmctl/host/images.h"

#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"
#include "vmctl/host/files.h"
#include "vmctl/host/paths.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace vmctl::host {

std::vector<std::string> known_images() { return {"tiny"}; }

std::string build_command(const std::string& name) {
    return fmt::format("{}/images/{}/build.sh", source_dir(), name);
}

ImageFiles find_image(const std::string& name, const std::vector<std::string>& image_dirs) {
    const auto known = known_images();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string hint = fmt::format("the images are: {}", fmt::join(known, ", "));
        if (auto close = closest_match(name, known))
            hint = fmt::format("did you mean '{}'? ({})", *close, hint);
        throw Error(ErrorKind::ImageMissing, fmt::format("unknown image '{}'", name), hint);
    }
    for (const auto& base : image_dirs) {
        const std::string dir = base + "/" + name;
        ImageFiles files{name, dir, dir + "/vmlinux", dir + "/initrd.img", {}, {}};
        std::error_code ec;
        if (!std::filesystem::exists(files.kernel, ec) || !std::filesystem::exists(files.initrd, ec))
            continue;
        files.kernel_args = trim(read_file_or(dir + "/cmdline", ""));
        files.kernel_release = manifest_value(read_file_or(dir + "/manifest", ""), "kernel_release");
        return files;
    }
    throw Error(ErrorKind::ImageMissing,
                fmt::format("the image '{}' is not built (looked in {})", name, fmt::join(image_dirs, ", ")),
                fmt::format("build it with: {}", build_command(name)));
}

}  // namespace vmctl::host
