#!/usr/bin/env bash
# The quickstart: prepares the host, builds vmctl and the tiny guest image,
# puts vmctl on the PATH, then boots a first VM, "hello", and shows it running
# with its ready line. Idempotent: a second run is quick and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
say() { printf '\n== %s\n' "$*"; }

say "preparing the host"
scripts/prepare-host.sh

say "building vmctl"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target vmctl | { grep -Ev '^\[|^(Consolidate|Scanning)' || true; }  # a failed build still fails (pipefail)

say "building the tiny guest image"
# The vmctl guest kernel takes about 9 minutes of 2 cores to compile the first time. So
# that the first VM does not wait for it, the image gets Debian's kernel for
# now and the kernel builds in the background (at low priority); when it is
# done the same script puts it into the image, and VMs started from then on
# boot it ('vmctl image list' shows which kernel the image has).
# A user without root uses the images root built, when there are some.
if [ "$(id -u)" -ne 0 ] && [ -s /var/lib/vmctl/images/tiny/vmlinux ]; then
  echo "using the images root built in /var/lib/vmctl/images"
else
  images/tiny/build.sh --no-wait-kernel
  if ! images/tiny/kernel/build.sh --check >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then logdir=/var/cache/vmctl; else logdir=${XDG_CACHE_HOME:-$HOME/.cache}/vmctl; fi
    mkdir -p "$logdir"
    VMCTL_KERNEL_NICE=10 setsid nohup images/tiny/build.sh </dev/null >"$logdir/kernel-build.log" 2>&1 &
    echo "the vmctl guest kernel is building in the background (about 9 minutes on 2 cores, log: $logdir/kernel-build.log);"
    echo "until it is done new VMs boot Debian's kernel"
  fi
fi

if [ "$(id -u)" -eq 0 ]; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
mkdir -p "$bindir"
if [ "$(readlink -f "$bindir/vmctl" 2>/dev/null)" != "$repo/build/vmctl" ]; then
  ln -sf "$repo/build/vmctl" "$bindir/vmctl"
fi
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: add $bindir to your PATH" ;; esac
# Tab completion, loaded by bash-completion in new shells. Root's is a copy
# in a root-owned folder, never a link into the checkout: every user's shell
# (root's too) runs that file.
if [ "$(id -u)" -eq 0 ]; then
  install -D -m 0644 "$repo/share/bash-completion/vmctl" /usr/share/bash-completion/completions/vmctl
else
  compdir="${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions"
  mkdir -p "$compdir"
  ln -sf "$repo/share/bash-completion/vmctl" "$compdir/vmctl"
fi
export PATH="$bindir:$PATH"

say "booting a first VM"
state=$(vmctl info hello --json 2>/dev/null | sed -n 's/.*"state": "\(.*\)".*/\1/p' || true)
case "$state" in
  "") vmctl create hello --label owner=quickstart ;;
  running) echo "VM 'hello' is already running; its ready line:"; vmctl logs hello | grep -m1 'vmctl-guest: ready' ;;
  *) vmctl start hello ;;
esac

say "your VMs"
vmctl list
cat <<'MSG'

Next: 'vmctl console hello' (Ctrl-] leaves), 'vmctl info hello', 'vmctl logs hello -f',
'vmctl stop hello', 'vmctl delete hello'. 'vmctl help' lists every command.
MSG
