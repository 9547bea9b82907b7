#!/bin/bash
# Build the vmctl "debian-12" guest image: a real Debian 12 (bookworm) with
# systemd, OpenSSH, the QEMU guest agent and cloud-init, from Debian packages
# only (mmdebstrap, from the mirror this machine's apt uses).
#
#   build.sh [--out DIR] [--force]
#
# Output (in DIR):
#   root-HASH.qcow2  the root filesystem: ext4 (label "rootfs") on the whole disk,
#               no partition table; VMs get a linked clone of it (an overlay),
#               which cloud-init grows to the VM's disk size at first boot
#   vmlinuz     the kernel (linux-image-cloud-amd64: virtio built for clouds),
#   initrd.img  and its initramfs, copied out of /boot; vmctl boots them
#               directly (no boot loader, no firmware menu)
#   cmdline     kernel arguments (one line, without console=)
#   manifest    key=value facts: kernel_file, root_disk, cloud_init,
#               kernel_release, packages, build_seconds, inputs_sha256
#
# The guest follows the tiny image's contract on the serial console (the
# ready line and the heartbeat, from vmctl-guest.service), after cloud-init
# has finished: see rootfs/usr/local/sbin/vmctl-guest.
#
# Default DIR: $VMCTL_HOME/images/debian-12, else /var/lib/vmctl/images/debian-12
# for root, else ${XDG_DATA_HOME:-~/.local/share}/vmctl/images/debian-12.
# Needs root: the tree's files must keep their owners (root, _apt, ...) on
# the disk, and mke2fs reads them from a real directory.
#
# Re-running is cheap: if the inputs (the versions the mirror offers of the
# packages below, this script, the files under rootfs/) hash to the
# manifest's inputs_sha256, nothing is rebuilt.  The image is built in a temp
# dir and renamed into place, so a half-built image is never visible in DIR.
# Takes about 10 minutes on 2 cores (most of it dpkg unpacking and the
# initramfs); downloads about 100 MB of packages.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
image=debian-12

# What the guest has, beyond Debian's "apt" variant (essential + apt):
#   systemd-sysv udev dbus     init, device nodes, the bus getty needs
#   linux-image-cloud-amd64    the kernel for VMs (a third of the stock size)
#   cloud-init                 applies vmctl's NoCloud seed (hostname, SSH key,
#                              startup script) -- the cloud's own way
#   openssh-server             "vmctl ssh"; keys only
#   qemu-guest-agent           "vmctl exec" and the guest's own view in "info"
#   systemd-resolved           DNS from the vmctl network's DHCP
#   iproute2                   "ip", for the address lines and for students
#   e2fsprogs                  resize2fs: cloud-init grows / to the disk size
#   python3 (with cloud-init)  also serves a web page offline (http.server)
packages=(systemd-sysv udev dbus linux-image-cloud-amd64 cloud-init openssh-server qemu-guest-agent
	systemd-resolved iproute2 e2fsprogs ca-certificates less)
# Arguments for a VM: root on the whole first disk; the rest as for tiny.
cmdline="root=/dev/vda rw quiet mitigations=off nokaslr no_timer_check tsc=reliable ipv6.disable=1"
disk_size=2G

usage() { echo "usage: $0 [--out DIR] [--force]" >&2; exit 2; }
log() { echo "$image: $*" >&2; }
die() { echo "$image: error: $*" >&2; exit 1; }

out=""
force=0
while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--out=*) out=${1#--out=}; shift ;;
	--force) force=1; shift ;;
	*) usage ;;
	esac
done
if [ -z "$out" ]; then
	if [ -n "${VMCTL_HOME:-}" ]; then out=$VMCTL_HOME/images/$image
	elif [ "$(id -u)" = 0 ]; then out=/var/lib/vmctl/images/$image
	else out=${XDG_DATA_HOME:-$HOME/.local/share}/vmctl/images/$image
	fi
fi
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

[ "$(id -u)" = 0 ] || die "building $image needs root (its files keep their owners): sudo $0"
# mmdebstrap builds the tree; e2fsprogs (mke2fs -d) and qemu-utils make the disk.
install_missing mmdebstrap e2fsprogs qemu-utils
# The host's own package sources: the same mirror the quickstart used.
sources=/etc/apt/sources.list.d/debian.sources
[ -s "$sources" ] || sources=/etc/apt/sources.list
[ -s "$sources" ] || die "no apt sources on this machine (/etc/apt/sources.list.d/debian.sources)"

manifest_value() { sed -n "s/^$1=//p" "$out/manifest" 2>/dev/null; }
is_complete() {
	local f
	for f in vmlinuz initrd.img cmdline manifest; do [ -s "$out/$f" ] || return 1; done
	[ -s "$out/$(manifest_value root_disk)" ]
}
# The versions the mirror offers now (one apt-cache call); the kernel
# metapackage's Depends names the exact kernel package.
versions=$(apt-cache show --no-all-versions "${packages[@]}" 2>/dev/null |
	awk '/^(Package|Version): / || /^Depends: .*linux-image/' | LC_ALL=C sort) ||
	die "apt-cache knows none of: ${packages[*]} (run apt-get update)"
