# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# sysfs: /sys/kernel/kexec_x/{loaded,crash_loaded,crash_size,last_error}
# before and after loads, unloads and a refused load.  One boot, with
# crashkernel=; with kx.tool=kexec-tools there is nothing to check.

# attr NAME WANT: /sys/kernel/kexec_x/NAME reads WANT.
attr() {
	v=$(cat "/sys/kernel/kexec_x/$1") || fail "cannot read /sys/kernel/kexec_x/$1"
	[ "$v" = "$2" ] || fail "/sys/kernel/kexec_x/$1 is '$v', want '$2'"
}

gcase_sysfs() {
	[ "$tool" = kexec_x ] || return 0
	[ -e /sys/kernel/kexec_x ] && fail "/sys/kernel/kexec_x exists before insmod"
	setup
	attr loaded 0
	attr crash_loaded 0
	attr last_error 0
	# The reservation, as the in-kernel kexec reports it.
	attr crash_size "$(cat /sys/kernel/kexec_crash_size)"
	[ "$(cat /sys/kernel/kexec_x/crash_size)" -gt 0 ] || fail "crash_size is 0 with crashkernel="
	for a in loaded crash_loaded crash_size last_error; do
		echo 1 >"/sys/kernel/kexec_x/$a" 2>/dev/null && fail "$a is writable"
	done

	# A refused load: not a kernel.  ENOEXEC (8), and the cause is the
	# message the module printed.
	if /kx/kexec_x -l /kx/info 2>/dev/null; then
		fail "kexec_x -l of a text file succeeded"
	fi
	err=$(cat /sys/kernel/kexec_x/last_error)
	case "$err" in
	"8 ENOEXEC: "?*) ;;
	*) fail "last_error after loading a text file: '$err', want '8 ENOEXEC: <cause>'" ;;
	esac
	dmesg | grep -qF "kexec_x: ${err#8 ENOEXEC: }" ||
		fail "the cause '${err#8 ENOEXEC: }' is not what kexec_x printed"
	attr loaded 0
	kmsg "sysfs stage=$stage: last_error '$err'"

	# Loads and unloads; last_error keeps the last failure.
	run /kx/kexec_x -l /kx/bzImage --append="$(next_cmdline)"
	attr loaded 1
	attr crash_loaded 0
	attr last_error "$err"
	run /kx/kexec_x -p -l /kx/bzImage --append="nr_cpus=1 $run_id"
	attr crash_loaded 1
	run /kx/kexec_x -u -p
	attr crash_loaded 0
	attr loaded 1
	run /kx/kexec_x -u
	attr loaded 0

	# Another errno: exec with nothing loaded is ENOENT (2), cause printed.
	/kx/kexec_x -e 2>/dev/null && fail "kexec_x -e with nothing loaded returned 0"
	attr last_error "2 ENOENT: exec refused: no image is loaded"
	run rmmod kexec_x
	[ -e /sys/kernel/kexec_x ] && fail "/sys/kernel/kexec_x still there after rmmod"
	kmsg "sysfs stage=$stage: ok"
}
