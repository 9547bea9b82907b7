#!/usr/bin/env bash
# The bash completion (share/bash-completion/vmctl) against the built vmctl:
# commands and options come from its own help; VM and host names from a
# stand-in for `list --json` and `hosts list --json` (no libvirt needed).
# Usage: completion-test.sh VMCTL_BINARY COMPLETION_FILE
set -u
real=$1
if [ ! -x "$real" ]; then
    echo "no vmctl binary at $real: build the vmctl target first"
    exit 1
fi
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
cat > "$stub/vmctl" <<STUB
#!/bin/sh
case "\$*" in
*"hosts list --json"*) echo '[{"name":"host-a","uri":"x"},{"name":"host-b","uri":"y"}]' ;;
*"--host host-b list --json"*) echo '[{"name":"far","state":"running"}]' ;;
*"list --json"*) echo '[{"name":"web-1","labels":{"owner":"alice"}},{"name":"db","state":"shut off"}]' ;;
*) exec "$real" "\$@" ;;
esac
STUB
chmod +x "$stub/vmctl"
PATH=$stub:$PATH
# shellcheck source=/dev/null
source "$2"

failures=0
expect() {  # expect "WORDS ON THE LINE" "expected completions, sorted"
    read -r -a COMP_WORDS <<< "$1"
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _vmctl
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
    if [[ $got != "$2" ]]; then
        echo "FAIL: '$1' completed to '$got', expected '$2'"
        failures=$((failures + 1))
    fi
}
expect "vmctl cre" "create"
expect "vmctl sn" "snapshot"
expect "vmctl d" "dashboard delete demo destroy disk doctor drain"
expect "vmctl dashboard --" "--help --listen --open --port"
expect "vmctl snapshot " "create delete list revert"
expect "vmctl snapshot re" "revert"
expect "vmctl snapshot list " "db web-1"
expect "vmctl info w" "web-1"
expect "vmctl --host host-b info " "far"
expect "vmctl --ho" "--host"
expect "vmctl --host host-" "host-a host-b"
expect "vmctl migrate web-1 --to host-" "host-a host-b"
expect "vmctl create web --chip" "--chipset"
expect "vmctl create web --netw" "--network"
expect "vmctl snapshot revert db x --no-s" "--no-safety"
expect "vmctl lab start 01-f" "01-first-vm"
expect "vmctl lab co" "collect"
expect "vmctl lab collect --" "--csv --help --html --json"
expect "vmctl help mig" "migrate"
expect "vmctl create " ""
expect "vmctl tear" "teardown"
expect "vmctl teardown -" "--file --help --pets --yes"
expect "vmctl hosts fail host-" "host-a host-b"
expect "vmctl hosts up --" "--count --help --host --local-disks --name"  # --host: a global option, anywhere
if ((failures)); then
    echo "$failures completion(s) wrong"
    exit 1
fi
echo "bash completion: all cases pass"
