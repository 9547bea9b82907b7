#!/usr/bin/env bash
# Runs every test tier: unit (pure core and a fake hypervisor), adapter
# (libvirt's in-process test:/// driver) and end-to-end (the vmctl binary
# booting real guests under QEMU through the real libvirtd). Prepares the
# host, the build and the guest images first, as setup.sh does. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n== %s\n' "$*"; }
# Installs the Debian packages named that are not installed yet.
ensure_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
      return
    fi
  done
}

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: the end-to-end tier needs root (it uses qemu:///system); run: sudo $0" >&2
  exit 1
fi

say "preparing the host"
scripts/prepare-host.sh

say "building vmctl and its tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DVMCTL_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" | { grep -Ev '^\[|^(Consolidate|Scanning)' || true; }  # a failed build still fails (pipefail)

say "building the guest images (the vmctl kernel takes about 9 minutes of 2 cores when not cached)"
images/tiny/build.sh
images/tiny-debian-kernel/build.sh
say "building the debian-12 image (about 10 minutes when not cached)"
images/debian-12/build.sh

say "the browser the page tests run in (Debian's chromium, headless, driven by chromedriver and selenium), and the boot loader of a test image"
ensure_packages chromium chromium-driver python3-selenium syslinux

say "running every test tier"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600

# The same unit and adapter tiers again, built by clang with AddressSanitizer
# and UndefinedBehaviorSanitizer (the first report fails the test), and a
# bounded libFuzzer run of every parser of files and values people write.
say "unit and adapter tiers under ASan and UBSan, and the fuzz targets"
ensure_packages clang-14 libclang-rt-14-dev
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
  -DVMCTL_FUZZ=ON -DVMCTL_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" >/dev/null
cmake --build build-san -j"$(nproc)" --target vmctl vmctl_unit_tests vmctl_adapter_tests \
  fuzz_deployment fuzz_lab fuzz_demo fuzz_prices fuzz_values | { grep -Ev '^\[|^(Consolidate|Scanning)' || true; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-san --output-on-failure -j"$(nproc)" --timeout 600 -L 'unit|adapter|fuzz'
