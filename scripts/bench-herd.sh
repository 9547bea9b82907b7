#!/usr/bin/env bash
# Benchmark, side by side in one run:
#  1. `vmctl create --count N` (defined and started, then booted in parallel)
#     until all N are ready, against N sequential `vmctl create`;
#  2. disk used by N linked clones against N full clones of a VM whose disk
#     holds 64 MiB of data.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
N=${N:-10}
script=$(mktemp)

cleanup() {
  for name in $(virsh -q list --all --name | grep -E '^bench-(herd|seq|src|full|link)' || true); do
    "$VMCTL" delete "$name" --force >/dev/null 2>&1 || true
  done
  "$VMCTL" image delete bench-golden >/dev/null 2>&1 || true
  rm -f "$script"
}
trap cleanup EXIT
cleanup

now() { date +%s.%N; }
t0=$(now); "$VMCTL" create bench-herd --count "$N" >/dev/null 2>&1; herd=$(echo "$(now) - $t0" | bc)
"$VMCTL" delete --label group=bench-herd --yes >/dev/null
t0=$(now)
for i in $(seq 1 "$N"); do "$VMCTL" create "bench-seq-$i" >/dev/null 2>&1; done
seq_time=$(echo "$(now) - $t0" | bc)
for i in $(seq 1 "$N"); do "$VMCTL" delete "bench-seq-$i" --force >/dev/null; done

# A source VM with 64 MiB of data on its disk.
printf 'dd if=/dev/urandom of=/data/blob bs=1M count=64 2>/dev/null; sync; echo written\n' > "$script"
"$VMCTL" create bench-src --disk-size 1G --startup-script "$script" >/dev/null 2>&1
for _ in $(seq 1 120); do "$VMCTL" logs bench-src | grep -q 'startup: written' && break; sleep 1; done
"$VMCTL" stop bench-src >/dev/null
# Linked: one golden image, N overlays on it. Full: N independent copies.
"$VMCTL" image create bench-golden --from bench-src >/dev/null
for i in $(seq 1 "$N"); do
  "$VMCTL" create "bench-link-$i" --image bench-golden --no-wait >/dev/null 2>&1
  "$VMCTL" destroy "bench-link-$i" >/dev/null
  "$VMCTL" clone bench-src "bench-full-$i" --no-start >/dev/null 2>&1
done
used() { du -cb /var/lib/vmctl/pool/$1-*-disk0.qcow2 | tail -1 | cut -f1; }
linked=$(used bench-link); full=$(used bench-full)
bases=$(du -cb /var/lib/vmctl/golden/bench-golden.qcow2 | tail -1 | cut -f1)

echo "| $N VMs | time until all are ready |"
echo "| --- | --- |"
echo "| vmctl create --count $N (parallel boot) | ${herd} s |"
echo "| $N sequential vmctl create | ${seq_time} s |"
echo
echo "| $N clones of a VM with 64 MiB of data | disk used by the clones |"
echo "| --- | --- |"
echo "| full clones | $((full / 1048576)) MiB |"
echo "| linked clones (overlays on one golden image) | $((linked / 1048576)) MiB (+ $((bases / 1048576)) MiB for the golden image, shared) |"
