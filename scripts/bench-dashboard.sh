#!/usr/bin/env bash
# What `vmctl dashboard` itself costs: start it on a free port, create N idle
# VMs (dash-bench-1..N, the default tiny image), open CLIENTS event streams with
# curl (each as a page does), and read the dashboard's CPU time from
# /proc/PID/stat over SECONDS. Prints CPU % of one core. Removes its VMs and
# stops what it started, whatever happens.
# Usage: sudo scripts/bench-dashboard.sh [VMCTL] [N=0] [CLIENTS=30] [SECONDS=30]
set -u
vmctl=${1:-build/vmctl}
vms=${2:-0}
clients=${3:-30}
seconds=${4:-30}
work=$(mktemp -d)
pids=()
cleanup() {
  # Only the processes this script started, by PID, and its own VMs.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for i in $(seq "$vms"); do "$vmctl" delete "dash-bench-$i" --force >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A herd: dash-bench-1..N, booted in parallel.
if [ "$vms" -gt 0 ]; then
  "$vmctl" create dash-bench --count "$vms" >/dev/null || { echo "vmctl create dash-bench --count $vms failed"; exit 1; }
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$vmctl" dashboard --port "$port" >"$work/dashboard.log" 2>&1 &
dashboard=$!
pids+=("$dashboard")
sleep 2
kill -0 "$dashboard" 2>/dev/null || { echo "the dashboard did not start:"; cat "$work/dashboard.log"; exit 1; }
token=$(sed -n 's/^vmctl dashboard: .*?token=\([0-9a-f]*\) .*/\1/p' "$work/dashboard.log")
[ -n "$token" ] || { echo "the dashboard printed no URL with its token:"; cat "$work/dashboard.log"; exit 1; }
for i in $(seq "$clients"); do
  curl -sN "http://127.0.0.1:$port/events?token=$token" >"$work/client-$i.txt" 2>/dev/null &
  pids+=("$!")
done
sleep 3  # the streams' first picture is not what we measure
ticks() { awk '{ print $14 + $15 }' "/proc/$dashboard/stat"; }  # utime + stime
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep "$seconds"
t1=$(ticks)
received=$(cat "$work"/client-*.txt | grep -c '^event: host')
echo "vmctl dashboard: $clients event streams, $vms VMs of ours (plus any others on the hosts), ${seconds} s"
awk -v t="$((t1 - t0))" -v hz="$hz" -v s="$seconds" 'BEGIN { printf "CPU: %.2f%% of one core (%d ticks of 1/%d s)\n", 100 * t / hz / s, t, hz }'
echo "host events received by all streams together: $received"
