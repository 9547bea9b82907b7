#!/usr/bin/env bash
# Shortcuts a student might take must not pass a lab step: each case solves a
# lab up to a step, fakes the step's result instead of doing it, and expects
# `vmctl lab check` to refuse with its reason. Real libvirt and QEMU, as root;
# its own progress file, and the lab's reset removes what it made.
# Usage: lab-shortcuts-test.sh VMCTL_BINARY LABS_DIR
set -u
vmctl=$1
export VMCTL_LABS=$2
state=$(mktemp -d)
export VMCTL_LAB_STATE=$state/state.json
lab=
cleanup() {
    [ -n "$lab" ] && "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    rm -rf "$state"
}
trap cleanup EXIT
failures=0

# shortcut LAB STEP "what the student does instead" EXPECTED_REASON
shortcut() {
    lab=$1
    local step=$2 fake=$3 expected=$4
    "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    if ! "$vmctl" lab solve "$lab" --step $((step - 1)) >"$state/solve.log" 2>&1; then
        echo "✗ lab $lab: could not solve up to step $step:"; tail -n 5 "$state/solve.log"
        failures=$((failures + 1)); return
    fi
    sh -c "$fake" >/dev/null 2>&1
    if "$vmctl" lab check >"$state/check.log" 2>&1; then
        echo "✗ lab $lab step $step passed after the shortcut: $fake"
        failures=$((failures + 1))
    elif ! grep -q "$expected" "$state/check.log"; then
        echo "✗ lab $lab step $step refused the shortcut, but not saying '$expected':"; cat "$state/check.log"
        failures=$((failures + 1))
    else
        echo "✓ lab $lab step $step refuses: $fake"
    fi
    "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    lab=
}

# Lab 05 step 3 "Roll back": writing the deleted file again by hand is no revert.
shortcut 05 3 "$vmctl exec lab5-web -- sh -c 'echo customer records > /data/important.txt'" "no revert happened"

exit $((failures > 0))
