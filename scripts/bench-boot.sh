#!/usr/bin/env bash
# Benchmark: time from "start" to the guest's ready line under TCG, median of
# RUNS runs, three ways side by side in one run:
#   naive:  Debian's compressed bzImage (vmlinuz) and the tiny initramfs,
#           defined and started with virsh on the pc board, console=ttyS0 only;
#   before: `vmctl create --image tiny-debian-kernel --chipset pc`, what
#           `vmctl create` did before the vmctl kernel and q35 (Debian's kernel
#           as an uncompressed ELF booted by PVH, tuned args, its modules);
#   vmctl:  `vmctl create`: the vmctl kernel (everything built in) on q35,
#           started by qboot rather than SeaBIOS.
# All three are measured the same way: from the start request to the ready
# line in the serial log. Targets: vmctl at most 0.25 times naive and at most
# 0.5 times before. Also prints the kernel's build time and the image sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
RUNS=${RUNS:-5}
images=${VMCTL_HOME:-/var/lib/vmctl}/images
image=$images/tiny-debian-kernel
work=$(mktemp -d)
naive=bench-boot-naive
before=bench-boot-before
fast=bench-boot-vmctl

cleanup() {
  "$VMCTL" delete "$fast" --force >/dev/null 2>&1 || true
  "$VMCTL" delete "$before" --force >/dev/null 2>&1 || true
  virsh destroy "$naive" >/dev/null 2>&1 || true
  virsh undefine "$naive" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; work=$(mktemp -d)
chmod 755 "$work"  # QEMU runs as libvirt-qemu and must reach the naive disk and log

now() { date +%s.%N; }
wait_ready() {  # $1 log file; prints the seconds since $2 when the ready line appears
  for _ in $(seq 1 1200); do
    if grep -q 'vmctl-guest: ready' "$1" 2>/dev/null; then echo "$(now) - $2" | bc; return; fi
    sleep 0.05
  done
  echo "timeout"; return 1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

qemu-img create -q -f qcow2 "$work/naive.qcow2" 1G
cat > "$work/naive.xml" <<XML
<domain type='qemu'>
  <name>$naive</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$image/vmlinuz</kernel><initrd>$image/initrd.img</initrd>
    <cmdline>console=ttyS0</cmdline></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='$work/naive.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <serial type='pty'><log file='$work/naive.log' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='virtio'/>
  </devices>
</domain>
XML
virsh define "$work/naive.xml" >/dev/null

: > "$work/naive.times"; : > "$work/vmctl.times"; : > "$work/vmctl-total.times"; : > "$work/before.times"
# vmctl's own breakdown: start + boot to ready, the same span as naive's.
vmctl_time() { sed -n 's/.*start \([0-9.]*\) s, boot to ready \([0-9.]*\) s.*/\1 + \2/p' | bc; }
for run in $(seq 1 "$RUNS"); do
  start=$(now); virsh start "$naive" >/dev/null
  wait_ready "$work/naive.log" "$start" >> "$work/naive.times"
  virsh destroy "$naive" >/dev/null

  "$VMCTL" create "$before" --image tiny-debian-kernel --chipset pc 2>/dev/null | vmctl_time >> "$work/before.times"
  "$VMCTL" delete "$before" --force >/dev/null

  start=$(now)
  out=$("$VMCTL" create "$fast" 2>/dev/null)
  echo "$(now) - $start" | bc >> "$work/vmctl-total.times"
  echo "$out" | vmctl_time >> "$work/vmctl.times"
  "$VMCTL" delete "$fast" --force >/dev/null
  echo "run $run: naive $(tail -1 "$work/naive.times") s, before $(tail -1 "$work/before.times") s," \
    "vmctl $(tail -1 "$work/vmctl.times") s"
done

two() { awk '{ printf "%.2f", $1 }'; }
n=$(median < "$work/naive.times" | two); v=$(median < "$work/vmctl.times" | two)
t=$(median < "$work/vmctl-total.times" | two); b=$(median < "$work/before.times" | two)
krel() { sed -n 's/^kernel_release=//p' "$images/$1/manifest"; }
kdir=$(images/tiny/kernel/build.sh --check)
echo
echo "| boot under TCG (median of $RUNS) | start to ready line |"
echo "| --- | --- |"
echo "| naive: Debian's bzImage via virsh, pc board | ${n} s |"
echo "| before: vmctl create, Debian's kernel $(krel tiny-debian-kernel) by PVH, pc board | ${b} s |"
echo "| vmctl create: vmctl kernel $(krel tiny) by PVH, q35 board, qboot | ${v} s |"
echo "| vmctl create, whole command (define + start + boot) | ${t} s |"
# Three decimals, rounded (bc's scale truncates: 0.2545 would read "0.25").
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "| ratio vmctl / naive | $(ratio "$v" "$n") (target at most 0.25) |"
echo "| ratio vmctl / before | $(ratio "$v" "$b") (target at most 0.5) |"
echo
mib() { echo "$(( ($(stat -c %s "$1") + 524288) / 1048576 )) MiB"; }
echo "| image files | tiny (vmctl kernel) | tiny-debian-kernel |"
echo "| --- | --- | --- |"
echo "| kernel (vmlinux, ELF) | $(mib "$images/tiny/vmlinux") | $(mib "$image/vmlinux") |"
echo "| initramfs (uncompressed cpio) | $(mib "$images/tiny/initrd.img") | $(mib "$image/initrd.img") |"
echo
echo "vmctl kernel build: $(sed -n 's/^built_seconds=//p' "$kdir/inputs") s on this machine ($(nproc) CPUs)"
