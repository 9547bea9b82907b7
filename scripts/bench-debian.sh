#!/usr/bin/env bash
# Benchmark for the debian-12 image, side by side in one run:
#  1. create to "cloud-init finished and SSH answers": `vmctl create --image
#     debian-12 --startup-script` against the same image made by hand with
#     virsh (an overlay on the same root disk, a seed disk made with mkfs.vfat
#     and mcopy holding the same kind of user-data, the same kernel, initrd
#     and arguments, the same board, network and sizes: 256 MiB that may grow
#     to 512, 1 vCPU of 2, as vmctl's default), what `virt-install --import
#     --cloud-init`) does. Both from the command to port 22 answering. Target:
#     vmctl at most 1.0 times the virsh way. ROUNDS rounds (default 2), the
#     order alternating (virsh first in odd rounds), so neither side always
#     meets a cold page cache; the mean of each side is compared.
#  2. 5 VMs of the image: linked clones (overlays, what vmctl makes) against
#     full copies: the time to make the 5 disks and the space they take; and
#     `vmctl create --count 5` until all 5 are ready (HERD=0 skips it: 7 minutes).
#  3. the image's build time (from its manifest) and size.
# Needs root (qemu:///system), the vmctl network and the image built.
set -euo pipefail
cd "$(dirname "$0")/.."
VMCTL=${VMCTL:-build/vmctl}
images=${VMCTL_HOME:-/var/lib/vmctl}/images
image=$images/debian-12
root=$image/$(sed -n 's/^root_disk=//p' "$image/manifest")
[ -f "$root" ] || { echo "bench-debian: build the image first: sudo build/vmctl image build debian-12" >&2; exit 1; }
one=bench-deb-vmctl
hand=bench-deb-virsh
herd=bench-deb-herd
work=$(mktemp -d /var/tmp/bench-debian.XXXXXX)
cleanup() {
  "$VMCTL" delete "$one" --force >/dev/null 2>&1 || true
  "$VMCTL" delete --label group=$herd --force --yes >/dev/null 2>&1 || true
  virsh destroy "$hand" >/dev/null 2>&1 || true
  virsh undefine "$hand" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"  # QEMU runs as libvirt-qemu and reads the hand-made disks

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
ssh_answers() { timeout 1 bash -c "</dev/tcp/$1/22" 2>/dev/null; }

cat > "$work/web.sh" <<'EOF'
#!/bin/sh
echo "hello from $(hostname)" > /root/index.html
EOF

# 1. one VM, each way
vmctl_once() {
  local t0 ip
  t0=$(now)
  "$VMCTL" create "$one" --image debian-12 --startup-script "$work/web.sh" >/dev/null
  ip=$("$VMCTL" info "$one" --get ip)
  until ssh_answers "$ip"; do sleep 0.2; done
  since "$t0"
  "$VMCTL" delete "$one" --force >/dev/null
}
virsh_once() {
  local t0 ip=""
  t0=$(now)
  rm -f "$work/hand.qcow2" "$work/seed.img" "$work/hand.log"
  qemu-img create -q -f qcow2 -F qcow2 -b "$root" "$work/hand.qcow2" 2G
  printf 'instance-id: %s-%s\nlocal-hostname: %s\n' "$hand" "$(date +%s%N)" "$hand" > "$work/meta-data"
  { echo "#cloud-config"; echo "runcmd:"; echo "  - [sh, /root/web.sh]"; echo "write_files:";
    echo "  - path: /root/web.sh"; echo "    content: |"; sed 's/^/      /' "$work/web.sh"; } > "$work/user-data"
  (cd "$work" && mkfs.vfat -C -n CIDATA seed.img 1024 >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -i seed.img user-data meta-data ::)
  virsh -q define "$work/hand.xml" >/dev/null
  virsh -q start "$hand" >/dev/null
  until [ -n "$ip" ]; do
    ip=$(virsh -q domifaddr "$hand" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1); sleep 0.2
  done
  until grep -q 'finished at\|cloud-init finished' "$work/hand.log" 2>/dev/null && ssh_answers "$ip"; do sleep 0.2; done
  since "$t0"
  virsh destroy "$hand" >/dev/null
  virsh undefine "$hand" >/dev/null
}
cat > "$work/hand.xml" <<EOF
<domain type='qemu'>
  <name>$hand</name>
  <memory unit='MiB'>512</memory><currentMemory unit='MiB'>256</currentMemory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$image/vmlinuz</kernel><initrd>$image/initrd.img</initrd>
    <cmdline>console=ttyS0 $(cat "$image/cmdline")</cmdline></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='$work/hand.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$work/seed.img'/><target dev='vdb' bus='virtio'/></disk>
    <interface type='network'><source network='vmctl'/><model type='virtio'/></interface>
    <serial type='pty'><log file='$work/hand.log' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices>
</domain>
EOF
ROUNDS=${ROUNDS:-2}
vmctl_times=(); virsh_times=()
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    virsh_times+=("$(virsh_once)"); vmctl_times+=("$(vmctl_once)")
  else
    vmctl_times+=("$(vmctl_once)"); virsh_times+=("$(virsh_once)")
  fi
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.1f", s / NR}'; }
t_vmctl=$(mean "${vmctl_times[@]}")
t_virsh=$(mean "${virsh_times[@]}")

# 2. five VMs: linked against full copies
t0=$(now)
for i in 1 2 3 4 5; do qemu-img create -q -f qcow2 -F qcow2 -b "$root" "$work/linked-$i.qcow2" 2G; done
t_linked=$(since "$t0")
t0=$(now)
for i in 1 2 3 4 5; do qemu-img convert -q -O qcow2 "$root" "$work/full-$i.qcow2"; done
t_full=$(since "$t0")
space() { du -cb "$@" | tail -1 | awk '{printf "%.1f MiB", $1 / 1048576}'; }
s_linked=$(space "$work"/linked-*.qcow2)
s_full=$(space "$work"/full-*.qcow2)
t_herd=skipped
if [ "${HERD:-1}" != 0 ]; then
  t0=$(now)
  "$VMCTL" create "$herd" --count 5 --image debian-12 >/dev/null
  t_herd=$(since "$t0")
fi

printf '\n%-58s %10s\n' "debian-12 on $(nproc) cores, TCG" "seconds"
printf '%-58s %10.1f   (%s)\n' "vmctl create --startup-script, to SSH answering, mean" "$t_vmctl" "${vmctl_times[*]}"
printf '%-58s %10.1f   (%s)\n' "virsh by hand (overlay + seed + define + start), same" "$t_virsh" "${virsh_times[*]}"
printf '%-58s %10.2f\n' "  ratio vmctl / virsh (target at most 1.0)" "$(echo "$t_vmctl / $t_virsh" | bc -l)"
printf '%-58s %10.2f   %s\n' "5 linked clones' disks: made in, take" "$t_linked" "$s_linked"
printf '%-58s %10.2f   %s\n' "5 full copies' disks: made in, take" "$t_full" "$s_full"
printf '%-58s %10s\n' "vmctl create --count 5 --image debian-12, all ready" "$t_herd"
printf '%-58s %10s   %s\n' "image build (manifest), root disk" "$(sed -n 's/^build_seconds=//p' "$image/manifest")" \
  "$(du -h "$root" | cut -f1) compressed qcow2, 2 GiB virtual"
