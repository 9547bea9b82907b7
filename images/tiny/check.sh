#!/bin/bash
# Boot-test the tiny image under TCG and check the guest's serial contract.
#
#   check.sh [--image DIR] [direct|libvirt|all]      (default: direct)
#
# direct   QEMU run by hand: ready line format and time, heartbeat, fw_cfg
#          startup script, guest agent on a virtio-serial port (guest-ping,
#          guest-exec exit code and output), /data formatted and mounted,
#          balloon driver bound, Ctrl-C in the serial shell, ACPI power button
#          (system_powerdown), then a second boot of the same disk without
#          the agent port: "agent unavailable", data kept, typed "poweroff".
#          No NIC and no hostname entry: hostname "vmctl-guest", no network
#          lines, no udhcpc/httpd/dropbear.
# libvirt  the same image through qemu:///system (needs a running libvirtd):
#          a domain imgtest-<pid> with the agent channel, ready time, agent
#          ping/exec through "virsh qemu-agent-command", balloon (virsh setmem
#          -> MemTotal in the guest, dommemstat guest stats), vCPU hotplug
#          (virsh setvcpus --live -> nproc), vmctl-burn, "virsh shutdown".
#          With a NIC on the libvirt network $VMCTL_CHECK_NETWORK (default
#          "vmctl"; skipped if it is not active) and the fw_cfg hostname and
#          ssh-authorized-keys entries: hostname, "address eth0" line (time
#          after ready), "http started" and the live page (curl), "ssh
#          started", ssh with a key made here (exit code, uname -r).  Traffic
#          goes only to this test's own VM.
# Prints one "ok"/"FAIL" line per check; exits non-zero on any failure.
# The ready line is printed before the serial shell starts, so it is always a
# whole line; later guest lines (HB, startup:) share ttyS0 with the shell and
# can follow a prompt on the same line, so they are matched as line suffixes.
# Everything lives in a temp dir; every QEMU / domain started is stopped.
set -euo pipefail
# shellcheck disable=SC2016  # commands typed into the guest are single-quoted on purpose

image=""
mode=direct
while [ $# -gt 0 ]; do
	case $1 in
	--image) image=$2; shift 2 ;;
	direct|libvirt|all) mode=$1; shift ;;
	*) echo "usage: $0 [--image DIR] [direct|libvirt|all]" >&2; exit 2 ;;
	esac
done
if [ -z "$image" ]; then
	if [ -n "${VMCTL_HOME:-}" ]; then image=$VMCTL_HOME/images/tiny
	elif [ "$(id -u)" = 0 ]; then image=/var/lib/vmctl/images/tiny
	else image=${XDG_DATA_HOME:-$HOME/.local/share}/vmctl/images/tiny
	fi
fi
for f in vmlinux initrd.img cmdline; do
	[ -s "$image/$f" ] || { echo "no $image/$f (run build.sh)" >&2; exit 1; }
done
cmdline="console=ttyS0 $(cat "$image/cmdline")"

t=$(mktemp -d /tmp/vmctl-imgtest.XXXXXX)
chmod 755 "$t"            # libvirt's QEMU runs as libvirt-qemu and needs the disk
pids=()                   # background processes we started (QEMU, readers)
domain=""
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -n "$domain" ]; then
		virsh -q -c qemu:///system destroy "$domain" >/dev/null 2>&1 || true
		virsh -q -c qemu:///system undefine "$domain" >/dev/null 2>&1 || true
	fi
	rm -rf "$t"
}
trap cleanup EXIT

failures=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
now()  { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# wait_for FILE ERE SECONDS: poll until a line of FILE matches
wait_for() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		tr -d '\r' < "$1" 2>/dev/null | grep -aqE "$2" && return 0
		sleep 0.05
	done
	return 1
}
# The startup script travels base64-encoded in fw_cfg (as vmctl sends it):
# libvirt 9.0 hands <sysinfo type='fwcfg'> entries to QEMU still XML-escaped.
b64() { printf '%s\n' "$1" | base64 -w0; }
line_of() { tr -d '\r' < "$1" | grep -aE "$2" | head -n1; }

agent_re='vmctl-guest: agent (started|unavailable|failed)'
ready_re='^vmctl-guest: ready boot=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} kernel=[^ ]+ cpus=[0-9]+ mem_kb=[0-9]+$'

