#!/usr/bin/env bash
# Benchmark: `vmctl list` against `virsh list --all` with 50 defined VMs, side
# by side in one run (hyperfine). The VMs are vmctl VMs (with metadata and
# labels), defined but not running; all are removed at the end.
# Then RUNNING VMs (default 50) are booted as a herd and both are measured
# again: a class's VMs running, where asking each QEMU anything would show.
# Target: vmctl at most 1.5 times virsh, both times.
set -euo pipefail
md=$(mktemp)
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
COUNT=${COUNT:-50}
RUNNING=${RUNNING:-50}
prefix=bench-list-
template=$(mktemp)

cleanup() {
  for name in $(virsh -q list --all --name | grep "^$prefix" || true); do
    "$VMCTL" delete "$name" --force >/dev/null 2>&1 || { virsh destroy "$name"; virsh undefine "$name"; } >/dev/null 2>&1 || true
  done
  rm -f "$template"
}
trap cleanup EXIT
cleanup

# One real vmctl VM, then 49 more defined from its XML with new names and UUIDs.
"$VMCTL" create "${prefix}1" --no-wait --label group=bench >/dev/null 2>&1
"$VMCTL" destroy "${prefix}1" >/dev/null
"$VMCTL" xml "${prefix}1" > "$template"
for i in $(seq 2 "$COUNT"); do
  sed -e "s/${prefix}1</${prefix}${i}</g" -e '/<uuid>/d' "$template" | virsh define /dev/stdin >/dev/null
done
echo "defined $(virsh -q list --all --name | grep -c "^$prefix") VMs"

hyperfine --warmup 3 --runs 30 -N \
  --command-name 'virsh list --all' 'virsh list --all' \
  --command-name 'vmctl list' "$VMCTL list" \
  --export-markdown "$md" >/dev/null; cat "$md"

[ "$RUNNING" -gt 0 ] || exit 0
echo "booting $RUNNING more VMs (a herd, ${prefix}run-1..$RUNNING); this takes a few minutes under TCG"
"$VMCTL" create "${prefix}run" --count "$RUNNING" --timeout 900 >/dev/null
echo "$(virsh -q list --name | grep -c "^$prefix") VMs running, $(virsh -q list --all --name | grep -c "^$prefix") in all"
hyperfine --warmup 3 --runs 30 -N \
  --command-name 'virsh list --all' 'virsh list --all' \
  --command-name 'vmctl list' "$VMCTL list" \
  --export-markdown "$md" >/dev/null; cat "$md"
