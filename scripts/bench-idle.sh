#!/usr/bin/env bash
# Benchmark: what a class's worth of idle VMs costs this machine, before and
# after the vmctl kernel and q35, side by side in one run:
#   before: `vmctl create --count N --image tiny-debian-kernel --chipset pc`
#   vmctl:  `vmctl create --count N` (the vmctl kernel on q35)
# For each: the time until all N are ready, then (after SETTLE seconds) the
# share of all host CPUs their QEMU processes use over WINDOW seconds while
# the guests sit idle (heartbeat only), and the memory (RSS) of each QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
N=${N:-30}
SETTLE=${SETTLE:-20}
WINDOW=${WINDOW:-30}
group=bench-idle

cleanup() { "$VMCTL" delete --label group=$group --yes >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

now() { date +%s.%N; }
hz=$(getconf CLK_TCK)
cpu_ticks() {  # utime + stime of every QEMU of the herd, in clock ticks
  local total=0 name pid
  for name in "${names[@]}"; do
    pid=$(cat "/run/libvirt/qemu/$name.pid")
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
rss_mib() {  # the median RSS of the herd's QEMUs, in MiB
  local name pid
  for name in "${names[@]}"; do
    pid=$(cat "/run/libvirt/qemu/$name.pid")
    awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status"
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

measure() {  # measure LABEL ARGS...: one herd, one row of the table
  local label=$1; shift
  local t0 took c0 c1 pct
  t0=$(now)
  "$VMCTL" create "$group" --count "$N" "$@" >/dev/null 2>&1
  took=$(echo "$(now) - $t0" | bc)
  names=()
  for i in $(seq 1 "$N"); do names+=("$group-$i"); done
  sleep "$SETTLE"
  c0=$(cpu_ticks); t0=$(now)
  sleep "$WINDOW"
  c1=$(cpu_ticks)
  pct=$(echo "scale=1; 100 * ($c1 - $c0) / $hz / ($(now) - $t0) / $(nproc)" | bc)
  echo "| $label | ${took} s | ${pct} % | $(rss_mib) MiB |"
  "$VMCTL" delete --label group=$group --yes >/dev/null
}

echo "| $N idle VMs on $(nproc) CPUs | create --count $N until all ready | CPU while idle (share of all CPUs) | memory per VM (QEMU RSS, median) |"
echo "| --- | --- | --- | --- |"
measure "before: Debian's kernel, pc board" --image tiny-debian-kernel --chipset pc
measure "vmctl kernel, q35 board"
