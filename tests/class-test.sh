#!/usr/bin/env bash
# A class on one machine: two real users (made by this test) do lab 01 at the
# same time, first each in their own libvirt session, then both under sudo in
# root's libvirt, which they share. Both must pass; neither may see, change or
# remove the other's VMs or progress. Real libvirt and QEMU, as root; the
# users, their VMs, their per-user daemons and files go even when it fails.
# Usage: class-test.sh VMCTL_BINARY LABS_DIR
set -u
students=(vmctl-e2e-alice vmctl-e2e-bob)
work=$(mktemp -d /tmp/vmctl-class.XXXXXX)
failures=0
fail() { echo "✗ $*"; failures=$((failures + 1)); }
ok() { echo "✓ $*"; }

# Each student runs a copy of vmctl and of the labs that they can surely reach.
chmod 755 "$work"
install -m 755 "$1" "$work/vmctl"
cp -r "$2" "$work/labs"
chmod -R a+rX "$work/labs"

# as_student USER ARGS...: vmctl as the user, with a login-like environment.
as_student() {
  local user=$1; shift
  (cd / && runuser -u "$user" -- env -i HOME="/home/$user" USER="$user" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
     VMCTL_LABS="$work/labs" "$work/vmctl" "$@" </dev/null)
}
# with_sudo USER ARGS...: vmctl as root, with the variables sudo sets for USER.
with_sudo() {
  local user=$1; shift
  (cd / && env SUDO_USER="$user" SUDO_UID="$(id -u "$user")" SUDO_GID="$(id -g "$user")" \
     VMCTL_LABS="$work/labs" "$work/vmctl" "$@" </dev/null)
}

# The names of the VMs USER sees in their session.
vm_names() {
  as_student "$1" list --json 2>/dev/null | grep -o '"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/'
}

remove_user() {
  local user=$1
  id -u "$user" >/dev/null 2>&1 || return 0
  if [ -d "/home/$user" ]; then
    as_student "$user" lab reset 01 --clean-only --yes >/dev/null 2>&1
    for vm in $(vm_names "$user"); do as_student "$user" delete "$vm" --force >/dev/null 2>&1; done
    for daemon in libvirtd virtlogd; do
      pid=$(cat "/home/$user/.cache/libvirt/$daemon.pid" 2>/dev/null) && kill "$pid" 2>/dev/null &&
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
  fi
  with_sudo "$user" lab reset 01 --clean-only --yes >/dev/null 2>&1
  rm -f "/var/lib/vmctl/labs/students/$user.json" "/var/lib/vmctl/labs/students/$user.json.lock"
  rm -rf "/var/lib/vmctl/labs/work/$user"
  userdel -r "$user" 2>/dev/null
  id -u "$user" >/dev/null 2>&1 && fail "the test user $user could not be removed"
}
cleanup() {
  for user in "${students[@]}"; do remove_user "$user"; done
  rm -rf "$work"
}
trap cleanup EXIT
for user in "${students[@]}"; do
  remove_user "$user"  # what a failed earlier run left
  useradd -m -s /bin/sh "$user" || { echo "could not make the user $user"; exit 1; }
done

# both CMD...: runs CMD for each student at the same time ("{}" is the
# student); fails for each that fails, with the end of its output.
both() {
  local pids=() user i=0
  for user in "${students[@]}"; do
    "${@//\{\}/$user}" >"$work/$user.log" 2>&1 &
    pids+=($!)
  done
  for user in "${students[@]}"; do
    if ! wait "${pids[$i]}"; then fail "$user: $*"; tail -n 6 "$work/$user.log"; fi
    i=$((i + 1))
  done
}

echo "== in their own sessions, at the same time"
both as_student {} lab solve 01 --step 2
for user in "${students[@]}"; do
  names=$(vm_names "$user")
  [ "$names" = "$user-lab1-web" ] && ok "$user sees only $user-lab1-web" || fail "$user sees: $names"
done
both as_student {} lab solve 01
for user in "${students[@]}"; do
  grep -q '"finished_at": "2' "/home/$user/.local/share/vmctl/labs/state.json" &&
    ok "$user finished lab 01 in their session" || fail "$user's progress does not say lab 01 is finished"
