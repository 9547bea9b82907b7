#!/bin/sh
# Every golden domain XML must pass libvirt's schema check, as the XML vmctl
# gives libvirt must.
set -eu
status=0
for f in "$1"/domain-*.xml; do
    virt-xml-validate "$f" domain || status=1
done
exit $status
