#!/usr/bin/env bash
# Benchmark: migration of the same idle 256 MiB tiny guest between the same
# two lab hosts, `vmctl migrate --precopy` against `virsh migrate --live`
# (both live pre-copy), side by side, and vmctl's default, which under TCG on
# QEMU before 9.0 is a paused copy (live pre-copy there can lose guest
# writes), RUNS times each (back and forth). Then a busy guest that dirties
# memory fast: paused copy, pre-copy, pre-copy with --auto-converge. Needs
# root; brings lab hosts up and takes them down at the end.
# Targets: vmctl wall time at most 1.1 times virsh; downtime at most 300 ms;
# the VM's address answers again within 300 ms (longest gap between answers
# to probes 40 times a second: vmctl's own probes, and ping beside virsh) and
# a TCP connection opened before the move survives it (vmctl's report).
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
RUNS=${RUNS:-5}
work=$(mktemp -d)
script=$work/busy.sh
cleanup() {
  "$VMCTL" hosts down --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$VMCTL" hosts up --count 2 >/dev/null 2>&1
# The hosts' daemons listen only on root's Unix sockets; vmctl knows them.
uri_of() { "$VMCTL" hosts list --json | python3 -c 'import json, sys
print(next(h["uri"] for h in json.load(sys.stdin) if h["name"] == sys.argv[1]))' "$1"; }
A=$(uri_of host-a)
B=$(uri_of host-b)

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
virsh_migrate() {  # $1 name, $2 from uri, $3 to uri, $4 to address
  virsh -q -c "$2" migrate --live --p2p --persistent --undefinesource --unsafe "$1" "$3" "tcp://$4" \
    --listen-address "$4" >/dev/null
}
downtime_of() { virsh -c "$1" domjobinfo "$2" --completed | awk '/^Total downtime/ {print $3}'; }
# The longest time between two answers in ping's output, in ms.
ping_gap() {
  awk -v ms="$1" '/icmp_seq=/ { split($0, a, "icmp_seq="); split(a[2], b, " "); s = b[1] + 0;
                    if (last != "" && (s - last) * ms > gap) gap = (s - last) * ms; last = s }
                  END { printf "%.0f\n", gap }' "$2"
}
timed_virsh() {  # $1 from uri, $2 to uri, $3 to address
  local t0 pinger; t0=$(now)
  ping -n -i 0.025 "$ip" > "$work/ping.out" 2>&1 &
  pinger=$!
  sleep 0.2
  virsh_migrate bench-mig "$1" "$2" "$3"
  echo "$(now) - $t0" | bc >> "$work/virsh"
  sleep 0.3
  kill "$pinger"; wait "$pinger" 2>/dev/null || true
  ping_gap 25 "$work/ping.out" >> "$work/virsh-gap"
  downtime_of "$2" bench-mig >> "$work/virsh-down"
}
timed_vmctl() {  # $1 from host, $2 to host, $3 "vmctl" (--precopy, bench-mig) or "paused" (default, bench-paused)
  local t0 flag="" vm=bench-paused; t0=$(now)
  [ "$3" = vmctl ] && flag=--precopy && vm=bench-mig
  "$VMCTL" --host "$1" migrate "$vm" --to "$2" --json $flag > "$work/report.json" 2>/dev/null
  echo "$(now) - $t0" | bc >> "$work/$3"
  sed -n 's/.*"downtime_ms": \([0-9]*\).*/\1/p' "$work/report.json" >> "$work/$3-down"
  sed -n 's/.*"longest_gap_ms": \([0-9.]*\).*/\1/p' "$work/report.json" >> "$work/$3-gap"
  grep -q '"tcp_kept": true' "$work/report.json" && echo kept >> "$work/$3-tcp" || echo lost >> "$work/$3-tcp"
  grep -q '"kept_running": true' "$work/report.json" && echo kept >> "$work/$3-alive" || echo lost >> "$work/$3-alive"
}

# Live pre-copy moves bench-mig (virsh and vmctl --precopy take turns), the
# paused copy moves bench-paused: a guest that a live move spoils (see the
# README) spoils only the live rows. Each run moves bench-mig four times,
# each tool once in each direction (virsh A->B, vmctl B->A, vmctl A->B,
# virsh B->A), and bench-paused there and back between them.
"$VMCTL" --host host-a create bench-mig >/dev/null 2>&1
"$VMCTL" --host host-a create bench-paused >/dev/null 2>&1
sleep 2
ip=$("$VMCTL" --host host-a info bench-mig --get ip)
for i in $(seq 1 "$RUNS"); do
  timed_virsh "$A" "$B" 10.213.0.12
  timed_vmctl host-b host-a vmctl
  timed_vmctl host-a host-b paused
  timed_vmctl host-a host-b vmctl
  timed_vmctl host-b host-a paused
  timed_virsh "$B" "$A" 10.213.0.11
done
"$VMCTL" --host host-a delete bench-mig --force >/dev/null
"$VMCTL" --host host-a delete bench-paused --force >/dev/null

# A guest that rewrites 64 MiB of memory in a loop.
printf 'while :; do dd if=/dev/zero of=/tmp/dirty bs=1M count=64 2>/dev/null; done\n' > "$script"
busy() {  # $1 extra flag; prints wall seconds, downtime ms, passes
  "$VMCTL" --host host-a create bench-busy --startup-script "$script" >/dev/null 2>&1
  sleep 3
  t0=$(now)
  # A guest that dirties memory faster than it is sent may never converge:
  # after 90 s, Ctrl-C (SIGINT) makes vmctl cancel the job.
  if timeout -s INT 90 "$VMCTL" --host host-a migrate bench-busy --to host-b --json $1 > "$work/busy.json" 2>/dev/null; then
    echo "$(printf '%.1f' "$(echo "$(now) - $t0" | bc)") s, downtime $(sed -n 's/.*"downtime_ms": \([0-9]*\).*/\1/p' "$work/busy.json") ms, $(sed -n 's/.*"iterations": \([0-9]*\).*/\1/p' "$work/busy.json") passes"
  else
    echo "did not converge within 90 s (cancelled; the VM stayed on host-a)"
  fi
  "$VMCTL" --host host-b delete bench-busy --force >/dev/null 2>&1 || "$VMCTL" --host host-a delete bench-busy --force >/dev/null 2>&1 || true
}
if [ "${BUSY:-1}" = 1 ]; then
  paused=$(busy "")
  plain=$(busy "--precopy")
  converge=$(busy "--precopy --auto-converge")
fi

vw=$(median < "$work/virsh"); mw=$(median < "$work/vmctl"); pw=$(median < "$work/paused")
vd=$(median < "$work/virsh-down"); md=$(median < "$work/vmctl-down"); pd=$(median < "$work/paused-down")
alive() { echo "$(grep -c kept "$work/$1-alive") of $(wc -l < "$work/$1-alive")"; }
echo "| idle 256 MiB guest, host-a <-> host-b ($((2 * RUNS)) moves each, median) | wall time | downtime | guest kept running |"
echo "| --- | --- | --- | --- |"
echo "| virsh migrate --live --p2p | ${vw} s | ${vd} ms | not checked |"
echo "| vmctl migrate --precopy (pre-flight, progress, report, kept-running check) | ${mw} s | ${md} ms | $(alive vmctl) |"
echo "| ratio vmctl / virsh, both live pre-copy | $(echo "scale=2; $mw / $vw" | bc) (target at most 1.1) | | |"
echo "| vmctl migrate (default here: paused copy) | ${pw} s | ${pd} ms | $(alive paused) |"
echo
vg=$(median < "$work/virsh-gap"); mg=$(median < "$work/vmctl-gap"); pg=$(median < "$work/paused-gap")
echo "| the VM's address during the move (40 probes a second) | median longest gap | worst | TCP connection |"
echo "| --- | --- | --- | --- |"
echo "| ping beside virsh migrate | ${vg} ms | $(sort -n "$work/virsh-gap" | tail -n 1) ms | - |"
echo "| vmctl migrate --precopy's own probes | ${mg} ms | $(sort -n "$work/vmctl-gap" | tail -n 1) ms | kept $(grep -c kept "$work/vmctl-tcp") of $(wc -l < "$work/vmctl-tcp") |"
echo "| vmctl migrate (paused copy)'s own probes | ${pg} ms | $(sort -n "$work/paused-gap" | tail -n 1) ms | kept $(grep -c kept "$work/paused-tcp") of $(wc -l < "$work/paused-tcp") |"
if [ "${BUSY:-1}" = 1 ]; then
  echo
  echo "| busy guest rewriting 64 MiB in a loop | result |"
  echo "| --- | --- |"
  echo "| vmctl migrate (paused copy) | $paused |"
  echo "| vmctl migrate --precopy | $plain |"
  echo "| vmctl migrate --precopy --auto-converge | $converge |"
fi
