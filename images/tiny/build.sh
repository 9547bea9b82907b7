#!/bin/bash
# Build the vmctl "tiny" guest image: a kernel + a busybox initramfs.
#
#   build.sh [--kernel vmctl|debian] [--no-wait-kernel] [--out DIR] [--force]
#
# --kernel vmctl (the default) makes the image "tiny": the vmctl guest kernel,
#   built from Debian's linux-source-6.1 with everything built in
#   (kernel/build.sh, cached; about 9 minutes of 2 cores the first time).
# --kernel debian makes "tiny-debian-kernel": Debian's stock kernel package,
#   with its modules in the initramfs (what "tiny" was before the vmctl
#   kernel; kept for comparison and for lab 03).
# --no-wait-kernel: if the vmctl kernel is not built yet, make "tiny" with
#   Debian's kernel for now (the quickstart does this, then runs this script
#   again in the background; the second run puts the vmctl kernel in).
#
# Output (in DIR):
#   vmlinux     uncompressed ELF kernel; QEMU boots it through its PVH entry
#               point, skipping the bzImage's xz decompression, which is slow
#               under TCG (halves boot time).  This is what vmctl boots.
#   vmlinuz     Debian's kernel only: the original compressed bzImage ("naive
#               way", for benchmarks)
#   initrd.img  busybox initramfs with Debian's qemu-guest-agent and Dropbear
#               SSH server (qemu-ga, dropbear and their libraries) and, for
#               Debian's kernel, its virtio/ext4/fw_cfg/ACPI/net modules
#   cmdline     recommended kernel arguments (one line, without console=)
#   manifest    key=value facts: kernel (vmctl or debian), kernel_release,
#               kernel_package(_version),
#               busybox_version, qemu_ga_version, dropbear_version, modules,
#               inputs_sha256, built_at
#
# Default DIR: $VMCTL_HOME/images/NAME, else /var/lib/vmctl/images/NAME for
# root, else ${XDG_DATA_HOME:-~/.local/share}/vmctl/images/NAME, where NAME
# is tiny or tiny-debian-kernel.
# Downloaded kernel packages are kept in a cache dir ($VMCTL_CACHE, else
# $VMCTL_HOME/cache, /var/cache/vmctl or ${XDG_CACHE_HOME:-~/.cache}/vmctl).
#
# Re-running is cheap: if the inputs (kernel package version, busybox version,
# qemu-ga and dropbear versions and the bytes of qemu-ga, dropbear and their
# libraries, this script,
# the guest files under rootfs/) hash to the manifest's
# inputs_sha256, nothing is rebuilt.  The image is built in a temp dir and
# renamed into place, so a half-built image is never visible in DIR.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
rootfs_src=$here/rootfs

# Kernel modules the guest loads (names as in modules.dep; their dependencies
# are added automatically).  Any that the kernel has built in (=y) is skipped.
#   crc32c_generic: ext4/jbd2 checksums ask the crypto API for "crc32c" at
#   mount time; that is a soft dependency, absent from modules.dep.
wanted_modules=(
	virtio virtio_ring virtio_pci virtio_blk virtio_balloon
	ext4 crc32c_generic qemu_fw_cfg button evdev
)
# Loaded right after the ready line, in the background: nothing before it
# needs them (the guest agent starts after virtio_console; a NIC is optional).
late_modules=(virtio_console virtio_net)

# Recommended kernel arguments (vmctl adds console=ttyS0 itself).
#   quiet              the serial console is slow under TCG; print warnings only
#   mitigations=off    no speculation workarounds: a throwaway teaching guest
#   nokaslr            no randomisation work at boot; reproducible addresses
#   no_timer_check     skip the IO-APIC timer check, unreliable under TCG
#   tsc=reliable       skip the TSC watchdog/stability checks (TCG is bursty)
#   cryptomgr.notests  skip the crypto self-tests at boot: ~0.3 s under TCG
#   ipv6.disable=1     no IPv6 stack: the vmctl network is IPv4 only, and a guest
#                      kernel that received IPv6 chatter (router solicitations,
#                      MLD from new taps) just as it migrated sometimes corrupted
#                      its page lists (list_add corruption under icmpv6_rcv)
# ACPI stays on: the ACPI power button is how "virsh shutdown" asks the guest
# to power off, and fw_cfg is found through ACPI.
# The vmctl kernel also takes (kernel/lapic-timer-period.c):
#   lapic_timer_period=10000000  the APIC timer's period for HZ=100 at QEMU's
#                      1 GHz: no 100 ms calibration at boot (about 0.1 s)
cmdline="quiet mitigations=off nokaslr no_timer_check tsc=reliable cryptomgr.notests ipv6.disable=1"

