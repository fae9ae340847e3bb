# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id: set by /init
# stubdebug: kexec_x --stub-debug -e; the host checks the relocation
# stub's stage markers on the console (cases/arm64.sh), stage 2 the usual.
gcase_stubdebug() {
	[ "$stage" = 1 ] || return 0
	setup
	load file
	exec_next file --stub-debug
}
