#!/usr/bin/env bash
# `vmctl dashboard` in a real browser (tests/dashboard_browser.py): start the
# dashboard on a free port, open it in headless Chromium, create, stop and
# delete a VM with vmctl, migrate one between the lab hosts and drain one,
# follow a student's lab progress on the class page, and check what the
# pages show after each. Needs root with libvirtd, the tiny image and the lab
# hosts host-a and host-b (ctest's lab_hosts fixture); it removes its VMs and
# its lab progress and stops its dashboard whatever happens.
# Usage: dashboard-browser-test.sh VMCTL_BINARY [SCREENSHOT]
set -u
vmctl=$1
here=$(cd "$(dirname "$0")" && pwd)
screenshot=${2:-$here/../docs/dashboard.png}
command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c "import selenium" 2>/dev/null ||
  { echo "✗ chromium, chromium-driver and python3-selenium are needed (scripts/test.sh installs them)"; exit 1; }
name=dash-browser-$$
work=$(mktemp -d)
dashboard_pid=
cleanup() {
  # Only what this test started: its dashboard by PID, its VM by name.
  if [ -n "$dashboard_pid" ] && kill -0 "$dashboard_pid" 2>/dev/null; then kill "$dashboard_pid"; wait "$dashboard_pid" 2>/dev/null; fi
  "$vmctl" delete "$name" --force >/dev/null 2>&1
  for host in host-a host-b; do for vm in "$name-m" "$name-s"; do
    "$vmctl" --host "$host" delete "$vm" --force >/dev/null 2>&1; done; done
  # The markup-named definition dashboard_browser.py makes (and normally removes).
  virsh -q -c qemu:///system list --all --name | grep -F "$name-<" | while IFS= read -r d; do
    virsh -q -c qemu:///system undefine "$d" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The class page reads this test's own lab progress (VMCTL_LAB_STATE), not root's.
VMCTL_LAB_STATE=$work/lab/state.json "$vmctl" dashboard --port "$port" >"$work/dashboard.log" 2>&1 &
dashboard_pid=$!
for _ in $(seq 50); do
  grep -q "^vmctl dashboard: http" "$work/dashboard.log" && break
  kill -0 "$dashboard_pid" 2>/dev/null || { echo "✗ vmctl dashboard exited:"; cat "$work/dashboard.log"; exit 1; }
  sleep 0.1
done
url=$(sed -n "s|^vmctl dashboard: \(http://127.0.0.1:$port/?token=[0-9a-f]\{32\}\) .*|\1|p" "$work/dashboard.log")
class_url=$(sed -n "s|^class progress.*: \(http://127.0.0.1:$port/class?token=[0-9a-f]\{32\}\)$|\1|p" "$work/dashboard.log")
[ -n "$url" ] && [ -n "$class_url" ] ||
  { echo "✗ vmctl dashboard printed no URL with a token, or no class page URL:"; cat "$work/dashboard.log"; exit 1; }
echo "✓ vmctl dashboard serves $url and the class page"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$code" = 403 ] && echo "✓ without its token the page is refused (403)" || { echo "✗ without its token: HTTP $code"; exit 1; }
# TMPDIR: the folders Chromium makes for itself go with $work, not into /tmp.
TMPDIR=$work /usr/bin/python3 "$here/dashboard_browser.py" "$vmctl" "$url" "$class_url" "$name" "$screenshot" "$work/lab/state.json"
status=$?
kill -0 "$dashboard_pid" 2>/dev/null && echo "✓ the dashboard still runs" || { echo "✗ the dashboard died:"; cat "$work/dashboard.log"; status=1; }
exit $status