usage() { echo "usage: $0 [--kernel vmctl|debian] [--no-wait-kernel] [--out DIR] [--force]" >&2; exit 2; }
log() { echo "${image:-tiny}: $*" >&2; }
die() { echo "${image:-tiny}: error: $*" >&2; exit 1; }

out=""
force=0
kernel=vmctl
no_wait_kernel=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--kernel=*) kernel=${1#--kernel=}; shift ;;
	--no-wait-kernel) no_wait_kernel=1; shift ;;
	--out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--out=*) out=${1#--out=}; shift ;;
	--force) force=1; shift ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done

case $kernel in
vmctl) image=tiny ;;
debian) image=tiny-debian-kernel ;;
*) die "unknown --kernel '$kernel' (vmctl or debian)" ;;
esac
if [ -z "$out" ]; then
	if [ -n "${VMCTL_HOME:-}" ]; then out=$VMCTL_HOME/images/$image
	elif [ "$(id -u)" = 0 ]; then out=/var/lib/vmctl/images/$image
	else out=${XDG_DATA_HOME:-$HOME/.local/share}/vmctl/images/$image
	fi
fi
if [ -n "${VMCTL_CACHE:-}" ]; then cache=$VMCTL_CACHE
elif [ -n "${VMCTL_HOME:-}" ]; then cache=$VMCTL_HOME/cache
elif [ "$(id -u)" = 0 ]; then cache=/var/cache/vmctl
else cache=${XDG_CACHE_HOME:-$HOME/.cache}/vmctl
fi
mkdir -p "$(dirname "$out")" "$cache"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

# --- host tools ----------------------------------------------------------------
# busybox-static: the guest userland.  qemu-guest-agent: qemu-ga, copied into
# the guest with its shared libraries (on the host its service only starts if
# the host is itself a VM with an agent channel).  cpio: the initramfs.
# xz-utils: to unpack the kernel.  binutils: objcopy, to strip modules.
# e2fsprogs and qemu-utils: the pre-formatted data disk.  dropbear-bin: the
# guest's SSH server, copied like qemu-ga (only the binary package: no
# service, no host keys on the host).  dpkg-deb, ldd and
# apt-get/apt-cache are always there on Debian.  Install only what is missing (dpkg -s is fast and
# quiet).
install_missing busybox-static qemu-guest-agent dropbear-bin cpio xz-utils binutils e2fsprogs qemu-utils
busybox=/bin/busybox
[ -x "$busybox" ] || die "$busybox not found (busybox-static)"
qga=/usr/sbin/qemu-ga
[ -x "$qga" ] || die "$qga not found (qemu-guest-agent)"
dropbear=/usr/sbin/dropbear
[ -x "$dropbear" ] || die "$dropbear not found (dropbear-bin)"

