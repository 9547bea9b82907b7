#!/usr/bin/env bash
# Brings one simulated lab host up or down on this machine (vmctl hosts up /
# down call it). A lab host is a libvirtd and a virtlogd of its own, in:
#   - a network namespace vmctl-NAME with address 10.213.0.(10+INDEX), joined
#     by a veth pair to the bridge vmctl-lab0 (10.213.0.1) that only exists
#     here, so hosts reach each other and this machine, and nothing else;
#   - a mount namespace with private /run/libvirt, /var/lib/libvirt,
#     /etc/libvirt, /var/log/libvirt and /var/cache/libvirt under
#     STATE_DIR/NAME, and its own host UUID (libvirt refuses to migrate to
#     the same host UUID).
# /var/lib/vmctl (disks, images, logs) is not hidden: every host sees the same
# files, as a cloud's hosts share network storage.
#
# The VMs' network: where this machine has the vmctl network's bridge vmctl0
# (scripts/prepare-host.sh makes it), each host gets a bridge of the same
# name in its namespace, joined to this machine's vmctl0 by a second veth
# pair (vn-NAME here, uplink there), and a libvirt network 'vmctl' in bridge
# mode over it. So the VMs of every host and of this machine sit on one
# layer-2 segment, take their addresses from the same DHCP server, and a VM
# that migrates keeps its MAC, its address and its TCP connections: the
# domain XML names the same network on every host, and QEMU's announcement
# after the move teaches vmctl0 the VM's new port.
#
# Its libvirtd listens on no network at all, only on Unix sockets that only
# root may open (0700): STATE_DIR/NAME/run/libvirt-sock, which vmctl uses and
# the other hosts' daemons reach for a peer-to-peer migration (STATE_DIR is
# not hidden from them). A local user can never talk to a host's daemon, which
# runs as root and would read or write any file for its client.
#
#   lab-host.sh up NAME INDEX STATE_DIR     prints the host's libvirt URI
#   lab-host.sh down NAME INDEX STATE_DIR
#   lab-host.sh fail NAME INDEX STATE_DIR   pulls the plug: kills its daemons
#                                           and guests at once (SIGKILL), and
#                                           keeps its links and its files
set -euo pipefail
action=$1 name=$2 index=$3 state=$4
bridge=vmctl-lab0
netns=vmctl-$name
# Link names by the host's slot: a name may be longer than the 15 characters
# Linux allows a link's name (a student's own host, alice-host).
veth=vl-$index
uplink=vn-$index    # this machine's end of the VMs' segment
segment=vmctl0      # the vmctl network's bridge, here and in each host
addr=10.213.0.$((10 + index))
dir=$state/$name
# The daemons' pid files, on /run (a tmpfs on a booted system): a reboot
# leaves none that would name whatever process has that number next.
pids=/run/vmctl/hosts/$name