inputs_sha256=$(
	{
		echo "$versions"
		echo "$cmdline $disk_size"
		cd "$here" && find build.sh rootfs -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
		find rootfs -type f -perm -u+x -print | LC_ALL=C sort
	} | sha256sum | cut -d' ' -f1
)
if [ "$force" = 0 ] && is_complete && [ "$(manifest_value inputs_sha256)" = "$inputs_sha256" ]; then
	echo "$image image up to date: $out"
	exit 0
fi

rm -rf "$out".tmp.*   # a build that was killed (SIGKILL skips the trap)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/vmctl-$image.XXXXXX")
stage=$(mktemp -d "$out.tmp.XXXXXX")   # next to $out: same fs, so mv is a rename
trap 'rm -rf "$work" "$stage"' EXIT
started=$(date +%s)

log "building Debian 12 with mmdebstrap (about 10 minutes)"
# The hooks run on the host with the tree in $1:
#  - vmctl's files (rootfs/), its units enabled;
#  - no SSH host keys and an empty machine-id: each VM makes its own;
#  - cloud-init's locale module off (generating locales takes a minute under
#    emulation, and C.UTF-8 needs none);
#  - apt's daily timers masked (they wake at boot and hold the dpkg lock just
#    when a startup script wants to apt-get install);
#  - no package lists or .debs: an image is not a cache (apt-get update fetches
#    them in the guest when a mirror is reachable).
# shellcheck disable=SC2016
mmdebstrap --mode=root --variant=apt --quiet \
	--include="$(IFS=,; echo "${packages[*]}")" \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--customize-hook="tar -C '$here/rootfs' -c . | tar -C \"\$1\" -x --no-same-owner" \
	--customize-hook='chroot "$1" systemctl enable vmctl-guest.service vmctl-ssh-keys.service systemd-networkd.service systemd-resolved.service' \
	--customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer' \
	--customize-hook='sed -i "/^ *- locale$/d" "$1/etc/cloud/cloud.cfg"' \
	--customize-hook='rm -f "$1"/etc/ssh/ssh_host_* "$1/var/lib/dbus/machine-id"; : > "$1/etc/machine-id"' \
	--customize-hook='echo "LABEL=rootfs / ext4 defaults,errors=remount-ro 0 1" > "$1/etc/fstab"; echo debian > "$1/etc/hostname"' \
	--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
	bookworm "$work/rootfs" "$sources" >&2 || die "mmdebstrap failed (see above)"

log "making the disk ($disk_size, ext4)"
# The kernel and initramfs, readable by the QEMU user that boots them.
kernel=$(find "$work/rootfs/boot" -name 'vmlinuz-*' | head -1)
initrd=$(find "$work/rootfs/boot" -name 'initrd.img-*' | head -1)
[ -n "$kernel" ] && [ -n "$initrd" ] || die "the tree has no /boot/vmlinuz-* or /boot/initrd.img-*"
release=${kernel##*/vmlinuz-}
install -m 0644 "$kernel" "$stage/vmlinuz"
install -m 0644 "$initrd" "$stage/initrd.img"
truncate -s "$disk_size" "$work/root.raw"
mke2fs -q -F -t ext4 -L rootfs -d "$work/rootfs" "$work/root.raw" ||
	die "mke2fs -d could not make the root filesystem from the tree"
# Named by its inputs: VMs are overlays on it, so a rebuild must not change
# or remove the disk under an existing VM (older ones are carried over below).
root_disk=root-${inputs_sha256:0:12}.qcow2
qemu-img convert -q -c -f raw -O qcow2 "$work/root.raw" "$stage/$root_disk"
echo "$cmdline" > "$stage/cmdline"
{
	echo "kernel=debian-cloud"
	echo "kernel_file=vmlinuz"
	echo "kernel_release=$release"
	echo "root_disk=$root_disk"
	echo "cloud_init=1"
	echo "packages=${packages[*]}"
	echo "build_seconds=$(($(date +%s) - started))"
	echo "inputs_sha256=$inputs_sha256"
	echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$stage/manifest"
chmod 0755 "$stage"
chmod 0444 "$stage/$root_disk"   # a golden disk: VMs are overlays on it
# Earlier builds' disks stay (VMs made from them still read them); "vmctl
# image list" shows the image once, built from the newest.
for old in "$out"/root-*.qcow2; do
	if [ -e "$old" ] && [ ! -e "$stage/${old##*/}" ]; then mv "$old" "$stage/"; fi
done
rm -rf "$out.old"
[ ! -e "$out" ] || mv "$out" "$out.old"
mv "$stage" "$out"
rm -rf "$out.old"
log "done in $(($(date +%s) - started)) s: $out ($root_disk $(du -h "$out/$root_disk" | cut -f1))"
echo "$out"
