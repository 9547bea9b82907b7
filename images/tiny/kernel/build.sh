#!/bin/bash
# Build the vmctl guest kernel: Linux from Debian's linux-source-6.1 package,
# configured by `make tinyconfig` plus vmctl.config (next to this script),
# with lapic-timer-period.c added to the APIC code, everything built in,
# booted by QEMU as an uncompressed ELF (PVH).
#
#   build.sh [--check] [--quiet]
#
# Prints the directory that holds the result on stdout:
#   vmlinux   the kernel (ELF, PVH entry point)
#   config    the full .config it was built with
#   release   its `uname -r`, e.g. 6.1.192-vmctl
#   inputs    what it was built from (source version, compiler, hashes)
# --check: print the directory and exit 0 if it is already built, else exit 1
# without building anything.
#
# Cached by its inputs (the linux-source package version, vmctl.config,
# lapic-timer-period.c, this script, the compiler's version) in
# $cache/kernel/<hash>, so a second run costs nothing; a change to any input
# builds a new one next to it (the previous one is removed once the new one is
# in place).  The cache dir is
# $VMCTL_CACHE, else $VMCTL_HOME/cache, /var/cache/vmctl (root) or
# ${XDG_CACHE_HOME:-~/.cache}/vmctl.  Nothing is downloaded from anywhere
# but the Debian mirror apt already uses.
#
# Takes about 9 minutes of 2 cores (make -j$(nproc)); set VMCTL_KERNEL_NICE
# (e.g. 10) to leave the CPUs to VMs while it builds in the background.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../lib.sh
. "$here/../../lib.sh"
fragment=$here/vmctl.config
src_pkg=linux-source-6.1

log() { [ "$quiet" = 1 ] || echo "kernel: $*" >&2; }
die() { echo "kernel: error: $*" >&2; exit 1; }
usage() { echo "usage: $0 [--check] [--quiet]" >&2; exit 2; }

check=0
quiet=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1; shift ;;
	--quiet) quiet=1; shift ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done

if [ -n "${VMCTL_CACHE:-}" ]; then cache=$VMCTL_CACHE
elif [ -n "${VMCTL_HOME:-}" ]; then cache=$VMCTL_HOME/cache
elif [ "$(id -u)" = 0 ]; then cache=/var/cache/vmctl
else cache=${XDG_CACHE_HOME:-$HOME/.cache}/vmctl
fi
kcache=$cache/kernel
mkdir -p "$kcache"

# --- build tools ------------------------------------------------------------------------
# gcc/make (build-essential), flex and bison (Kconfig), bc (timeconst.h),
# libelf-dev (objtool), libssl-dev (the certificate tools the build makes),
# xz-utils (the source tarball).  Installed before the inputs are read, since
# the compiler's version is one of them (--check installs nothing).
[ "$check" = 1 ] || install_missing build-essential flex bison bc libelf-dev libssl-dev xz-utils

# --- inputs ------------------------------------------------------------------------
# The source version apt would give us (installed or not: only the .deb is
# fetched, its tarball unpacked in a temp dir).
src_ver=$(apt-cache show --no-all-versions "$src_pkg" 2>/dev/null | awk '/^Version:/ { print $2; exit }')
if [ -z "$src_ver" ] && [ "$check" = 0 ] && [ "$(id -u)" = 0 ]; then
	log "apt package lists lack $src_pkg; running apt-get update"
	apt-get update -qq >/dev/null 2>&1 || true
	src_ver=$(apt-cache show --no-all-versions "$src_pkg" 2>/dev/null | awk '/^Version:/ { print $2; exit }')
fi
[ -n "$src_ver" ] || die "apt knows no $src_pkg (apt-get update?)"
gcc_ver=$(gcc -dumpfullversion 2>/dev/null || echo none)
inputs=$(
	echo "source=$src_pkg $src_ver"
	echo "gcc=$gcc_ver"
	cd "$here" && sha256sum build.sh vmctl.config lapic-timer-period.c
)
hash=$(echo "$inputs" | sha256sum | cut -c1-16)
out=$kcache/$hash
is_built() { [ -s "$out/vmlinux" ] && [ -s "$out/release" ] && [ -s "$out/config" ]; }
if is_built; then
	echo "$out"
	exit 0
fi
[ "$check" = 0 ] || exit 1

# One build at a time (a second one waits, then finds it built).
exec 9>"$kcache/lock"
if ! flock -n 9; then
	log "another build of the vmctl kernel is running; waiting for it"
	flock 9
fi
if is_built; then
	echo "$out"
	exit 0
