#!/usr/bin/env bash
# Runs every test tier: unit (pure core and a fake hypervisor), adapter
# (libvirt's in-process test:/// driver) and end-to-end (the vmctl binary
# booting real guests under QEMU through the real libvirtd). Prepares the
# host, the build and the tiny image first, as setup.sh does. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n== %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: the end-to-end tier needs root (it uses qemu:///system); run: sudo $0" >&2
  exit 1
fi

say "preparing the host"
scripts/prepare-host.sh

say "building vmctl and its tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build build -j"$(nproc)" | { grep -Ev '^\[|^(Consolidate|Scanning)' || true; }  # a failed build still fails (pipefail)

say "building the tiny guest image"
images/tiny/build.sh

say "running every test tier"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
