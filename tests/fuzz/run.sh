#!/usr/bin/env bash
# Runs one fuzz target for a bounded time, starting from seed files.
# usage: run.sh TARGET_BINARY SECONDS ARTIFACT_DIR SEED...
# A crash (or any sanitizer report) fails the test and leaves the input in
# ARTIFACT_DIR; turn it into a unit test, then fix the parser.
set -euo pipefail
binary=$1 seconds=$2 artifacts=$3
shift 3
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for seed in "$@"; do
  [ -f "$seed" ] && cp "$seed" "$corpus/$(basename "$(dirname "$seed")")-$(basename "$seed")"
done
mkdir -p "$artifacts"
# -seed fixed: the same inputs on every run, so a failure can be repeated.
# Not exec: the trap above removes the corpus folder when the fuzzer is done.
status=0
"$binary" -seed=1 -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" || status=$?
exit "$status"
