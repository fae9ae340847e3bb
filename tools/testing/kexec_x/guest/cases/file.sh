# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# file: kexec_x -l (LOAD_FILE) then kexec_x -e; stage 2 is checked by /init.
gcase_file() {
	[ "$stage" = 1 ] || return 0
	setup
	load file
	[ "$tool" = kexec_x ] && run /kx/kexec_x --status
	exec_next file
}
