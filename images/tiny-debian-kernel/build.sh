#!/bin/bash
# The "tiny-debian-kernel" image: the tiny image's initramfs booting Debian's
# stock kernel (linux-image-amd64, its modules in the initramfs) instead of
# the vmctl kernel. For comparing boot times and for lab 03, which compares a
# guest's kernel with the host's:
#   vmctl create old --image tiny-debian-kernel
# Options as for ../tiny/build.sh (--out DIR, --force).
exec "$(dirname "${BASH_SOURCE[0]}")/../tiny/build.sh" --kernel debian "$@"
