#!/bin/sh
# The layers of docs/ARCHITECTURE.md, enforced: calls go down only, and only
# vmctl/virt includes libvirt. Usage: layering-test.sh SOURCE_DIR
cd "$1/vmctl" || exit 2
status=0
# A layer may include only the layers listed after it.
check() {  # check LAYER ALLOWED...
    layer=$1; shift
    allowed=$(printf '%s|' "$@")
    bad=$(grep -rnE '#include "vmctl/[a-z]+/' "$layer" | grep -vE "#include \"vmctl/(${allowed%|})/")
    if [ -n "$bad" ]; then
        echo "$layer/ includes a layer above it or beside it:"
        echo "$bad"
        status=1
    fi
}
check core core
check host host core
check virt virt core
check ops ops host core
check teach teach ops host core
check web web core
check cli cli teach web ops host core
bad=$(grep -rlE '#include <libvirt/' . | grep -v '^\./virt/')
if [ -n "$bad" ]; then
    echo "libvirt.h included outside vmctl/virt (the one libvirt seam):"
    echo "$bad"
    status=1
fi
[ $status -eq 0 ] && echo "layers: every include goes down; libvirt only in vmctl/virt"
exit $status
