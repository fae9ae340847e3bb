# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# rehearse: kexec_x --rehearse (KEXEC_X_IOC_REHEARSE) on a file load and a
# raw load, the checksum refusal of a changed image (the test build's
# test_corrupt hook), --no-verify, then a real kexec with the stub's serial
# markers on (stub_debug), which stage 2 and the host check.  ramoops runs
# in both stages over the memmap= reservation the host asks for
# (cases/rehearse.sh): stage 2 finds stage 1's last messages in pstore,
# which kexec_x's kmsg_dump(KMSG_DUMP_SHUTDOWN) put there.

RAMOOPS_ARGS="mem_address=0x10000000 mem_size=0x100000 record_size=0x40000 max_reason=4"

ramoops_load() {
	insmod /kx/pstore/reed_solomon.ko || fail "insmod reed_solomon failed"
	# shellcheck disable=SC2086 # words, on purpose
	insmod /kx/pstore/ramoops.ko $RAMOOPS_ARGS || fail "insmod ramoops failed"
}

# rehearse_ok WHAT: run the rehearsal; the loader fails unless every page
# was copied and matches its source; check the report's figures too.
rehearse_ok() {
	out=$(/kx/kexec_x --rehearse 2>&1) || fail "rehearse ($1) failed: $(echo "$out" | tr '\n' ' ')"
	echo "$out"
	kv=$(echo "$out" | grep '^kexec_x-rehearse: ') || fail "rehearse ($1): no report line"
	kmsg "rehearse $1 stage=$stage: ${kv#kexec_x-rehearse: }"
	for want in pages_differ=0 'pages_copied=[1-9]' 'copy_tsc=[1-9]' 'memcpy_ns=[1-9]' 'stub_ns=[1-9]'; do
		echo "$kv" | grep -q " $want" || fail "rehearse ($1): no '$want' in: $kv"
	done
	copied=$(echo "$kv" | sed 's/.* pages_copied=\([0-9]*\) .*/\1/')
	expected=$(echo "$kv" | sed 's/.* pages_expected=\([0-9]*\) .*/\1/')
	[ "$copied" = "$expected" ] || fail "rehearse ($1): copied $copied pages, STATUS says $expected"
}

gcase_rehearse() {
	if [ "$stage" = 2 ]; then
		ramoops_load
		mkdir -p /sys/fs/pstore
		mount -t pstore pstore /sys/fs/pstore || fail "mount pstore failed"
		f=$(ls /sys/fs/pstore/dmesg-ramoops-* 2>/dev/null | head -n1)
		[ -n "$f" ] || fail "pstore: no dmesg record of stage 1: $(ls /sys/fs/pstore)"
		grep -q 'Shutdown' "$f" || fail "pstore: $f is not a shutdown dump: $(head -n1 "$f")"
		grep -q 'kexec_x: Starting new kernel' "$f" ||
			fail "pstore: no 'Starting new kernel' of stage 1 in $f"
		kmsg "pstore kept stage 1's last messages stage=$stage: $(head -n1 "$f")"
		return 0
	fi
	[ "$stage" = 1 ] || return 0
	ramoops_load
	setup
	[ -w /sys/module/kexec_x/parameters/test_corrupt ] ||
		fail "no test_corrupt parameter: kexec_x.ko is not a test build (KX_TEST_HOOKS=1)"

	# A file load (this also builds /tmp/initrd for the next stage), then a
	# raw load of the same kernel, initrd and command line.
	load file
	rehearse_ok file
	echo "$out" | grep -q ' verify_bytes=[1-9]' || fail "rehearse (file): no checksum time"
	cmdline=$(next_cmdline)
	run /kx/kexec_x -c -l /kx/bzImage --initrd=/tmp/initrd --append="$cmdline"
	echo 1 >/sys/module/kexec_x/parameters/stub_debug
	rehearse_ok raw
	echo 0 >/sys/module/kexec_x/parameters/stub_debug

	# A changed page: the rehearsal and EXEC refuse with EBADMSG, the
	# machine keeps running and the image stays loaded.
	echo 1 >/sys/module/kexec_x/parameters/test_corrupt || fail "test_corrupt write failed"
	/kx/kexec_x --rehearse >/tmp/out 2>&1 && fail "rehearse accepted a changed image"
	grep -q 'changed since it was loaded' /tmp/out || fail "rehearse: wrong message: $(cat /tmp/out)"
	/kx/kexec_x -e >/tmp/out 2>&1 && fail "exec of a changed image returned success"
	grep -q 'Bad message' /tmp/out || fail "exec refusal: not EBADMSG: $(cat /tmp/out)"
	dmesg | grep -q 'kexec_x: exec refused: the image changed since it was loaded' ||
		fail "exec refusal: no console message"
	kmsg "verify refused a changed image stage=$stage"

	# --no-verify: no checksum taken, a change goes unnoticed (and the
	# rehearsal still copies it faithfully).
	run /kx/kexec_x -c -l /kx/bzImage --no-verify --initrd=/tmp/initrd --append="$cmdline"
	echo 1 >/sys/module/kexec_x/parameters/test_corrupt || fail "test_corrupt write failed"
	rehearse_ok no-verify
	echo "$out" | grep -q ' verify_bytes=0 ' || fail "rehearse (--no-verify): a checksum was checked"

	# The real thing, after all that, with the stub's markers on.
	run /kx/kexec_x -l /kx/bzImage --initrd=/tmp/initrd --append="$cmdline"
	rehearse_ok again
	kmsg "exec stage=$stage run=$run_id: /kx/kexec_x --stub-debug -e"
	/kx/kexec_x --stub-debug -e
	fail "'kexec_x --stub-debug -e' returned (exit $?)"
}
