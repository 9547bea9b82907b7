#!/usr/bin/env bash
# The class table of `vmctl lab collect --html` in a real browser (Debian's
# chromium, headless, as scripts/test.sh installs it): the page shows a row per
# student with a cell per step, coloured by state, and a failure text with
# markup in it (a student's answer can hold anything) stays text: no element
# of it is made and no script of it runs.
# Usage: collect-html-test.sh VMCTL_BINARY LABS_DIR
set -u
vmctl=$1
export VMCTL_LABS=$2
browser=$(command -v chromium) || { echo "✗ chromium is not installed (scripts/test.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
expect() {  # expect "what" COMMAND...: the command must succeed
  local what=$1; shift
  if "$@"; then echo "✓ $what"; else echo "✗ $what"; failures=$((failures + 1)); fi
}

# Two students' progress files, as handed in: alice is on step 2 of lab 01
# after a failed check whose reason carries markup; bob's step 1 was done by
# the reference solution.
evil='<img src=x onerror="document.title=1"><script>document.title="pwned"</script>'
cat >"$work/alice.json" <<EOF
{"student": "alice", "active": "01-first-vm", "labs": {"01-first-vm": {"step": 1, "failed_checks": 2,
 "hints_shown": 1, "answers": {}, "started_at": "2026-12-01T10:00:00Z", "step_started_at": "2026-12-01T10:04:00Z",
 "finished_at": "", "last_failure": "$(printf '%s' "$evil" | sed 's/"/\\"/g')",
 "history": [{"step": 0, "started_at": "2026-12-01T10:00:00Z", "finished_at": "2026-12-01T10:04:00Z",
 "failed_checks": 0, "hints_shown": 0, "solved_by_solution": false, "last_failure": ""}]}}}
EOF
cat >"$work/bob.json" <<EOF
{"student": "bob", "active": "01-first-vm", "labs": {"01-first-vm": {"step": 1, "failed_checks": 0,
 "hints_shown": 0, "answers": {}, "started_at": "2026-12-01T10:00:00Z", "step_started_at": "2026-12-01T10:01:00Z",
 "finished_at": "", "last_failure": "",
 "history": [{"step": 0, "started_at": "2026-12-01T10:00:00Z", "finished_at": "2026-12-01T10:01:00Z",
 "failed_checks": 0, "hints_shown": 0, "solved_by_solution": true, "last_failure": ""}]}}}
EOF
"$vmctl" lab collect --html "$work/class.html" "$work/alice.json" "$work/bob.json" >"$work/collect.log" 2>&1 ||
  { echo "✗ vmctl lab collect --html failed:"; cat "$work/collect.log"; exit 1; }

# The DOM as the browser built it, after anything on the page could run.
"$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/profile" --virtual-time-budget=3000 --dump-dom "file://$work/class.html" \
  >"$work/dom.html" 2>"$work/browser.log" ||
  { echo "✗ chromium could not load the page:"; tail -n 5 "$work/browser.log"; exit 1; }
dom=$work/dom.html
expect "the browser built the page" grep -q '<h1>Lab progress</h1>' "$dom"
expect "a row for alice and one for bob" sh -c "grep -q '<th>alice</th>' '$dom' && grep -q '<th>bob</th>' '$dom'"
expect "alice's first step is done in 4 minutes, her second in progress" \
  sh -c "grep -Eq '<td class=\"done\"[^>]*>4' '$dom' && grep -q '<td class=\"now\"' '$dom'"
expect "bob's first step shows as done by the solution" grep -q '<td class="solved"[^>]*>solution' "$dom"
expect "the markup in alice's failure is shown as text" grep -q '&lt;script&gt;document.title' "$dom"
expect "no element of it was made" sh -c "! grep -Eq '<img|<script' '$dom'"
expect "no script of it ran (the title is the page's own)" grep -q '<title>Lab progress</title>' "$dom"
exit $((failures > 0))
