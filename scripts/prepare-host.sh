#!/usr/bin/env bash
# Prepares this machine for vmctl: Debian packages, the users and groups
# Debian's QEMU driver expects, libvirt's directories, and the virtlogd and
# libvirtd daemons when nothing (no systemd) starts them. Idempotent: a second
# run only checks. Needs root; a non-root user can run VMs with
# qemu:///session once root has installed the packages.
set -euo pipefail

PACKAGES=(
  # build
  cmake g++ make pkg-config
  libvirt-dev libboost-program-options-dev libspdlog-dev libfmt-dev
  libpugixml-dev nlohmann-json3-dev libyaml-cpp-dev libgtest-dev libgmock-dev
  libssl-dev  # HMAC-SHA256 over a student's lab progress
  # run
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
  qemu-system-x86 qemu-utils
  # the tiny guest image recipe
  busybox-static cpio xz-utils gzip
  # the debian-12 image recipe (mmdebstrap), and the cloud-init seed disk
  # each of its VMs gets (a FAT filesystem: mkfs.vfat, mcopy)
  mmdebstrap e2fsprogs dosfstools mtools
  # the VM network (libvirt runs dnsmasq and sets NAT rules with iptables)
  # and `vmctl ssh`
  dnsmasq-base iptables openssh-client curl
  # ping, for watching a VM answer while it migrates (lab 06)
  iputils-ping
  # git, for keeping a deployment file's history and reverting a change (lab 08)
  git
  # simulated hosts and benchmarks
  iproute2 hyperfine bc libxml2-utils
  # tab completion of vmctl's commands, options and VM names
  bash-completion
)

say() { printf 'prepare-host: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  missing=$(dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null | grep -vc 'install ok installed' || true)
  if [ "$missing" != "0" ]; then
    say "some packages are missing; ask an administrator to run: sudo $0"
    exit 1
  fi
  say "packages are installed; as a normal user vmctl uses qemu:///session (no daemon to start)"
  exit 0
fi

# 1. Packages, installed only when one is missing (apt-get update is slow).
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. The user and groups that libvirt-daemon-system would create: Debian's
#    QEMU driver runs guests as libvirt-qemu and refuses to start without it.
for group in kvm libvirt libvirt-qemu; do
  getent group "$group" >/dev/null || groupadd --system "$group"
done
if ! getent passwd libvirt-qemu >/dev/null; then
  useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin \
    --gid libvirt-qemu --groups kvm libvirt-qemu
fi
# The instructors: under sudo, only they read the whole class's progress
# (`vmctl lab collect`). Whoever sets the machine up is one.
getent group vmctl-instructors >/dev/null || groupadd --system vmctl-instructors
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && id -u "$SUDO_USER" >/dev/null 2>&1; then
  id -nG "$SUDO_USER" | grep -qw vmctl-instructors || usermod -a -G vmctl-instructors "$SUDO_USER"
fi
# What udev does on a normal Debian host. Without it libvirt finds its cached
# QEMU capabilities stale on every call (the /dev/kvm it probed is not
# accessible to libvirt-qemu) and re-probes QEMU: each start took 4 s, not 0.4 s.
if [ -e /dev/kvm ]; then
  chgrp kvm /dev/kvm && chmod 660 /dev/kvm
fi
mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/lib/libvirt/images /var/cache/libvirt /run/libvirt
mkdir -p /var/lib/vmctl/pool /var/lib/vmctl/logs /var/lib/vmctl/images
chmod 755 /var/lib/vmctl /var/lib/vmctl/images

# The shared images, read-only to the VMs that boot them. vmctl points new
# VMs' kernel and initrd at this view; libvirt, which hands every file a VM
# uses to the QEMU user while it runs, leaves files on a read-only mount as
# they are, so a QEMU process can never rewrite what every other VM boots.
# /run is emptied by a reboot: this script mounts it again.
view=/run/vmctl-images  # not under /run/vmctl, which lab hosts keep root-only
if ! mountpoint -q "$view"; then
  say "mounting a read-only view of the shared images at $view"
  mkdir -p "$view"
  mount --bind /var/lib/vmctl/images "$view"
  mount -o remount,bind,ro "$view"
fi
# Kernels and initrds that libvirt gave to the QEMU user before the view existed.
find /var/lib/vmctl/images -maxdepth 2 -type f \( -name 'vmlinu[xz]' -o -name 'initrd*' \) ! -user root \
  -exec chown root:root {} +

# 3. The daemons. Under systemd they are socket-activated; otherwise start
#    them here, once. A daemon that already answers is left alone.
answers() { timeout 10 virsh -q -c qemu:///system version >/dev/null 2>&1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# 4. The vmctl network (share/network-vmctl.xml): defined, started and
#    autostarted once; a later run only starts it again if it stopped.
network() {
  local xml
  xml=$(cd "$(dirname "$0")/.." && pwd)/share/network-vmctl.xml
  if ! virsh -q -c qemu:///system net-info vmctl >/dev/null 2>&1; then
    say "defining the VM network 'vmctl' (10.215.0.0/24, NAT, DHCP and DNS)"
    virsh -q -c qemu:///system net-define "$xml" >/dev/null
  fi
  # Read whole, then matched: grep -q in a pipe would end virsh early, and
  # under pipefail that SIGPIPE would read as "not active".
  local info
  info=$(virsh -q -c qemu:///system net-info vmctl 2>/dev/null || true)
  if ! grep -Eq '^Active: +yes' <<<"$info"; then
    say "starting the VM network 'vmctl'"
    virsh -q -c qemu:///system net-start vmctl >/dev/null
  fi
  virsh -q -c qemu:///system net-autostart vmctl >/dev/null

  # A student's VMs (qemu:///session, no root) join the same network through
  # QEMU's bridge helper: setuid root, it plugs a user's tap into a bridge
  # that /etc/qemu/bridge.conf allows, and only those. Debian ships it
  # without the setuid bit and without a bridge.conf.
  mkdir -p /etc/qemu
  if ! grep -qx 'allow vmctl0' /etc/qemu/bridge.conf 2>/dev/null; then
    say "allowing users' VMs onto bridge vmctl0 (/etc/qemu/bridge.conf)"
    echo 'allow vmctl0' >> /etc/qemu/bridge.conf
  fi
  chown root:root /etc/qemu/bridge.conf && chmod 644 /etc/qemu/bridge.conf
  chown root:root /usr/lib/qemu/qemu-bridge-helper && chmod 4755 /usr/lib/qemu/qemu-bridge-helper
  # What udev does on a normal Debian host (the helper keeps only
  # CAP_NET_ADMIN, so it cannot open a 0600 device). Opening it grants
  # nothing by itself: making a tap still needs CAP_NET_ADMIN.
  if [ -c /dev/net/tun ]; then chmod 666 /dev/net/tun; fi
}

if answers; then
  say "libvirtd answers at qemu:///system"
  network
  exit 0
fi
if [ -d /run/systemd/system ]; then
  systemctl start virtlogd.socket libvirtd.socket libvirtd.service
else
  alive /run/virtlogd.pid || { say "starting virtlogd"; virtlogd -d; }
  alive /run/libvirtd.pid || { say "starting libvirtd"; libvirtd -d; }
fi
for _ in $(seq 1 50); do
  answers && { say "libvirtd answers at qemu:///system"; network; exit 0; }
  sleep 0.2
done
say "libvirtd did not answer; see /var/log/libvirt/libvirtd.log"
exit 1
