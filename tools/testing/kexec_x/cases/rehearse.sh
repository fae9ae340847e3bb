# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# rehearse: KEXEC_X_IOC_REHEARSE on a file and a raw load, the checksum
# refusal and --no-verify, then a real kexec with stub_debug on
# (guest/cases/rehearse.sh).  Here: the stub's serial markers of the
# rehearsal (it came back) and of the jump must be on the console.  The 1 MiB
# at 256 MiB is reserved for ramoops (KASLR and kexec_x keep out of it).

KX_E2E_CASES+=(rehearse)

kx_case_rehearse() {
	local m
	kx_e2e_boot "$1" "$2" rehearse 2 'memmap=1M$0x10000000' || return 1
	for m in 'kexec_x stub: idmap' 'kexec_x stub: copied 0' \
		 'kexec_x stub: return' 'kexec_x stub: jump'; do
		if ! grep -q "$m" "$KX_LAST_LOG"; then
			KX_REASON="no '$m' on the serial console"
			return 1
		fi
	done
}
