#!/usr/bin/env bash
# Shortcuts a student might take must not pass a lab step: each case solves a
# lab up to a step, fakes the step's result instead of doing it, and expects
# `vmctl lab check` to refuse with its reason. Real libvirt and QEMU, as root;
# its own progress file, and the lab's reset removes what it made.
# Usage: lab-shortcuts-test.sh VMCTL_BINARY LABS_DIR
set -u
vmctl=$(realpath "$1")
export VMCTL=$vmctl  # for the shell texts of the cases
export VMCTL_LABS=$(realpath "$2")
state=$(mktemp -d)
export VMCTL_LAB_STATE=$state/state.json
# A student of its own: the labs name their VMs after the student.
export VMCTL_STUDENT=shortcuts
lab=
cleanup() {
    [ -n "$lab" ] && "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    rm -rf "$state"
}
trap cleanup EXIT
failures=0

# A fresh start of $lab, solved by its reference solutions up to (not
# through) step $1.
solve_up_to() {
    "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    if ! "$vmctl" lab solve "$lab" --step $(($1 - 1)) >"$state/solve.log" 2>&1; then
        echo "✗ lab $lab: could not solve up to step $1:"; tail -n 5 "$state/solve.log"
        failures=$((failures + 1))
        return 1
    fi
}

# shortcut LAB STEP "what the student does instead" EXPECTED_REASON
shortcut() {
    lab=$1
    local step=$2 fake=$3 expected=$4
    solve_up_to "$step" || return
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
shortcut 05 3 "$vmctl exec shortcuts-lab5-web -- sh -c 'echo customer records > /data/important.txt'" "no revert happened"

# recovers LAB STEP "the mistake" "the way back the lab gives": after both, the step passes.
recovers() {
    lab=$1
    local step=$2 mistake=$3 way_back=$4
    solve_up_to "$step" || return
    sh -c "$mistake" >/dev/null 2>&1
    if "$vmctl" lab check >/dev/null 2>&1; then
        echo "✗ lab $lab step $step passed after the mistake: $mistake"
        failures=$((failures + 1))
    elif ! sh -c "$way_back" >"$state/back.log" 2>&1 || ! "$vmctl" lab check >"$state/check.log" 2>&1; then
        echo "✗ lab $lab step $step: the way back ($way_back) does not lead back:"; tail -n 8 "$state/back.log" "$state/check.log"
        failures=$((failures + 1))
    else
        echo "✓ lab $lab step $step recovers from: $mistake"
    fi
    "$vmctl" lab reset "$lab" --clean-only --yes >/dev/null 2>&1
    lab=
}

# Lab 08 step 7 "The pet stays": a teardown with --pets deletes the pet the
# step wants alive; the lab's way back brings the shop back from the file as it came.
# The student's file is where the step's text says (the lab's work folder).
shop='$("$VMCTL" lab show | grep -o "/[^ ]*/shop.yaml" | head -n 1)'
recovers 08 7 \
    "f=$shop; sed -i '/^- name: shortcuts-lab8-db/,\$d' \"\$f\" && \"\$VMCTL\" teardown -f \"\$f\" --yes --pets" \
    "f=$shop; \"\$VMCTL\" apply -f \"\${f%/shop.yaml}/shop.original.yaml\" && \"\$VMCTL\" teardown -f \"\$f\" --yes"

exit $((failures > 0))