# check_ready LOG T0 LABEL: ready line exact, then heartbeat of the same boot
check_ready() {
	local log=$1 t0=$2 label=$3 line boot
	if ! wait_for "$log" '^vmctl-guest: ready' 90; then
		fail "$label: no ready line in 90 s"; tail -n 20 "$log"; return 1
	fi
	now > "$t/ready_at"
	ok "$label: ready after $(since "$t0") s"
	line=$(line_of "$log" '^vmctl-guest: ready')
	if [[ $line =~ $ready_re ]]; then ok "$label: ready line format: $line"
	else fail "$label: ready line format: '$line'"; fi
	boot=$(sed -n 's/.* boot=\([^ ]*\) .*/\1/p' <<<"$line")
	if wait_for "$log" "HB boot=$boot seq=1\$" 5 && line_of "$log" 'HB boot=' | grep -q "seq=0\$"
	then ok "$label: heartbeat seq=0,1"
	else fail "$label: heartbeat"; fi
	echo "$boot" > "$t/boot"
}

# --- guest agent (qemu-ga) ----------------------------------------------------
# ga_send JSON: one request, prints the reply.  Set per mode: over a FIFO pair
# to the QEMU chardev (direct), or "virsh qemu-agent-command" (libvirt).
ga_send() { echo "ga_send not set" >&2; return 1; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
# ga_exec CMD: run "/bin/sh -c CMD" with guest-exec, wait for it (30 s);
# sets ga_rc (exit code) and ga_out (stdout, base64 as sent: ga_out64).
ga_exec() {
	local r pid deadline=$((SECONDS + 30))
	ga_rc=""; ga_out=""; ga_out64=""
	r=$(ga_send '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c",'"$(json_str "$1")"'],"capture-output":true}}') || return 1
	pid=$(grep -o '"pid": *[0-9]*' <<<"$r" | grep -o '[0-9]*$') || return 1
	while [ $SECONDS -lt $deadline ]; do
		r=$(ga_send '{"execute":"guest-exec-status","arguments":{"pid":'"$pid"'}}') || return 1
		if grep -q '"exited": *true' <<<"$r"; then
			ga_rc=$(grep -o '"exitcode": *-*[0-9]*' <<<"$r" | grep -o -- '-*[0-9]*$' || true)
			ga_out64=$(grep -o '"out-data": *"[^"]*"' <<<"$r" | sed 's/.*"\([^"]*\)"$/\1/' || true)
			ga_out=$(base64 -d <<<"$ga_out64")
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# start_agent_watch LOG: in the background from boot on, as soon as the guest
# prints "agent started", send guest-ping until it answers; the time it did
# goes to $t/ga_answer_at (the other checks would delay it otherwise).
start_agent_watch() {
	rm -f "$t/ga_answer_at"
	(
		wait_for "$1" 'vmctl-guest: agent started$' 90 || exit 0
		deadline=$((SECONDS + 15))
		until r=$(ga_send '{"execute":"guest-ping"}' 2>/dev/null) && grep -q '"return"' <<<"$r"; do
			[ $SECONDS -lt $deadline ] || exit 0
			sleep 0.05
		done
		now > "$t/ga_answer_at"
	) &
	ga_watch=$!; pids+=("$ga_watch")
}
# check_agent LOG LABEL: the agent line, the first answer to guest-ping (timed
# from the ready line), guest-exec of "echo hi; nproc; exit 3".
check_agent() {
	local log=$1 label=$2
	if wait_for "$log" 'vmctl-guest: agent started$' 10; then ok "$label: agent started line"
	else fail "$label: agent line: '$(line_of "$log" "$agent_re" | grep -aoE "$agent_re.*" || echo none)'"; return 0; fi
	wait "$ga_watch" || true
	if [ -s "$t/ga_answer_at" ]; then
		# before the ready line if rcS was busy (formatting /data) meanwhile
		ok "$label: agent answered guest-ping $(awk -v a="$(cat "$t/ready_at")" -v b="$(cat "$t/ga_answer_at")" \
			'BEGIN { d = b - a; printf "%.2f s %s", d < 0 ? -d : d, d < 0 ? "before" : "after" }') the ready line"
	else fail "$label: no answer to guest-ping within 15 s of 'agent started'"; return 0; fi
	# "hi\n1\n" is aGkKMQo= in base64
	if ga_exec 'echo hi; nproc; exit 3' && [ "$ga_rc" = 3 ] && [ "$ga_out64" = aGkKMQo= ]
	then ok "$label: guest-exec: exitcode=3, out-data=$ga_out64"
	else fail "$label: guest-exec: exitcode='$ga_rc' out-data='$ga_out64'"; fi
}

# ---------------------------------------------------------------------------
run_direct() {
	local disk=$t/disk.qcow2 log=$t/serial.log qpid t0 t1 boot2
	qemu-img create -q -f qcow2 "$disk" 1G
	# start_qemu [agent]: serial and monitor on FIFO pairs (NAME.in /
	# NAME.out), so the test can type into the serial shell and send monitor
	# commands; with "agent", a virtio-serial port org.qemu.guest_agent.0 on
	# a third pair (ga.in / ga.out, replies collected in ga.log).
	start_qemu() {
		local agent_args=()
		rm -f "$t"/ser.* "$t"/mon.* "$t"/ga.* "$log"
		mkfifo "$t/ser.in" "$t/ser.out" "$t/mon.in" "$t/mon.out"
		: > "$log"
		cat "$t/ser.out" >> "$log" & pids+=($!)
		cat "$t/mon.out" > /dev/null & pids+=($!)
		if [ "${1:-}" = agent ]; then
			mkfifo "$t/ga.in" "$t/ga.out"
			: > "$t/ga.log"
			cat "$t/ga.out" >> "$t/ga.log" & pids+=($!)
			agent_args=(-chardev pipe,id=ga0,path="$t/ga" -device virtio-serial
				-device virtserialport,chardev=ga0,name=org.qemu.guest_agent.0)
		fi
		t0=$(now)
		qemu-system-x86_64 -machine q35,accel=tcg -m 256 -display none -nodefaults \
			-kernel "$image/vmlinux" -initrd "$image/initrd.img" -append "$cmdline" \
			-chardev pipe,id=ser0,path="$t/ser" -serial chardev:ser0 \
			-chardev pipe,id=mon0,path="$t/mon" -mon chardev=mon0,mode=readline \
			-drive file="$disk",if=virtio,format=qcow2 \
			-fw_cfg name=opt/vmctl/startup-script,string="$(b64 'echo hello; exit 3')" \
			-device virtio-balloon "${agent_args[@]}" &
		qpid=$!; pids+=("$qpid")
		exec 7>"$t/ser.in" 8>"$t/mon.in"
		if [ "${1:-}" = agent ]; then
			exec 6>"$t/ga.in"
			start_agent_watch "$log"
		fi
	}
	# ga_send for the FIFO: qemu-ga copies a request's "id" into its reply.
	# A request sent before the agent runs waits in the FIFO until it opens
	# the port.  The id is unique per call (ga_send runs in a subshell).
	ga_send() {
		local id="chk-${EPOCHREALTIME/./}-$BASHPID"
		printf '%s\n' "${1%\}},\"id\":\"$id\"}" >&6
		wait_for "$t/ga.log" "\"id\": *\"$id\"" 10 || return 1
		tr -d '\r' < "$t/ga.log" | grep -a "\"id\": *\"$id\""
	}
	type_line() { printf '%s\r' "$1" >&7; }
	# wait_exit SECONDS: wait for QEMU to exit by itself
	wait_exit() {
		local deadline=$((SECONDS + $1))
		while kill -0 "$qpid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
		! kill -0 "$qpid" 2>/dev/null
	}

	echo "== direct QEMU (TCG): boot 1, blank disk, agent port"
	start_qemu agent
	check_ready "$log" "$t0" "direct" || return 0
	if wait_for "$log" 'startup: hello$' 5 && wait_for "$log" 'vmctl-guest: startup-script exit=3$' 5
	then ok "direct: startup script output and exit code"
	else fail "direct: startup script"; fi
	check_agent "$log" direct
	sleep 0.5   # let the shell print its prompt first
	type_line 'echo "chk data=$(awk '"'"'$2=="/data"{print $3}'"'"' /proc/mounts) balloon=$(ls -d /sys/bus/virtio/drivers/virtio_balloon/virtio* | wc -l) fwcfg=$(ls /etc/vmctl/startup-script) host=$(hostname) net=$(ps | grep -cE "[u]dhcpc|[h]ttpd|[d]ropbear")"; echo persisted > /data/hello'
	if wait_for "$log" '^chk data=ext4 balloon=1 fwcfg=/etc/vmctl/startup-script host=vmctl-guest net=0$' 10
	then ok "direct: /data formatted+mounted, balloon bound, script copied, default hostname, no network services"
	else fail "direct: $(line_of "$log" '^chk ' || echo 'no chk line')"; fi
	if tr -d '\r' < "$log" | grep -aqE 'vmctl-guest: (address|no address|http|ssh)'
	then fail "direct: network lines on a VM without a NIC"
	else ok "direct: no network lines without a NIC"; fi
	type_line 'sleep 30'; sleep 0.5; printf '\003' >&7; type_line 'echo intr-$((6*7))'
	if wait_for "$log" '^intr-42' 5; then ok "direct: Ctrl-C interrupts the serial shell"
	else fail "direct: Ctrl-C did not interrupt"; fi
	type_line 'cd /data'   # a shell inside /data must not block the unmount
	sleep 0.3
	t1=$(now)
	echo system_powerdown >&8     # = ACPI power button, what virsh shutdown does
	if wait_exit 20; then ok "direct: ACPI power button -> powered off in $(since "$t1") s"
	else fail "direct: still running 20 s after system_powerdown"; kill "$qpid"; fi
	if tr -d '\r' < "$log" | grep -aq 'vmctl-guest: shutting down$'; then ok "direct: shutdown line"
	else fail "direct: no shutdown line"; fi
	exec 6>&- 7>&- 8>&-
	if command -v e2fsck >/dev/null; then
		qemu-img convert -O raw "$disk" "$t/disk.raw"
		if e2fsck -fn "$t/disk.raw" >/dev/null 2>&1; then ok "direct: /data filesystem clean after shutdown"
		else fail "direct: e2fsck found problems"; fi
		rm -f "$t/disk.raw"
	fi

	echo "== direct QEMU (TCG): boot 2, same disk, no agent port, typed poweroff"
	start_qemu
	check_ready "$log" "$t0" "direct#2" || return 0
	boot2=$(cat "$t/boot")
	if wait_for "$log" 'vmctl-guest: agent unavailable$' 5; then ok "direct#2: no agent port -> 'agent unavailable'"
	else fail "direct#2: agent line: '$(line_of "$log" "$agent_re" | grep -aoE "$agent_re.*" || echo none)'"; fi
	sleep 0.5
	type_line 'echo "chk2 $(cat /data/hello)"'
	if wait_for "$log" '^chk2 persisted$' 10; then ok "direct#2: /data kept its file (no reformat)"
	else fail "direct#2: /data content"; fi
	t1=$(now)
	type_line 'poweroff'
	if wait_exit 20; then ok "direct#2: typed poweroff -> off in $(since "$t1") s"
	else fail "direct#2: still running 20 s after poweroff"; kill "$qpid"; fi
	exec 7>&- 8>&-
	[ -n "$boot2" ]
}

# ---------------------------------------------------------------------------
run_libvirt() {
	local uri=qemu:///system disk=$t/lv-disk.qcow2 log=$t/lv-serial.log t0 t1 state m0 m1 i
	echo "== libvirt ($uri, domain type='qemu')"
	if ! virsh -q -c "$uri" version >/dev/null 2>&1; then
		fail "libvirt: no daemon at $uri"; return 0
	fi
	qemu-img create -q -f qcow2 "$disk" 1G
	domain=imgtest-$$
	# NIC on the libvirt network (if active), hostname, an ssh key of our own
	local net=${VMCTL_CHECK_NETWORK:-vmctl} nic="" keys="" ip="" ssh_opts=()
	# (output in a variable: with pipefail, grep -q could SIGPIPE virsh)
	local netinfo
	netinfo=$(virsh -q -c "$uri" net-info "$net" 2>/dev/null || true)
	if grep -qE '^Active: +yes' <<<"$netinfo" &&
		command -v ssh-keygen >/dev/null && command -v ssh >/dev/null && command -v curl >/dev/null; then
		ssh-keygen -q -t ed25519 -N '' -C imgtest -f "$t/key"
		keys=$(base64 -w0 < "$t/key.pub")
		nic="<interface type='network'><source network='$net'/><model type='virtio'/></interface>"
		ssh_opts=(-i "$t/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
			-o LogLevel=ERROR -o ConnectTimeout=10 -o BatchMode=yes)
	else
		echo "note: network '$net' not active (or no ssh/curl): network checks skipped"
	fi
	# <features><acpi/>: without it libvirt passes -no-acpi and
	# "virsh shutdown" has no power button to press.
	# <vcpu current='1'>2: one vCPU at boot, one more hot-pluggable.
	# <channel>: libvirt adds a virtio-serial controller and connects to the
	# agent through a unix socket of its own.  <stats period='2'/>: QEMU polls
	# the balloon driver's memory statistics (virsh dommemstat).
	cat > "$t/domain.xml" <<-EOF
	<domain type='qemu'>
	  <name>$domain</name>
	  <memory unit='MiB'>256</memory>
	  <vcpu current='1'>2</vcpu>
	  <os>
	    <type arch='x86_64' machine='q35'>hvm</type>
	    <kernel>$image/vmlinux</kernel>
	    <initrd>$image/initrd.img</initrd>
	    <cmdline>$cmdline</cmdline>
	  </os>
	  <features><acpi/></features>
	  <sysinfo type='fwcfg'>
	    <entry name='opt/vmctl/startup-script'>$(b64 'echo "hi & bye"')</entry>
	    <entry name='opt/vmctl/hostname'>$domain</entry>
	    ${keys:+<entry name='opt/vmctl/ssh-authorized-keys'>$keys</entry>}
	  </sysinfo>
	  <on_poweroff>destroy</on_poweroff>
	  <devices>
	    <disk type='file' device='disk'>
	      <driver name='qemu' type='qcow2'/>
	      <source file='$disk'/>
	      <target dev='vda' bus='virtio'/>
	    </disk>
	    <serial type='pty'><log file='$log'/><target port='0'/></serial>
	    <console type='pty'><target type='serial' port='0'/></console>
	    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
	    <memballoon model='virtio'><stats period='2'/></memballoon>
	    $nic
	  </devices>
	</domain>
	EOF
	virsh -q -c "$uri" define "$t/domain.xml" >/dev/null
	t0=$(now)
	virsh -q -c "$uri" start "$domain" >/dev/null
	ok "libvirt: virsh start returned after $(since "$t0") s"
	ga_send() { virsh -q -c "$uri" qemu-agent-command "$domain" "$1"; }
	start_agent_watch "$log"
	check_ready "$log" "$t0" "libvirt" || return 0
	if wait_for "$log" 'startup: hi & bye$' 5 && wait_for "$log" 'vmctl-guest: startup-script exit=0$' 5
	then ok "libvirt: fw_cfg startup script ran"
	else fail "libvirt: fw_cfg startup script"; fi
	check_agent "$log" libvirt
	ga_exec hostname
	if [ "$ga_out" = "$domain" ]; then ok "libvirt: hostname from fw_cfg: $ga_out"
	else fail "libvirt: hostname '$ga_out', want $domain"; fi

	# Network: DHCP address line, web page, ssh.
	if [ -n "$nic" ]; then
		local addr_re='vmctl-guest: address eth0 ([0-9.]+)/([0-9]+)$' line boot kernel
		if wait_for "$log" "$addr_re" 20; then
			line=$(line_of "$log" "$addr_re" | grep -aoE "$addr_re" || true)
			ip=$(sed -E "s|$addr_re|\\1|" <<<"$line")
			ok "libvirt: $line ($(since "$(cat "$t/ready_at")") s after the ready line seen)"
		else
			fail "libvirt: no address line in 20 s: $(line_of "$log" 'no address' || echo '-')"
		fi
		if [ -n "$ip" ]; then
			boot=$(cat "$t/boot")
			local page=""
			wait_for "$log" 'vmctl-guest: http started$' 10 && page=$(curl -s -m 10 "http://$ip/" || true)
			if grep -qE "^<p>vm=$domain boot=$boot uptime=[0-9]+ heartbeat=[0-9]+</p>\$" <<<"$page"
			then ok "libvirt: http: $(grep -oE 'vm=.*heartbeat=[0-9]+' <<<"$page")"
			else fail "libvirt: http page: ${page:0:300}"; fi
			kernel=$(line_of "$log" '^vmctl-guest: ready' | sed 's/.* kernel=\([^ ]*\) .*/\1/')
			local rc=0 out
			wait_for "$log" 'vmctl-guest: ssh started$' 10 || true
			ssh "${ssh_opts[@]}" "root@$ip" 'exit 3' </dev/null || rc=$?
			out=$(ssh "${ssh_opts[@]}" "root@$ip" 'uname -r; echo "$PATH"' </dev/null 2>&1 || true)
			if [ "$rc" = 3 ] && [ "$(head -n1 <<<"$out")" = "$kernel" ] &&
				[[ :$(tail -n1 <<<"$out"): == *:/sbin:* && :$(tail -n1 <<<"$out"): == *:/usr/sbin:* ]]
			then ok "libvirt: ssh with key: exit 3, uname -r $kernel, PATH $(tail -n1 <<<"$out")"
			else fail "libvirt: ssh: exit $rc, output '$out'"; fi
		fi
	fi

	# Balloon: the guest's MemTotal drops by what "virsh setmem" takes.
	memtotal() { ga_exec "awk '/^MemTotal:/ { print \$2 }' /proc/meminfo" && echo "$ga_out"; }
	m0=$(memtotal || true)
	virsh -q -c "$uri" setmem "$domain" 192M --live
	t1=$(now)
	m1=$m0
	for ((i = 0; i < 50; i++)); do
		m1=$(memtotal || true)
		[ -n "$m0" ] && [ -n "$m1" ] && [ $((m0 - m1)) -ge 60000 ] && break
		sleep 0.2
	done
	if [ -n "$m0" ] && [ -n "$m1" ] && [ $((m0 - m1)) -ge 60000 ]
	then ok "libvirt: setmem 256M -> 192M: guest MemTotal $m0 -> $m1 kB ($(since "$t1") s)"
	else fail "libvirt: setmem: guest MemTotal '$m0' -> '$m1' kB"; fi
	for ((i = 0; i < 50; i++)); do
		state=$(virsh -q -c "$uri" dommemstat "$domain" 2>/dev/null || true)
		grep -q '^unused ' <<<"$state" && grep -q '^available ' <<<"$state" && break
		sleep 0.2
	done
	if grep -q '^unused ' <<<"$state" && grep -q '^available ' <<<"$state"
	then ok "libvirt: dommemstat guest stats: $(grep -E '^(actual|unused|available) ' <<<"$state" | paste -sd' ')"
	else fail "libvirt: dommemstat has no unused/available: $(paste -sd' ' <<<"$state")"; fi

	# vCPU hotplug: the guest's hotplug helper onlines the new vCPU.
	virsh -q -c "$uri" setvcpus "$domain" 2 --live
	t1=$(now)
	for ((i = 0; i < 50; i++)); do
		ga_exec nproc && [ "$ga_out" = 2 ] && break
		sleep 0.2
	done
	if [ "$ga_out" = 2 ]; then ok "libvirt: setvcpus 2 --live: guest nproc=2 ($(since "$t1") s)"
	else fail "libvirt: setvcpus 2 --live: guest nproc='$ga_out'"; fi

	# CPU work meter, through the agent: one BURN line per second.
	if ga_exec 'vmctl-burn 2' && [ "$ga_rc" = 0 ] &&
		[ "$(grep -cE '^BURN rate=[0-9]+$' <<<"$ga_out")" = 2 ] && [ "$(wc -l <<<"$ga_out")" = 2 ]
	then ok "libvirt: vmctl-burn 2: $(paste -sd' ' <<<"$ga_out")"
	else fail "libvirt: vmctl-burn 2: exit '$ga_rc', output '$ga_out'"; fi

	t1=$(now)
	virsh -q -c "$uri" shutdown "$domain" >/dev/null
	state=""
	while [ "$(since "$t1" | cut -d. -f1)" -lt 20 ]; do
		state=$(virsh -q -c "$uri" domstate "$domain" 2>/dev/null || true)
		[ "$state" = "shut off" ] && break
		sleep 0.05
	done
	if [ "$state" = "shut off" ]; then ok "libvirt: virsh shutdown -> shut off in $(since "$t1") s"
	else fail "libvirt: state '$state' 20 s after virsh shutdown"; fi
	if tr -d '\r' < "$log" | grep -aq 'vmctl-guest: shutting down$'; then ok "libvirt: shutdown line"
	else fail "libvirt: no shutdown line"; fi
	virsh -q -c "$uri" destroy "$domain" >/dev/null 2>&1 || true
	virsh -q -c "$uri" undefine "$domain" >/dev/null
	domain=""
}

case $mode in
direct) run_direct ;;
libvirt) run_libvirt ;;
all) run_direct; run_libvirt ;;
esac
echo "$failures failure(s)"
[ "$failures" = 0 ]
