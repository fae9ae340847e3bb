# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# efi: the guest boots through UEFI firmware (OVMF from Debian's ovmf
# package) and kexecs with kexec_x -l; the new kernel must keep EFI runtime
# services (guest/cases/efi.sh).  amd64 only.

KX_E2E_CASES+=(efi)

KX_OVMF=${KX_OVMF:-/usr/share/ovmf/OVMF.fd}

kx_case_efi() {
	if [ ! -f "$KX_OVMF" ]; then
		KX_REASON="no UEFI firmware at $KX_OVMF (Debian package ovmf)"
		return 1
	fi
	KX_QEMU_EXTRA="-bios $KX_OVMF" KX_TIMEOUT=${KX_TIMEOUT:-180} \
		kx_e2e_boot "$1" "$2" efi 2
}
