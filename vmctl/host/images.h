#pragma once

#include <string>
#include <vector>

namespace vmctl::host {

// A built guest image: the files a domain boots from.
struct ImageFiles {
    std::string name;
    std::string dir;
    std::string kernel;       // uncompressed ELF vmlinux
    std::string initrd;
    std::string kernel_args;  // from the image's `cmdline` file
    std::string kernel_release;
};

// The images vmctl can build from a recipe under images/.
std::vector<std::string> known_images();

// Finds a built image in the image directories; throws Error(ImageMissing)
// with the command that builds it when it is unknown or not built.
ImageFiles find_image(const std::string& name, const std::vector<std::string>& image_dirs);

// The command a user runs to build image `name`.
std::string build_command(const std::string& name);

}  // namespace vmctl::host