# Prints the PID in pid file $1 if that process is still this host's daemon:
# alive, running the program $2 (libvirtd, virtlogd, qemu-system-*), in this
# host's network namespace. Anything else is a stale file, never a target.
host_pid() {
  [ -f "$1" ] || return 1
  local pid exe; pid=$(cat "$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  # shellcheck disable=SC2053 # $2 is a pattern
  [[ ${exe##*/} == $2 ]] || return 1
  [ "$(ip netns identify "$pid" 2>/dev/null)" = "$netns" ] || return 1
  echo "$pid"
}

stop_pid() {  # stops the daemon ($2) whose pid file is $1, by PID, and waits
  local pid  # $3: the signal, TERM unless told (KILL: a power cut)
  if pid=$(host_pid "$1" "$2"); then
    kill -"${3:-TERM}" "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$1"
}

case $action in
up)
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" address 02:76:6d:00:00:01 type bridge  # fixed, like the hosts' (below)
  fi
  ip link set "$bridge" up
  # No address on this side (an older vmctl gave it 10.213.0.1), and the
  # hosts' subnet unreachable from here: without the route, a connection to
  # a host's address would leave through the default route.
  ip addr flush dev "$bridge"
  ip route replace unreachable 10.213.0.0/24
  sysctl -q -w "net.ipv6.conf.$bridge.disable_ipv6=1"
  ip netns list | grep -qw "$netns" || ip netns add "$netns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    # A fixed MAC address per host: a host that is replaced (down, then up)
    # comes back with the address the other hosts' ARP caches still hold for
    # its IP. With a fresh random one, their next connections went to the
    # old, gone address until the cache entry expired: a migration right
    # after took 70 s instead of 3.
    ip link add "$veth" type veth peer name eth0 address "$(printf '02:76:6d:00:00:%02x' "$((10 + index))")" netns "$netns"
  fi
  # Each step finishes its own part every time: an 'up' interrupted after
  # the link was made comes back without its address otherwise.
  ip -n "$netns" addr replace "$addr/24" dev eth0
  ip -n "$netns" link set eth0 up
  ip -n "$netns" link set lo up
  # Always, so that a host whose bridge went away (and came back) is
  # reachable again.
  ip link set "$veth" master "$bridge" up

  if ip link show "$segment" >/dev/null 2>&1; then
    # No IPv6 on the host's own links (the bridge, the uplink, each VM's tap):
    # the segment is IPv4 only, and a new tap's IPv6 chatter (router
    # solicitations, MLD) would reach the guest just as it moves.
    ip netns exec "$netns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$netns" link show "$segment" >/dev/null 2>&1 ||
      ip -n "$netns" link add "$segment" type bridge
    ip -n "$netns" link set "$segment" up
    if ! ip link show "$uplink" >/dev/null 2>&1; then
      ip link add "$uplink" type veth peer name uplink netns "$netns"
    fi
    sysctl -q -w "net.ipv6.conf.$uplink.disable_ipv6=1"
    ip link set "$uplink" master "$segment" up
    ip -n "$netns" link set uplink master "$segment" up
  fi

  mkdir -p "$dir"/{run,lib,etc,log/qemu,cache}
  if [ ! -f "$dir/etc/libvirtd.conf.vmctl" ]; then
    # The daemons' settings only: the domains and pools defined on this
    # machine's own libvirtd are not this host's.
    cp -a /etc/libvirt/*.conf "$dir/etc/"
    touch "$dir/etc/libvirtd.conf.vmctl"
  fi
  # Written each time (a host made by an older vmctl listened on TCP), with
  # the host UUID it already had.
  host_uuid=$(sed -n 's/^host_uuid = "\(.*\)"$/\1/p' "$dir/etc/libvirtd.conf" 2>/dev/null || true)
  [ -n "$host_uuid" ] || host_uuid=$(cat /proc/sys/kernel/random/uuid)
  cat > "$dir/etc/libvirtd.conf" <<CONF
# lab host $name, made by vmctl hosts up: Unix sockets only, root only
listen_tls = 0
listen_tcp = 0
unix_sock_ro_perms = "0700"
unix_sock_rw_perms = "0700"
unix_sock_admin_perms = "0700"
host_uuid = "$host_uuid"
CONF
  # A daemon an older vmctl started still listens on TCP: restart it with
  # the settings above (its guests keep running and it finds them again).
  listening=$(ip netns exec "$netns" ss -Hltn 'sport = :16509' 2>/dev/null || true)
  [ -z "$listening" ] || stop_pid "$pids/libvirtd.pid" libvirtd
  mkdir -p "$pids" && chmod 700 /run/vmctl "$pids"
  if ! host_pid "$pids/libvirtd.pid" libvirtd >/dev/null; then
    virtlogd_running=no
    host_pid "$pids/virtlogd.pid" virtlogd >/dev/null && virtlogd_running=yes
    ip netns exec "$netns" unshare --mount --propagation private -- sh -c "
      mount --bind '$dir/run' /run/libvirt
      mount --bind '$dir/lib' /var/lib/libvirt
      mount --bind '$dir/etc' /etc/libvirt
      mount --bind '$dir/log' /var/log/libvirt
      mount --bind '$dir/cache' /var/cache/libvirt
      if [ $virtlogd_running = no ]; then
        virtlogd -d -p '$pids/virtlogd.pid'
      fi
      exec libvirtd -d -p '$pids/libvirtd.pid' -f /etc/libvirt/libvirtd.conf
    "
  fi
  uri="qemu+unix:///system?socket=$dir/run/libvirt-sock"
  # A daemon restarted after a crash first reconnects to its guests, which
  # can take a while when one of them is gone; give it a minute.
  for _ in $(seq 1 600); do
    if timeout 5 virsh -q -c "$uri" version >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  if ! timeout 5 virsh -q -c "$uri" version >/dev/null 2>&1; then
    echo "lab-host: libvirtd of $name did not answer at $uri; see $dir/log/libvirtd.log" >&2
    exit 1
  fi
  if ip -n "$netns" link show "$segment" >/dev/null 2>&1; then
    # Read whole, not piped into grep -q: an early exit would SIGPIPE virsh.
    networks=$(virsh -q -c "$uri" net-list --all --name)
    if ! grep -qx vmctl <<<"$networks"; then
      printf "<network><name>vmctl</name><forward mode='bridge'/><bridge name='%s'/></network>\n" "$segment" \
        > "$dir/network-vmctl.xml"
      virsh -q -c "$uri" net-define "$dir/network-vmctl.xml" >/dev/null
      virsh -q -c "$uri" net-autostart vmctl >/dev/null
    fi
    active=$(virsh -q -c "$uri" net-list --name)
    grep -qx vmctl <<<"$active" || virsh -q -c "$uri" net-start vmctl >/dev/null
  fi
  echo "$uri"
  ;;
fail)
  # The guests first, then the daemons, all at once and without warning:
  # nothing is shut down or written back, as when a host loses its power.
  for pidfile in "$dir"/run/qemu/*.pid; do
    [ -f "$pidfile" ] && stop_pid "$pidfile" 'qemu-system-*' KILL
  done
  stop_pid "$pids/libvirtd.pid" libvirtd KILL
  stop_pid "$pids/virtlogd.pid" virtlogd KILL
  ;;
down)
  stop_pid "$pids/libvirtd.pid" libvirtd
  stop_pid "$dir/libvirtd.pid" libvirtd  # where an older vmctl kept it
  # QEMU processes this host's daemon started and left behind (a daemon that
  # died mid-migration leaves its half-arrived guest), by their pid files.
  for pidfile in "$dir"/run/qemu/*.pid; do
    [ -f "$pidfile" ] && stop_pid "$pidfile" 'qemu-system-*'
  done
  stop_pid "$pids/virtlogd.pid" virtlogd
  stop_pid "$dir/virtlogd.pid" virtlogd
  rm -rf "$pids"
  ip link del "$veth" 2>/dev/null || true
  ip link del "$uplink" 2>/dev/null || true
  ip netns del "$netns" 2>/dev/null || true
  # The last host takes the bridge with it.
  # Read whole, not piped into grep -q: with pipefail, grep leaving early
  # made ip die of SIGPIPE and the bridge went while other hosts used it.
  veths=$(ip -o link show type veth 2>/dev/null || true)
  if ! grep -q ' vl-' <<<"$veths"; then
    ip link del "$bridge" 2>/dev/null || true
    ip route del unreachable 10.213.0.0/24 2>/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 up|down|fail NAME INDEX STATE_DIR" >&2
  exit 2
  ;;
esac