# qemu-ga and dropbear are dynamically linked: copy them with every library
# ldd resolves and the dynamic loader, each at the path ldd prints (the
# loader finds them in its built-in /lib/x86_64-linux-gnu without an
# ld.so.cache).  Shared libraries (libc, ...) are listed once.
#   "libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x...)"  a library
#   "/lib64/ld-linux-x86-64.so.2 (0x...)"                        the loader
#   "linux-vdso.so.1 (0x...)"                                    in the kernel
# The static busybox needs no library: glibc >= 2.34 has its "files" and
# "dns" NSS modules built in, also when linked statically (it reads
# /etc/nsswitch.conf and /etc/resolv.conf; ping/wget resolve names).
dyn_files=()
add_dyn() {   # add_dyn BINARY: it and its libraries, no duplicates
	local bin=$1 a b c f
	local -a found=("$bin")
	while read -r a b c _; do
		if [ "$b" = "=>" ]; then
			case $c in /*) found+=("$c") ;; *) die "ldd $bin: $a not found" ;; esac
		elif [[ $a == /* ]]; then
			found+=("$a")
		fi
	done < <(ldd "$bin")
	[ ${#found[@]} -gt 2 ] || die "ldd $bin listed no libraries"
	for f in "${found[@]}"; do
		[[ " ${dyn_files[*]} " == *" $f "* ]] || dyn_files+=("$f")
	done
}
add_dyn "$qga"
add_dyn "$dropbear"

# --- which kernel ------------------------------------------------------------------
manifest_value() { sed -n "s/^$1=//p" "$out/manifest" 2>/dev/null; }
kernel_files=(vmlinux)
[ "$kernel" = vmctl ] || kernel_files+=(vmlinuz)
is_complete() {
	local f
	for f in "${kernel_files[@]}" initrd.img cmdline manifest data-1g.qcow2; do [ -s "$out/$f" ] || return 1; done
}
if [ "$kernel" = vmctl ] && [ "$no_wait_kernel" = 1 ] && ! "$here/kernel/build.sh" --check >/dev/null; then
	if [ "$force" = 0 ] && is_complete && [ "$(manifest_value kernel)" = vmctl ]; then
		echo "tiny image up to date (its vmctl kernel is no longer cached, so it is kept): $out"
		exit 0
	fi
	log "the vmctl kernel is not built yet: making the image with Debian's kernel for now"
	kernel=debian
	kernel_files+=(vmlinuz)
fi
if [ "$kernel" = vmctl ]; then
	cmdline="$cmdline lapic_timer_period=10000000"
	# Built here if it is not cached (minutes); its own log lines go to stderr.
	kdir=$("$here/kernel/build.sh")
	kpkg=linux-source-6.1
	kver=$(sed -n "s/^source=$kpkg //p" "$kdir/inputs")
	krel=$(cat "$kdir/release")
	[ -n "$kver" ] && [ -n "$krel" ] || die "the vmctl kernel in $kdir lacks its release or inputs"
else
	# linux-image-amd64 is a metapackage; it depends on the real package with an
	# exact version, e.g. "linux-image-6.1.0-56-amd64 (= 6.1.192-2)".  We only
	# download that package, never install it.  One apt-cache call: with Docker's
	# apt config (no pkgcache.bin) each call re-parses all lists (~0.8 s).
	resolve_kernel() {
		apt-cache show --no-all-versions linux-image-amd64 2>/dev/null | awk '
			/^Depends:/ && match($0, /linux-image-[0-9][^ ,]*/) {
				name = substr($0, RSTART, RLENGTH); rest = substr($0, RSTART + RLENGTH)
				ver = ""
				if (match(rest, /^ \(= [^)]+\)/)) ver = substr(rest, RSTART + 4, RLENGTH - 5)
				print name, ver; exit
			}'
	}
	read -r kpkg kver < <(resolve_kernel) || true
	if [ -z "${kpkg:-}" ] && [ "$(id -u)" = 0 ]; then
		log "apt package lists lack linux-image-amd64; running apt-get update"
		apt-get update -qq >/dev/null 2>&1 || true
		read -r kpkg kver < <(resolve_kernel) || true
	fi
	[ -n "${kpkg:-}" ] || die "cannot resolve linux-image-amd64 with apt-cache (apt-get update?)"
	if [ -z "${kver:-}" ]; then   # metapackage without an exact version: ask apt
		kver=$(apt-cache show --no-all-versions "$kpkg" 2>/dev/null | awk '/^Version:/ { print $2; exit }')
	fi
	[ -n "$kver" ] || die "no candidate version for $kpkg"
fi
bbver=$(dpkg-query -W -f='${Version}' busybox-static)
gaver=$(dpkg-query -W -f='${Version}' qemu-guest-agent)
dbver=$(dpkg-query -W -f='${Version}' dropbear-bin)

