# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool: set by /init
# kaslr: the kernels kexec_x unpacks at load run at a random virtual base,
# as after their own decompressor, and at the link-time one when their
# command line says nokaslr.  1 -> 2 -> 3 -> 4, file loads; stage 4 gets
# nokaslr.  Every stage logs its _text; the host checks (cases/unpack.sh).
# With kx.tool=kexec-tools the same chain runs through kexec -s -l (load).
gcase_kaslr() {
	kmsg "kaslr stage=$stage text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)"
	[ "$stage" -lt 4 ] || return 0
	setup
	# shellcheck disable=SC2034 # read by next_cmdline (/init)
	[ "$stage" = 3 ] && next_extra=nokaslr
	load file
	exec_next file
}
