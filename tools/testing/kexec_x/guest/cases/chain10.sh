# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# chain10: ten kexecs in a row through kexec_x (1 -> 2 -> ... -> 11),
# alternating file loads and raw segments, each stage checked by /init.
gcase_chain10() {
	[ "$stage" -lt 11 ] || return 0
	setup
	if [ $((stage % 2)) = 1 ]; then
		load file
		exec_next file
	else
		load raw
		exec_next raw
	fi
}