# --- up to date? ---------------------------------------------------------------------
# Everything that changes the image goes into one hash.  File names are part
# of the hash (sha256sum prints them), so renaming a guest file rebuilds too.
inputs_sha256=$(
	{
		echo "kernel=$kernel $kpkg $kver"
		[ "$kernel" = debian ] || echo "kernel_build=$(basename "$kdir")"
		echo "busybox=$bbver"
		echo "qemu-ga=$gaver"
		echo "dropbear=$dbver"
		# the libraries come from other packages (libc6, libglib2.0-0, ...):
		# hash the bytes copied, so a library upgrade rebuilds too
		sha256sum "${dyn_files[@]}"
		cd "$here" && find build.sh rootfs -type f -print0 | LC_ALL=C sort -z |
			xargs -0 sha256sum
		# modes matter too (an init script that lost its x bit breaks boot)
		find rootfs -type f -perm -u+x -print | LC_ALL=C sort
	} | sha256sum | cut -d' ' -f1
)
manifest_hash() { manifest_value inputs_sha256; }
if [ "$force" = 0 ] && is_complete && [ "$(manifest_hash)" = "$inputs_sha256" ]; then
	echo "$image image up to date: $out"
	exit 0
fi

# One build at a time per output dir (a second one waits, then finds it done).
exec 9>"$out.lock"
flock 9
if [ "$force" = 0 ] && is_complete && [ "$(manifest_hash)" = "$inputs_sha256" ]; then
	echo "$image image up to date: $out"
	exit 0
fi

# Leftovers of a build that was killed (SIGKILL skips the trap); safe to
# remove while we hold the lock.
rm -rf "$out".tmp.* "$out".old.*

work=$(mktemp -d "${TMPDIR:-/tmp}/vmctl-tiny.XXXXXX")
stage=$(mktemp -d "$out.tmp.XXXXXX")   # next to $out: same fs, so mv is a rename
trap 'rm -rf "$work" "$stage"' EXIT

if [ "$kernel" = vmctl ]; then
	# Everything is built in: no modules to load, nothing to unpack.
	cp "$kdir/vmlinux" "$stage/vmlinux"
	load_order=()
	boot_count=0
