# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# raw: kexec_x -c -l (segments built in userspace, LOAD_SEGMENTS), -e.
gcase_raw() {
	[ "$stage" = 1 ] || return 0
	setup
	load raw
	[ "$tool" = kexec_x ] && run /kx/kexec_x --status
	exec_next raw
}