fi

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/vmctl-kernel.XXXXXX")
stage=$(mktemp -d "$kcache/tmp.XXXXXX")   # same fs as $out: mv is a rename
trap 'rm -rf "$work" "$stage"' EXIT
# Leftovers of a build that was killed (we hold the lock).
find "$kcache" -maxdepth 1 -name 'tmp.*' ! -path "$stage" -exec rm -rf {} +

# --- source ------------------------------------------------------------------------------
deb="${src_pkg}_${src_ver//:/%3a}_all.deb"
if [ ! -s "$cache/$deb" ]; then
	log "downloading $src_pkg $src_ver (about 140 MB)"
	(cd "$work" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "$src_pkg=$src_ver" >/dev/null)
	mv "$work/$deb" "$cache/$deb.part"
	mv "$cache/$deb.part" "$cache/$deb"
	find "$cache" -maxdepth 1 -name "${src_pkg}_*.deb" ! -name "$deb" -delete
fi
log "unpacking the kernel source"
mkdir -p "$work/src"
dpkg-deb --fsys-tarfile "$cache/$deb" | tar -xO "./usr/src/$src_pkg.tar.xz" | xz -dc -T0 | tar -x -C "$work/src"
tree=$work/src/$src_pkg
[ -f "$tree/Makefile" ] || die "$deb has no $src_pkg source tree"
# vmctl's one change to the source: the APIC timer's period from the command
# line, so a VM skips 100 ms of calibration (see the file).  Appended, not
# patched, so that a newer 6.1 source takes it as well.
apic_c=$tree/arch/x86/kernel/apic/apic.c
grep -q '^unsigned int lapic_timer_period' "$apic_c" ||
	die "$apic_c has no lapic_timer_period to set (lapic-timer-period.c needs a look for this source)"
cat "$here/lapic-timer-period.c" >> "$apic_c"

# --- configuration ------------------------------------------------------------------------
# tinyconfig, then vmctl's options on top, then every other option at its
# default; then check that each option of vmctl.config is there as written.
log "configuring (tinyconfig + vmctl.config)"
# (Kconfig warns about every choice vmctl.config overrides: expected.)
make -s -C "$tree" tinyconfig >/dev/null
"$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" "$fragment" >"$work/merge.log" 2>&1 ||
	{ cat "$work/merge.log" >&2; die "merging vmctl.config failed"; }
make -s -C "$tree" olddefconfig >>"$work/merge.log" 2>&1 ||
	{ cat "$work/merge.log" >&2; die "make olddefconfig failed"; }
missing=()
while IFS= read -r line; do
	grep -qxF -- "$line" "$tree/.config" || missing+=("$line")
done < <(grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$fragment")
[ ${#missing[@]} -eq 0 ] ||
	die "vmctl.config asks for what this kernel's Kconfig did not give (a dependency or a renamed option): ${missing[*]}"

# --- build ------------------------------------------------------------------------------------
# Only vmlinux: QEMU boots the ELF, no bzImage and no modules.  Fixed build
# user, host and time, so the same inputs give the same `uname -v`.
jobs=$(nproc)
log "compiling vmlinux with $jobs jobs (about 9 minutes on 2 cores)"
nice -n "${VMCTL_KERNEL_NICE:-0}" make -C "$tree" -j"$jobs" vmlinux \
	KBUILD_BUILD_USER=vmctl KBUILD_BUILD_HOST=vmctl \
	KBUILD_BUILD_TIMESTAMP="$(date -u -d @"$(stat -c %Y "$tree/Makefile")")" \
	> "$work/make.log" 2>&1 || { tail -n 30 "$work/make.log" >&2; die "make vmlinux failed (the last lines are above)"; }
release=$(make -s -C "$tree" kernelrelease)
case $release in *-vmctl) ;; *) die "kernel release '$release' lacks -vmctl (CONFIG_LOCALVERSION)" ;; esac
[ "$(od -An -t x1 -N 4 "$tree/vmlinux" | tr -d ' \n')" = 7f454c46 ] || die "vmlinux is not an ELF file"
# The symbol table is for debuggers; QEMU loads only the program segments.
strip --strip-debug -o "$stage/vmlinux" "$tree/vmlinux"
cp "$tree/.config" "$stage/config"
echo "$release" > "$stage/release"
{ echo "$inputs"; echo "built_seconds=$(( $(date +%s) - started ))"; } > "$stage/inputs"
chmod 755 "$stage"
chmod 644 "$stage"/*
mv -T "$stage" "$out"
# Older kernels of this cache: nothing refers to them (images copy the file).
find "$kcache" -mindepth 1 -maxdepth 1 -type d ! -path "$out" -exec rm -rf {} +
log "built $release in $(( $(date +%s) - started )) s: $out/vmlinux ($(du -h "$out/vmlinux" | cut -f1))"
echo "$out"
