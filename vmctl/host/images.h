#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmctl::host {

// A guest image: the files a domain boots from. A recipe image (`tiny`,
// `debian-12`) is built from Debian packages by images/NAME/build.sh; a golden
// image is a prepared VM's disk frozen read-only by `vmctl image create`,
// booting the kernel of the recipe image it came from; an imported image is a
// cloud image a user brought (`vmctl image import`), booted by the firmware
// from its own disk.
struct ImageFiles {
    std::string name;
    std::string dir;
    std::string kernel;       // booted directly by QEMU; "" for an imported image
    std::string initrd;
    std::string kernel_args;  // from the image's `cmdline` file
    std::string kernel_release;
    std::string base_image;   // the recipe image whose kernel it boots (itself for a recipe image)
    bool golden = false;
    bool imported = false;
    // cloud-init reads the VM's settings from a NoCloud seed disk (hostname,
    // SSH key, startup script), instead of the tiny image's fw_cfg entries.
    bool cloud_init = false;
    // The read-only qcow2 new VMs are overlays on (linked clones): a golden
    // image's disk, debian-12's root disk, an imported image; "" for tiny.
    std::string base_disk;
    std::string from_vm;      // golden only: the VM it was made from
    std::string created_at;   // golden and imported
    std::string source_file;  // imported only: the file it was imported from
    // Recipe only, when the image has one: an empty, already formatted data
    // disk that new VMs of exactly that size get a copy of, so the guest
    // mounts /data at once instead of formatting it at first boot.
    std::string data_disk;
    std::uint64_t data_disk_bytes = 0;
};

// The libvirt storage pool over a recipe image's folder, through which its
// pre-formatted data disk is copied ("vmctl-image-tiny").
std::string image_pool_name(const std::string& image);

// The images vmctl can build from a recipe under images/.
std::vector<std::string> recipe_images();

// Finds an image in the image directories; throws Error(ImageMissing) with
// the command that builds it when it is unknown or not built.
ImageFiles find_image(const std::string& name, const std::vector<std::string>& image_dirs);

// Every image found: built recipe images and golden images.
std::vector<ImageFiles> list_images(const std::vector<std::string>& image_dirs);

// Records a golden image in `images_dir`/NAME (a small key=value file).
void write_golden_descriptor(const std::string& images_dir, const ImageFiles& image);

// Records an imported image in `images_dir`/NAME: its disk (in the
// 'vmctl-images' pool), where it came from and whether it has cloud-init.
void write_imported_descriptor(const std::string& images_dir, const ImageFiles& image);

// Removes a golden image's descriptor directory, which must lie directly
// inside one of `image_dirs` (else Error(InvalidState), nothing removed).
void remove_image_dir(const std::string& dir, const std::vector<std::string>& image_dirs);

// Where root's shared images can be read but not changed: prepare-host
// bind-mounts /var/lib/vmctl/images here read-only. libvirt hands every file
// a VM boots from to the QEMU user (chown) while the VM runs; on a read-only
// mount it cannot, so the kernel and initrd every VM shares stay root's and
// a QEMU process cannot rewrite what the next VM boots.
inline constexpr const char* kSystemImagesDir = "/var/lib/vmctl/images";
inline constexpr const char* kReadOnlyImagesView = "/run/vmctl-images";

// `path` seen through the read-only view when it lies in `images_dir` and the
// view is mounted read-only with the file in it; otherwise `path` itself.
std::string boot_file_path(const std::string& path, const std::string& images_dir = kSystemImagesDir,
                           const std::string& view = kReadOnlyImagesView);

// The command a user runs to build image `name`.
std::string build_command(const std::string& name);

}  // namespace vmctl::host
