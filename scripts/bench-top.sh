#!/usr/bin/env bash
# Benchmark: `vmctl top --once` with N running VMs against the same facts
# gathered with one `virsh domstats` call, side by side (hyperfine); and the
# round trip of `vmctl exec NAME -- true` through the guest agent.
# vmctl top takes two samples to compute CPU %: it runs with --interval 0.1,
# so 0.1 s of its time is that wait.
set -euo pipefail
md=$(mktemp)
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
N=${N:-20}
cleanup() { "$VMCTL" delete --label group=bench-top --yes >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
"$VMCTL" create bench-top --count "$N" >/dev/null 2>&1
echo "$(virsh -q list --name | grep -c '^bench-top-') VMs running"
hyperfine --warmup 2 --runs 15 -N \
  --command-name 'virsh domstats (state, cpu, balloon, vcpu, block)' \
  'virsh domstats --state --cpu-total --balloon --vcpu --block' \
  --command-name 'vmctl top --once --json --interval 0.1' "$VMCTL top --once --json --interval 0.1" \
  --export-markdown "$md" >/dev/null; cat "$md"
"$VMCTL" exec bench-top-1 -- true >/dev/null  # the agent is up
hyperfine --warmup 2 --runs 20 -N --command-name 'vmctl exec bench-top-1 -- true' "$VMCTL exec bench-top-1 -- true" \
  --export-markdown "$md" >/dev/null; cat "$md"
