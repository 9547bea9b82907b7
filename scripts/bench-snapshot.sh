#!/usr/bin/env bash
# Benchmark: snapshot create and revert of the same running tiny VM, vmctl
# against virsh, side by side, RUNS times each (medians). vmctl's revert is
# measured with --no-safety (the same work as virsh) and with its default
# safety snapshot. Target: vmctl at most 1.1 times virsh.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
RUNS=${RUNS:-5}
vm=bench-snap
cleanup() { "$VMCTL" delete "$vm" --force >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
"$VMCTL" create "$vm" >/dev/null 2>&1

now() { date +%s.%N; }
timed() { local t0; t0=$(now); "$@" >/dev/null; echo "$(now) - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }

for i in $(seq 1 "$RUNS"); do
  timed virsh snapshot-create-as "$vm" "virsh-$i" >> /tmp/$vm.virsh-create
  timed "$VMCTL" snapshot create "$vm" "vmctl-$i" >> /tmp/$vm.vmctl-create
done
for i in $(seq 1 "$RUNS"); do
  timed virsh snapshot-revert "$vm" "virsh-$i" >> /tmp/$vm.virsh-revert
  timed "$VMCTL" snapshot revert "$vm" "vmctl-$i" --no-safety >> /tmp/$vm.vmctl-revert
  timed "$VMCTL" snapshot revert "$vm" "vmctl-$i" >> /tmp/$vm.vmctl-revert-safety
done
vc=$(median < /tmp/$vm.virsh-create); mc=$(median < /tmp/$vm.vmctl-create)
vr=$(median < /tmp/$vm.virsh-revert); mr=$(median < /tmp/$vm.vmctl-revert)
ms=$(median < /tmp/$vm.vmctl-revert-safety)
rm -f /tmp/$vm.*
echo "| snapshot of a running 256 MiB tiny VM (median of $RUNS) | virsh | vmctl | ratio |"
echo "| --- | --- | --- | --- |"
echo "| create (with memory) | ${vc} s | ${mc} s | $(echo "scale=2; $mc / $vc" | bc) |"
echo "| revert | ${vr} s | ${mr} s (--no-safety) | $(echo "scale=2; $mr / $vr" | bc) |"
echo "| revert with vmctl's safety snapshot | - | ${ms} s | - |"
