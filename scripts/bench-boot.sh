#!/usr/bin/env bash
# Benchmark: time from "start" to the guest's ready line for the tiny image
# under TCG, median of RUNS runs, side by side:
#   vmctl: `vmctl create` (uncompressed ELF vmlinux booted by PVH, tuned args)
#   naive: the same initramfs with the distribution's compressed bzImage
#          (vmlinuz), defined and started with virsh, console=ttyS0 only.
# Both are measured the same way: from the start request to the ready line in
# the serial log. Target: vmctl at most 0.55 times naive.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
RUNS=${RUNS:-5}
image=${VMCTL_HOME:-/var/lib/vmctl}/images/tiny
work=$(mktemp -d)
naive=bench-boot-naive
fast=bench-boot-vmctl

cleanup() {
  "$VMCTL" delete "$fast" --force >/dev/null 2>&1 || true
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

: > "$work/naive.times"; : > "$work/vmctl.times"; : > "$work/vmctl-total.times"
for run in $(seq 1 "$RUNS"); do
  start=$(now); virsh start "$naive" >/dev/null
  wait_ready "$work/naive.log" "$start" >> "$work/naive.times"
  virsh destroy "$naive" >/dev/null

  start=$(now)
  out=$("$VMCTL" create "$fast" 2>/dev/null)
  echo "$(now) - $start" | bc >> "$work/vmctl-total.times"
  # vmctl's own breakdown: start + boot to ready, the same span as naive's.
  echo "$out" | sed -n 's/.*start \([0-9.]*\) s, boot to ready \([0-9.]*\) s.*/\1 + \2/p' | bc >> "$work/vmctl.times"
  "$VMCTL" delete "$fast" --force >/dev/null
  echo "run $run: naive $(tail -1 "$work/naive.times") s, vmctl $(tail -1 "$work/vmctl.times") s"
done

n=$(median < "$work/naive.times"); v=$(median < "$work/vmctl.times"); t=$(median < "$work/vmctl-total.times")
echo
echo "| boot of the tiny image under TCG (median of $RUNS) | start to ready line |"
echo "| --- | --- |"
echo "| naive: bzImage vmlinuz via virsh | ${n} s |"
echo "| vmctl create: ELF vmlinux by PVH | ${v} s |"
echo "| vmctl create, whole command (define + start + boot) | ${t} s |"
echo "| ratio vmctl / naive | $(echo "scale=2; $v / $n" | bc) (target at most 0.55) |"
