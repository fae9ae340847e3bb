# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool: set by /init
# file_plain: kexec_x -l --plain (KEXEC_X_LOAD_PLAIN: the bzImage boots as
# it is and decompresses itself), then kexec_x -e; stage 2 is checked by
# /init, the path taken by the host (cases/unpack.sh).
gcase_file_plain() {
	[ "$stage" = 1 ] || return 0
	setup
	if [ "$tool" != kexec_x ]; then
		load file
		exec_next file
	fi
	cmdline=$(next_cmdline)
	initrd=$(next_initrd)
	run /kx/kexec_x -l --plain /kx/bzImage --initrd="$initrd" --append="$cmdline"
	exec_next file
}
