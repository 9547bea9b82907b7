#!/usr/bin/env bash
# Benchmark: live migration of the same idle 256 MiB tiny guest between the
# same two lab hosts, `vmctl migrate` against `virsh migrate --live`, side by
# side, RUNS times each (back and forth). Then a busy guest that dirties
# memory fast, with and without --auto-converge. Needs root; brings lab hosts
# up and takes them down at the end.
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
timed_vmctl() {  # $1 from host, $2 to host
  local t0; t0=$(now)
  "$VMCTL" --host "$1" migrate bench-mig --to "$2" --json > "$work/report.json" 2>/dev/null
  echo "$(now) - $t0" | bc >> "$work/vmctl"
  sed -n 's/.*"downtime_ms": \([0-9]*\).*/\1/p' "$work/report.json" >> "$work/vmctl-down"
  sed -n 's/.*"longest_gap_ms": \([0-9.]*\).*/\1/p' "$work/report.json" >> "$work/vmctl-gap"
  grep -q '"tcp_kept": true' "$work/report.json" && echo kept >> "$work/vmctl-tcp" || echo lost >> "$work/vmctl-tcp"
  grep -q '"kept_running": true' "$work/report.json" || echo "warning: vmctl did not see the guest keep running" >&2
}

"$VMCTL" --host host-a create bench-mig >/dev/null 2>&1
sleep 2
ip=$("$VMCTL" --host host-a info bench-mig --get ip)
# Each run moves the VM four times, each tool once in each direction, the
# tools taking turns: A->B virsh, B->A vmctl, A->B vmctl, B->A virsh.
for i in $(seq 1 "$RUNS"); do
  timed_virsh "$A" "$B" 10.213.0.12
  timed_vmctl host-b host-a
  timed_vmctl host-a host-b
  timed_virsh "$B" "$A" 10.213.0.11
done
"$VMCTL" --host host-a delete bench-mig --force >/dev/null

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
  plain=$(busy "")
  converge=$(busy "--auto-converge")
fi

vw=$(median < "$work/virsh"); mw=$(median < "$work/vmctl")
vd=$(median < "$work/virsh-down"); md=$(median < "$work/vmctl-down")
echo "| idle 256 MiB guest, host-a <-> host-b ($((2 * RUNS)) moves each, median) | wall time | downtime |"
echo "| --- | --- | --- |"
echo "| virsh migrate --live --p2p | ${vw} s | ${vd} ms |"
echo "| vmctl migrate (pre-flight, progress, report, kept-running check) | ${mw} s | ${md} ms |"
echo "| ratio vmctl / virsh | $(echo "scale=2; $mw / $vw" | bc) (target at most 1.1) | |"
echo
vg=$(median < "$work/virsh-gap"); mg=$(median < "$work/vmctl-gap")
echo "| the VM's address during the move (40 probes a second) | median longest gap | worst | TCP connection |"
echo "| --- | --- | --- | --- |"
echo "| ping beside virsh migrate | ${vg} ms | $(sort -n "$work/virsh-gap" | tail -n 1) ms | - |"
echo "| vmctl migrate's own probes | ${mg} ms | $(sort -n "$work/vmctl-gap" | tail -n 1) ms | kept $(grep -c kept "$work/vmctl-tcp") of $(wc -l < "$work/vmctl-tcp") |"
if [ "${BUSY:-1}" = 1 ]; then
  echo
  echo "| busy guest rewriting 64 MiB in a loop | result |"
  echo "| --- | --- |"
  echo "| vmctl migrate | $plain |"
  echo "| vmctl migrate --auto-converge | $converge |"
fi
