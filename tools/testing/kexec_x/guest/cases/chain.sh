# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# chain: three kexecs in a row (1 -> 2 -> 3 -> 4), each stage checked by
# /init; the module is loaded afresh in every kernel.
gcase_chain() {
	[ "$stage" -lt 4 ] || return 0
	setup
	load file
	exec_next file
}
