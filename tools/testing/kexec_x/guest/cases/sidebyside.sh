# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id: set by /init
# sidebyside: kexec_x and the in-kernel kexec switch kernels in the same
# guest, one after the other, for demo.sh's comparison.
#   stage 1: insmod kexec_x, kexec_x -l + kexec_x -e            -> stage 2
#   stage 2: kexec -s -l (kexec_file_load) + kexec -e            -> stage 3
# Stages 2 and 3 get the usual checks; the host times each switch from the
# serial log.
gcase_sidebyside() {
	case "$stage" in
	1)
		[ -x /kx/kexec_x ] || fail "no kexec_x loader in the initrd (build failed?)"
		kx_insmod
		run /kx/kexec_x -l /kx/bzImage --initrd="$(next_initrd)" --append="$(next_cmdline)"
		kmsg "exec stage=$stage run=$run_id: /kx/kexec_x -e"
		/kx/kexec_x -e
		fail "'kexec_x -e' returned (exit $?)"
		;;
	2)
		run kexec -s -l /kx/bzImage --initrd="$(next_initrd)" --append="$(next_cmdline)"
		kmsg "exec stage=$stage run=$run_id: kexec -e"
		kexec -e
		fail "'kexec -e' returned (exit $?)"
		;;
	esac
}
