#!/usr/bin/env bash
# Benchmark: what the network costs, side by side in one run (median of RUNS).
#   1. boot: `vmctl create` to the ready line with a NIC on the vmctl network
#      against `--network none`, taking turns; and how long after the ready
#      line the address is known (create prints it). Targets: at most 1.05
#      times, and at most 1 s.
#   2. ssh: `vmctl ssh NAME -- true` against plain `ssh -i KEY root@IP true`
#      on the same VM (hyperfine). Target: at most 1.1 times. vmctl's calls
#      share one connection per VM (30 s after the last call), so it is
#      measured twice: calls in a row, and first calls (the shared
#      connection closed before each).
# Traffic goes only to the benchmark's own VM on the vmctl network.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
RUNS=${RUNS:-5}
nic=bench-net-nic
bare=bench-net-none
work=$(mktemp -d)

cleanup() {
  "$VMCTL" delete "$nic" --force >/dev/null 2>&1 || true
  "$VMCTL" delete "$bare" --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$VMCTL" delete "$nic" --force >/dev/null 2>&1 || true
"$VMCTL" delete "$bare" --force >/dev/null 2>&1 || true

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
boot_of() { sed -n 's/.*start \([0-9.]*\) s, boot to ready \([0-9.]*\) s.*/\1 + \2/p' | bc; }

for run in $(seq 1 "$RUNS"); do
  out=$("$VMCTL" create "$bare" --network none 2>/dev/null)
  echo "$out" | boot_of >> "$work/none.times"
  "$VMCTL" delete "$bare" --force >/dev/null
  out=$("$VMCTL" create "$nic" 2>/dev/null)
  echo "$out" | boot_of >> "$work/nic.times"
  echo "$out" | sed -n 's/^address: .*(\([0-9.]*\) s after ready).*/\1/p' >> "$work/address.times"
  if [ "$run" -lt "$RUNS" ]; then "$VMCTL" delete "$nic" --force >/dev/null; fi
  echo "run $run: none $(tail -1 "$work/none.times") s, nic $(tail -1 "$work/nic.times") s," \
       "address $(tail -1 "$work/address.times") s after ready"
done
n=$(median < "$work/none.times"); w=$(median < "$work/nic.times"); a=$(median < "$work/address.times")

# ssh, on the VM of the last run.
ip=$("$VMCTL" info "$nic" --get ip)
key=${VMCTL_HOME:-/var/lib/vmctl}/ssh/id_ed25519
opts=(-i "$key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no
      -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
plain="ssh ${opts[*]} root@$ip true"
mux=${VMCTL_HOME:-/var/lib/vmctl}/ssh/mux
close_shared="sh -c 'for s in $mux/*; do [ -S \"\$s\" ] && ssh -o ControlPath=\"\$s\" -O exit vm 2>/dev/null; done; true'"
hyperfine -N --warmup 2 --runs $((RUNS * 4)) --export-json "$work/ssh.json" \
  -n "vmctl ssh" "$VMCTL ssh $nic -- true" -n "plain ssh" "$plain" >/dev/null
hyperfine -N --warmup 1 --runs $((RUNS * 4)) --export-json "$work/ssh-first.json" --prepare "$close_shared" \
  -n "vmctl ssh, first call" "$VMCTL ssh $nic -- true" -n "plain ssh" "$plain" >/dev/null
read -r s_vmctl s_plain s_first < <(python3 -c '
import json, sys
r = {x["command"]: x["median"] for f in sys.argv[1:] for x in json.load(open(f))["results"]}
print(r["vmctl ssh"], r["plain ssh"], r["vmctl ssh, first call"])' "$work/ssh.json" "$work/ssh-first.json")
"$VMCTL" delete "$nic" --force >/dev/null  # closes the shared connection

echo
echo "| network benchmark, tiny image under TCG (median) | value |"
echo "| --- | --- |"
echo "| boot to ready, --network none ($RUNS runs) | ${n} s |"
echo "| boot to ready, NIC on the vmctl network ($RUNS runs) | ${w} s ($(echo "scale=3; $w / $n" | bc) times; target 1.05) |"
echo "| address known after the ready line | ${a} s (target 1 s) |"
printf '| plain ssh -i KEY root@IP true (%d runs) | %.3f s |\n' $((RUNS * 4)) "$s_plain"
printf '| vmctl ssh NAME -- true, calls in a row | %.3f s (%s times; target 1.1) |\n' "$s_vmctl" \
  "$(echo "scale=3; $s_vmctl / $s_plain" | bc)"
printf '| vmctl ssh NAME -- true, first call | %.3f s (%s times) |\n' "$s_first" \
  "$(echo "scale=3; $s_first / $s_plain" | bc)"
