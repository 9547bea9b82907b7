#!/usr/bin/env bash
# Benchmark: how many students one machine holds for a lab. N simulated
# students (VMCTL_STUDENT=loadI, each with a progress file of their own) run
# the lab's reference solutions at the same time, step by step, as `lab solve`
# does for an instructor; beside it, in the same run, one student alone. It
# reports per step the mean and the slowest time of the class against the
# student alone, the failures with their reasons, and the load average. Real
# libvirt and QEMU, as root; every student's VMs are removed afterwards.
# Usage: sudo scripts/bench-class.sh [STUDENTS] [LAB]    (default: 8 01)
set -uo pipefail
cd "$(dirname "$0")/.."
VMCTL=$(realpath "${VMCTL:-build/vmctl}")
students=${1:-8}
lab=${2:-01}
case $students in '' | *[!0-9]*) echo "STUDENTS must be a number, e.g. 8" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "run it as root (sudo), as the lab tests run" >&2; exit 2; }
lab_file=$(ls labs/"$lab"-*/lab.yaml 2>/dev/null | head -n 1)
[ -n "$lab_file" ] || { echo "there is no lab $lab under labs/; see 'vmctl lab list'" >&2; exit 2; }
steps=$(grep -c '^  - title:' "$lab_file")
work=$(mktemp -d)
export VMCTL_LABS=$PWD/labs

# as STUDENT CMD...: vmctl as one simulated student.
as() {
  local who=$1; shift
  VMCTL_STUDENT=$who VMCTL_LAB_STATE=$work/$who.json "$VMCTL" "$@"
}
all_students() { echo alone; seq -f 'load%g' 1 "$students"; }
cleanup() {
  for who in $(all_students); do as "$who" lab reset "$lab" --clean-only --yes >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT

# run STUDENT: solves the lab a step at a time; one line per step: "STEP ok|fail SECONDS".
run() {
  local who=$1 k t0 status
  as "$who" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
  for k in $(seq 1 "$steps"); do
    t0=$(date +%s.%N)
    if as "$who" lab solve "$lab" --step "$k" >"$work/$who.$k.log" 2>&1; then status=ok; else status=fail; fi
    echo "$k $status $(echo "$(date +%s.%N) - $t0" | bc)"
    [ "$status" = ok ] || { grep -m1 'error:' "$work/$who.$k.log" | sed "s/^/  $who step $k: /" >&2; break; }
  done >"$work/$who.times"
  as "$who" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
}

echo "lab $lab ($steps steps), one student alone, then $students at once, on $(nproc) CPUs ($(uname -n))"
started=$(date +%s.%N)
run alone
alone_s=$(echo "$(date +%s.%N) - $started" | bc)
started=$(date +%s.%N)
load_max=0
for who in $(seq -f 'load%g' 1 "$students"); do run "$who" & done
while [ -n "$(jobs -r)" ]; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  load_max=$(echo "if ($load > $load_max) $load else $load_max" | bc)
  sleep 2
done
wait
class_s=$(echo "$(date +%s.%N) - $started" | bc)

printf '\n%-6s %10s %12s %12s %9s\n' step alone_s class_mean_s class_max_s failures
for k in $(seq 1 "$steps"); do
  alone=$(awk -v k="$k" '$1 == k {print $3}' "$work/alone.times")
  cat "$work"/load*.times | awk -v k="$k" -v alone="${alone:--}" '
    $1 == k { n++; sum += $3; if ($3 > max) max = $3; if ($2 != "ok") fail++ }
    END { printf "%-6s %10s %12.1f %12.1f %9d\n", k, alone == "-" ? "-" : sprintf("%.1f", alone), n ? sum / n : 0, max, fail + 0 }'
done
done_ok=$(grep -l "^$steps ok" "$work"/load*.times 2>/dev/null | wc -l)
printf '\nalone: %.0f s; %d students at once: %.0f s, %d of %d finished every step; highest load average %s\n' \
  "$alone_s" "$students" "$class_s" "$done_ok" "$students" "$load_max"
[ "$done_ok" = "$students" ]
