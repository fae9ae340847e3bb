# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id: set by /init
# ebusy (arm64): a secondary CPU that cannot go offline makes EXEC fail
# with EBUSY before the point of no return, and the machine goes on.
# dl-hog's two SCHED_DEADLINE reservations of 90% fit two CPUs only, so
# the scheduler refuses to take CPU 1 offline.  kexec_x must say so,
# leave both CPUs online and the image loaded; with the reservations gone
# the same image boots (stage 2 gets the usual checks).
gcase_ebusy() {
	[ "$stage" = 1 ] || return 0
	[ "$(uname -m)" = aarch64 ] || fail "ebusy is an arm64 case"
	setup
	load file
	/kx/dl-hog 2 90000 100000 >/tmp/hog 2>&1 &
	hog=$!
	i=0
	until grep -q ready /tmp/hog; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "dl-hog: $(cat /tmp/hog)"
		sleep 0.1
	done
	kmsg "ebusy stage=$stage: $(cat /tmp/hog)"
	out=$(/kx/kexec_x -e 2>&1) && fail "kexec_x -e returned 0 with CPU 1 pinned online"
	echo "$out" | grep -q "Device or resource busy" ||
		fail "kexec_x -e with CPU 1 pinned online: '$out', want EBUSY"
	dmesg | grep -q "exec refused: CPU 1 cannot be taken offline" ||
		fail "no 'cannot be taken offline' message from kexec_x"
	[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ] ||
		fail "CPUs online after the refusal: $(cat /sys/devices/system/cpu/online)"
	/kx/kexec_x --status | grep -q "normal image: loaded" ||
		fail "the image is gone after the refusal: $(/kx/kexec_x --status | tr '\n' ' ')"
	kmsg "ebusy refused: $(echo "$out" | head -n 1)"
	kill "$hog"
	wait "$hog" 2>/dev/null
	exec_next file
}
