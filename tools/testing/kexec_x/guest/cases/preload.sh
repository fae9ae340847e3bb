# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# preload: Debian's unmodified kexec-tools on top of kexec_x through
# LD_PRELOAD=libkexec_x_preload.so (samples/kexec_x/preload.c).  The first
# kernel boots with crashkernel=.
#   stage 1: kexec -p (crash, kexec_load) and kexec -p -u; kexec -s -l
#            (kexec_file_load) and kexec -u; kexec -S; then kexec -l
#            (kexec_load) and kexec -e.  After every step kexec_x's STATUS
#            must show the image in the right slot while the in-kernel
#            /sys/kernel/kexec_loaded and kexec_crash_loaded stay 0.
#   stage 2: the usual checks (token, initrd marker, CPUs, memory).
# With kx.tool=kexec-tools the same kexec commands run without the library,
# on the in-kernel kexec.

PRELOAD=/kx/libkexec_x_preload.so

# kt ARGS...: kexec-tools, through kexec_x unless standing in.
kt() {
	if [ "$tool" = kexec_x ]; then
		run env LD_PRELOAD=$PRELOAD kexec "$@"
	else
		run kexec "$@"
	fi
}

# expect SLOT WHAT: kexec_x --status says "SLOT image: WHAT...", and the
# in-kernel kexec has nothing loaded.
expect() {
	[ "$(cat /sys/kernel/kexec_loaded)" = 0 ] ||
		fail "the in-kernel kexec_loaded is $(cat /sys/kernel/kexec_loaded): kexec-tools bypassed kexec_x"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ] ||
		fail "the in-kernel kexec_crash_loaded is 1: kexec-tools bypassed kexec_x"
	/kx/kexec_x --status >/tmp/st || fail "kexec_x --status failed"
	grep -q "^$1 image: $2" /tmp/st ||
		fail "kexec_x --status: want '$1 image: $2', got '$(grep "^$1 image" /tmp/st)'"
	kmsg "preload stage=$stage: $1 image: $2 (in-kernel kexec_loaded=0 kexec_crash_loaded=0)"
}

# status [-l] WANT: kexec -S (crash slot) or kexec -S -l (normal slot)
# through the library, which answers kexec-tools' reads of
# /sys/kernel/kexec_crash_loaded and kexec_loaded: exit 1 if loaded.
status() {
	want=$1
	shift
	rc=0
	LD_PRELOAD=$PRELOAD kexec -S "$@" || rc=$?
	[ "$rc" = "$want" ] || fail "kexec -S $*: exit $rc, want $want"
}

gcase_preload() {
	[ "$stage" = 1 ] || return 0
	[ -r /kx/libkexec_x_preload.so ] || fail "no libkexec_x_preload.so in the initrd (build failed?)"
	setup
	cmdline=$(next_cmdline)
	initrd=$(next_initrd)
	crash_cmdline=
	for w in $cmdline; do
		case "$w" in crashkernel=*) ;; *) crash_cmdline="$crash_cmdline$w " ;; esac
	done

	if [ "$tool" != kexec_x ]; then
		kt -p /kx/bzImage --initrd="$initrd" --append="${crash_cmdline}nr_cpus=1"
		kt -p -u
		kt -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
		exec_next kt
	fi

	# Crash kernel through kexec_load(KEXEC_ON_CRASH).
	kt -p /kx/bzImage --initrd="$initrd" --append="${crash_cmdline}nr_cpus=1"
	expect crash "loaded from segments"
	status 1
	status 0 -l
	kt -p -u
	expect crash none
	status 0

	# kexec_file_load, then kexec_load(nr_segments = 0) to unload.
	kt -s -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
	expect normal "loaded from a file"
	status 1 -l
	status 0
	kt -u
	expect normal none
	status 0 -l

	# With nothing loaded, kexec -e must refuse before calling reboot().
	if LD_PRELOAD=$PRELOAD kexec -e 2>/tmp/err; then
		fail "kexec -e with nothing loaded succeeded"
	fi
	grep -q "Nothing has been loaded" /tmp/err ||
		fail "kexec -e with nothing loaded: $(cat /tmp/err)"

	# The real thing: kexec_load (Debian's default), then kexec -e.
	kt -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
	expect normal "loaded from segments"
	kmsg "exec stage=$stage run=$run_id: LD_PRELOAD=$PRELOAD kexec -e"
	LD_PRELOAD=$PRELOAD kexec -e
	fail "'kexec -e' through kexec_x returned (exit $?)"
}
