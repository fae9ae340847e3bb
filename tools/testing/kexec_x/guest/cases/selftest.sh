# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# Harness self-test scenarios (cases/selftest.sh): each stage 1 breaks the
# next boot in one way, with the in-kernel kexec, and the host checks that
# the harness reports exactly that.
gcase_st_reuse() {
	[ "$stage" = 1 ] || return 0
	initrd=$(next_initrd)
	run kexec -l /kx/bzImage --initrd="$initrd" --reuse-cmdline
	exec_next kt
}
gcase_st_panic() { [ "$stage" = 1 ] && echo c >/proc/sysrq-trigger; }
gcase_st_warn() { [ "$stage" = 1 ] && echo "WARNING: harness self-test" >/dev/kmsg; }
gcase_st_hang() { [ "$stage" = 1 ] && sleep 1000; }
# st_append EXTRA [MARKER]: next stage with EXTRA kernel parameters.
st_append() {
	cmdline=$(next_cmdline)
	initrd=$(next_initrd "$2")
	run kexec -l /kx/bzImage --initrd="$initrd" --append="$cmdline $1"
	exec_next kt
}
gcase_st_mem() { [ "$stage" = 1 ] && st_append mem=1500M; }
gcase_st_cpu() { [ "$stage" = 1 ] && st_append nosmp; }
gcase_st_marker() { [ "$stage" = 1 ] && st_append "" wrong; }
gcase_st_token() { [ "$stage" = 1 ] && st_append kx.tok=wrong; }