else
	# --- fetch and unpack the kernel package ----------------------------------------------
	deb=$(find "$cache" -maxdepth 1 -name "${kpkg}_*.deb" -print | sort | tail -n1)
	want_deb="${kpkg}_${kver//:/%3a}_amd64.deb"   # apt writes an epoch ":" as %3a
	if [ "$(basename "${deb:-none}")" != "$want_deb" ]; then
		log "downloading $kpkg $kver"
		# Sandbox::User=root: as root, apt would otherwise drop to _apt, which
		# cannot write into a root-owned cache dir (it warns and falls back).
		(cd "$work" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "$kpkg=$kver" >/dev/null)
		mv "$work/$want_deb" "$cache/$want_deb.part"
		mv "$cache/$want_deb.part" "$cache/$want_deb"
		# keep only the current kernel package in the cache
		find "$cache" -maxdepth 1 -name 'linux-image-*.deb' ! -name "$want_deb" -delete
		deb=$cache/$want_deb
	fi
	log "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$work/pkg"
	krel=${kpkg#linux-image-}
	vmlinuz=$work/pkg/boot/vmlinuz-$krel
	kconfig=$work/pkg/boot/config-$krel
	kmods=$work/pkg/lib/modules/$krel
	[ -f "$vmlinuz" ] && [ -d "$kmods" ] || die "$deb has no vmlinuz-$krel or modules"
	cp "$vmlinuz" "$stage/vmlinuz"

	# --- vmlinuz (bzImage) -> vmlinux (ELF) ----------------------------------------------------
	# The bzImage is: real-mode setup sectors, then the 32/64-bit decompressor
	# whose payload is the compressed ELF vmlinux.  The setup header says where
	# the payload is (boot protocol >= 2.08): payload_offset at 0x248 and
	# payload_length at 0x24c, relative to the protected-mode code, which starts
	# after (setup_sects + 1) * 512 bytes (setup_sects at 0x1f1).
	# Decompressing it once here means QEMU can load the ELF directly and jump to
	# its PVH note (CONFIG_PVH=y) instead of decompressing on every boot.
	le() { od -An -t u"$2" -j "$1" -N "$2" "$vmlinuz" | tr -d ' '; }
	setup_sects=$(le $((0x1f1)) 1)
	[ "$setup_sects" -ne 0 ] || setup_sects=4
	payload_off=$(( (setup_sects + 1) * 512 + $(le $((0x248)) 4) ))
	payload_len=$(le $((0x24c)) 4)
	xz_magic='fd377a585a00'   # "\xfd7zXZ\0"
	magic_at() { od -An -t x1 -j "$1" -N 6 "$vmlinuz" | tr -d ' \n'; }
	if [ "$(magic_at "$payload_off")" != "$xz_magic" ]; then
		# Header disagrees (unexpected layout): fall back to the first xz magic.
		payload_off=$(grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1 || true)
		[ -n "$payload_off" ] || die "no xz payload in $vmlinuz (kernel not xz-compressed?)"
		payload_len=$(( $(stat -c %s "$vmlinuz") - payload_off ))
	fi
	log "decompressing vmlinuz (xz payload at byte $payload_off) to vmlinux"
	# --single-stream: stop at the end of the xz stream and ignore what follows
	# (bzImage padding), which xz would otherwise reject as trailing garbage.
	dd if="$vmlinuz" of="$work/payload.xz" iflag=skip_bytes,count_bytes \
		skip="$payload_off" count="$payload_len" bs=1M status=none
	xz -dc --single-stream "$work/payload.xz" > "$stage/vmlinux"
	[ "$(od -An -t x1 -N 4 "$stage/vmlinux" | tr -d ' \n')" = 7f454c46 ] ||
		die "decompressed kernel is not an ELF file"

	# --- modules: resolve dependencies, in load order --------------------------------------------
	# The package ships no modules.dep (depmod runs at install time), so make one
	# with busybox depmod (no kmod needed).  Then a depth-first walk over it gives
	# each module after everything it needs.
	log "resolving modules"
	"$busybox" depmod -b "$work/pkg" "$krel"
	[ -s "$kmods/modules.dep" ] || die "depmod made no modules.dep"
	is_builtin() {
		# modules.builtin lists the =y ones as kernel/.../name.ko ('-' or '_')
		local m=${1//[-_]/[-_]}
		grep -q "/$m\.ko\$" "$kmods/modules.builtin" 2>/dev/null
	}
	declare -A path_of deps_of seen
	while IFS= read -r line; do
		path=${line%%:*}
		name=${path##*/}; name=${name%.ko}; name=${name//-/_}
		path_of[$name]=$path
		deps_of[$path]=${line#*:}
	done < "$kmods/modules.dep"
	load_order=()
	visit() {   # visit PATH: append PATH after its dependencies
		local p=$1 d
		[ -z "${seen[$p]:-}" ] || return 0
		seen[$p]=1
		for d in ${deps_of[$p]}; do visit "$d"; done
		load_order+=("$p")
	}
	visit_all() {
		local m key
		for m in "$@"; do
			key=${m//-/_}
			if [ -n "${path_of[$key]:-}" ]; then
				visit "${path_of[$key]}"
			elif is_builtin "$m"; then
				log "module $m is built into the kernel"
			else
				die "module $m neither in modules.dep nor built in (see $kconfig)"
			fi
		done
	}
	visit_all "${wanted_modules[@]}"
	boot_count=${#load_order[@]}
	visit_all "${late_modules[@]}"   # only what the boot list does not have yet
fi

# --- initramfs -------------------------------------------------------------------------------
# Uncompressed cpio (5.4 MB; 11.7 MB with qemu-ga and its libraries): QEMU
# copies it into guest RAM almost for free, while the guest kernel
# decompresses slowly under TCG.  Measured time to the ready line (TCG, median
# of 6, before qemu-ga): plain 2.36 s, gzip -9 (1.8 MB) 2.42 s, gzip -1 2.8 s,
# zstd -19 2.84 s.  The 6.3 MB of qemu-ga cost the ready line ~10 ms of guest
# time (measured with -icount, which makes guest time deterministic).
log "building initramfs"
root=$work/root
mkdir -p "$root"
cp -a "$rootfs_src/." "$root/"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,root,data,var/log} \
	"$root/lib/modules"
chmod 1777 "$root/tmp"
mkdir -p "$root/root/.ssh" "$root/etc/dropbear"
chmod 700 "$root/root" "$root/root/.ssh"
cp "$busybox" "$root/bin/busybox"
# One symlink per applet, at the path busybox itself reports (bin/sh, ...).
"$busybox" --list-full | while IFS= read -r applet; do
	[ -e "$root/$applet" ] || [ -L "$root/$applet" ] ||
		ln -s /bin/busybox "$root/$applet"
done
# The kernel runs /init from an initramfs; as "init", busybox is PID 1 and
# reads /etc/inittab.
ln -sf /bin/busybox "$root/init"
# qemu-ga, dropbear and their libraries, symlinks resolved (libfoo.so.1 ->
# libfoo.so.1.2.3 becomes a file named libfoo.so.1).  /lib and /lib64 are
# real directories in the guest (no merged /usr), so the paths ldd printed
# are used as they are.
for f in "${dyn_files[@]}"; do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
# Without their BTF type data and their signature: the kernel parses a
# module's BTF and hashes a signed module at load time, slow under TCG
# (ext4 alone has 140 KB of BTF). An unsigned module only taints the kernel
# (no Secure Boot lockdown here); the guest needs neither BPF types nor proof.
for p in "${load_order[@]}"; do
	mkdir -p "$root/lib/modules/$krel/$(dirname "$p")"
	objcopy --remove-section=.BTF "$kmods/$p" "$root/lib/modules/$krel/$p"
done
# The load order for rcS (before the ready line, then the late ones), plus a
# modules.dep of just these modules so that modprobe/modinfo also work inside
# the guest.
: > "$root/etc/vmctl/modules"
: > "$root/etc/vmctl/modules-late"
if [ ${#load_order[@]} -gt 0 ]; then
	printf '%s\n' "${load_order[@]:0:$boot_count}" > "$root/etc/vmctl/modules"
	printf '%s\n' "${load_order[@]:$boot_count}" > "$root/etc/vmctl/modules-late"
	for p in "${load_order[@]}"; do
		grep "^$p:" "$kmods/modules.dep"
	done > "$root/lib/modules/$krel/modules.dep"
	cp "$kmods/modules.builtin" "$kmods/modules.order" "$root/lib/modules/$krel/" 2>/dev/null || true
fi
# newc format, every file owned by root whoever builds it.
(cd "$root" && find . -mindepth 1 -print | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) > "$stage/initrd.img"

# --- a pre-formatted data disk -------------------------------------------------------
# A new VM of the default disk size gets a copy of this (vmctl copies it as
# its own volume, not as a backing file, so a rebuilt image never changes
# the disks of existing VMs): the guest then mounts /data at once instead of
# formatting it at first boot (~0.35 s under TCG). The same options as the
# guest's own mke2fs in rcS.
log "making the pre-formatted 1 GiB data disk"
truncate -s 1G "$work/data.raw"
mke2fs -q -F -t ext2 -m 0 -i 65536 -L vmctl-data "$work/data.raw"
qemu-img convert -q -f raw -O qcow2 "$work/data.raw" "$stage/data-1g.qcow2"
rm -f "$work/data.raw"

# --- cmdline and manifest ----------------------------------------------------------------------
echo "$cmdline" > "$stage/cmdline"
{
	echo "kernel=$kernel"
	echo "kernel_release=$krel"
	echo "kernel_package=$kpkg"
	echo "kernel_package_version=$kver"
	echo "busybox_version=$bbver"
	echo "qemu_ga_version=$gaver"
	echo "dropbear_version=$dbver"
	echo "initrd_format=cpio-newc"
	echo "data_disk=data-1g.qcow2"
	echo "data_disk_bytes=1073741824"
	echo "modules=$(printf '%s\n' "${load_order[@]}" | xargs -r -n1 basename | sed 's/\.ko$//' | paste -sd, -)"
	echo "inputs_sha256=$inputs_sha256"
	echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$stage/manifest"
chmod 755 "$stage"
chmod 644 "$stage"/*

# --- publish -------------------------------------------------------------------------------------
# Swap the finished dir in with renames.  Between the two renames $out is
# briefly absent, never partial.
if [ -e "$out" ]; then
	old=$(mktemp -d "$out.old.XXXXXX")
	mv -T "$out" "$old/$image"
	mv -T "$stage" "$out"
	rm -rf "$old"
else
	mv -T "$stage" "$out"
fi
log "built $out ($krel, $(du -sh "$out" | cut -f1))"
echo "$image image built: $out"
