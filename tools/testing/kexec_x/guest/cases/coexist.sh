# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# coexist: the in-kernel kexec keeps working next to kexec_x.
#   stage 1: insmod kexec_x, load a decoy image through it and unload it,
#            then kexec-tools loads and executes stage 2 (with kexec_x.ko
#            still loaded).  The decoy carries a wrong token, so stage 2
#            fails its check if the decoy is what booted.
#   stage 2: insmod + rmmod kexec_x, then kexec-tools again -> stage 3.
gcase_coexist() {
	case "$stage" in
	1)
		if [ "$tool" = kexec_x ]; then
			setup
			load file "$run_id.decoy"
			run /kx/kexec_x --status
			run /kx/kexec_x -u
			run /kx/kexec_x --status
		else
			load kt "$run_id.decoy"
			run kexec -u
		fi
		load kt
		exec_next kt
		;;
	2)
		if [ "$tool" = kexec_x ]; then
			setup
			run rmmod kexec_x
			[ -e /sys/module/kexec_x ] && fail "kexec_x still loaded after rmmod"
		fi
		load kt
		exec_next kt
		;;
	esac
}