done

echo "== under sudo, in root's libvirt, at the same time"
both with_sudo {} lab solve 01 --step 2
for user in "${students[@]}"; do
  [ "$(virsh domstate "$user-lab1-web" 2>/dev/null | head -n 1)" = running ] &&
    ok "$user-lab1-web runs in root's libvirt" || fail "$user-lab1-web is not running in root's libvirt"
  file=/var/lib/vmctl/labs/students/$user.json
  [ "$(stat -c '%U %G %a' "$file" 2>/dev/null)" = "root $user 640" ] &&
    ok "$user's sudo progress is root's file, readable by $user" || fail "$file: $(stat -c '%U %G %a' "$file" 2>&1)"
done
runuser -u vmctl-e2e-bob -- cat /var/lib/vmctl/labs/students/vmctl-e2e-alice.json >/dev/null 2>&1 &&
  fail "bob can read alice's progress" || ok "bob cannot read alice's progress"
runuser -u vmctl-e2e-alice -- sh -c 'echo "{}" > /var/lib/vmctl/labs/students/vmctl-e2e-alice.json' 2>/dev/null &&
  fail "alice can overwrite her sudo progress" || ok "alice cannot change her sudo progress"
# Without sudo, the student is told the lab runs with sudo (not "no lab is started").
out=$(as_student vmctl-e2e-alice lab check 2>&1)
echo "$out" | grep -q "started with sudo" && ok "without sudo, alice is told to use sudo" ||
  fail "alice without sudo was told: $out"

# The class's progress is for instructors: a student with sudo is refused,
# until an instructor adds them to vmctl-instructors; root reads it all.
out=$(with_sudo vmctl-e2e-alice lab collect 2>&1); rc=$?
if [ "$rc" = 10 ] && grep -q "is not in the group vmctl-instructors" <<<"$out"; then
  ok "a student under sudo does not read the class's progress"
else
  fail "alice under sudo was not refused the class's progress (exit $rc): $out"
fi
# So is the dashboard of every VM on the machine (refused before it serves anything).
out=$(with_sudo vmctl-e2e-alice dashboard --port 1 2>&1); rc=$?
if [ "$rc" = 10 ] && grep -q "dashboard of every VM.*is not in the group vmctl-instructors" <<<"$out"; then
  ok "a student under sudo does not get the dashboard of every VM"
else
  fail "alice under sudo was not refused the dashboard (exit $rc): $out"
fi
out=$(env VMCTL_LABS="$work/labs" "$work/vmctl" lab collect 2>&1)
grep -q vmctl-e2e-alice <<<"$out" && grep -q vmctl-e2e-bob <<<"$out" && ok "root collects both students" ||
  fail "root's 'lab collect' does not show both students: $out"
if getent group vmctl-instructors >/dev/null; then
  usermod -a -G vmctl-instructors vmctl-e2e-bob
  with_sudo vmctl-e2e-bob lab collect 2>&1 | grep -q vmctl-e2e-alice && ok "an instructor under sudo collects the class" ||
    fail "bob, in vmctl-instructors, could not collect under sudo"
else
  fail "the group vmctl-instructors is missing: scripts/prepare-host.sh makes it"
fi

# Alice cleans up: her VM goes, Bob's stays and his lab goes on.
with_sudo vmctl-e2e-alice lab reset 01 --clean-only --yes >/dev/null 2>&1 || fail "alice's reset failed"
virsh domstate vmctl-e2e-alice-lab1-web >/dev/null 2>&1 && fail "alice's reset left her VM" || ok "alice's reset removed her VM"
[ "$(virsh domstate vmctl-e2e-bob-lab1-web 2>/dev/null | head -n 1)" = running ] &&
  ok "bob's VM survived alice's reset" || fail "alice's reset touched bob's VM"
with_sudo vmctl-e2e-bob lab solve 01 >"$work/bob.log" 2>&1 && ok "bob finishes lab 01 under sudo" ||
  { fail "bob could not finish lab 01 after alice's reset"; tail -n 6 "$work/bob.log"; }

exit $((failures > 0))
