# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Decompress-at-load (KEXEC_X_LOAD_PLAIN off, the default of file loads)
# and the plain path (--plain), guest side: guest/cases/file_plain.sh.
#
# How the host tells them apart in the serial log: kexec_x logs
# "unpacked the kernel at load" when it unpacked the payload; and a kernel
# whose own decompressor ran gets KASLR_FLAG from it and prints "Memory
# KASLR using ..." on the early console (earlyprintk), one that was
# entered at startup_64 directly does not.

KX_E2E_CASES+=(file_plain)

# kx_unpack_check LOG unpacked|plain: the first kexec of LOG went the way
# asked.  Nothing to check with the stand-in (the in-kernel kexec).
kx_unpack_check() {
	local log=$1 want=$2 unpacked=0 kaslr=0
	[ -n "${KX_STANDIN:-}" ] && return 0
	# Unpacking at load is x86_64's (bzImage); an arm64 Image is not packed.
	grep -aq "kx-qemu spawn qemu-system-aarch64" "$log" && return 0
	grep -aq "kexec_x: unpacked the kernel at load" "$log" && unpacked=1
	awk '/KX: exec stage=1 / { e = 1 } e && /Memory KASLR using/ { f = 1 } END { exit !f }' \
		"$log" && kaslr=1
	case "$want:$unpacked:$kaslr" in
	unpacked:1:0 | plain:0:1) return 0 ;;
	unpacked:*) KX_REASON="the kernel was not unpacked at load (unpacked=$unpacked, its decompressor ran: $kaslr)" ;;
	plain:*) KX_REASON="--plain did not boot the bzImage as it is (unpacked=$unpacked, its decompressor ran: $kaslr)" ;;
	esac
	return 1
}

kx_case_file_plain() {
	kx_e2e_boot "$1" "$2" file_plain 2 && kx_unpack_check "$KX_LAST_LOG" plain
}
