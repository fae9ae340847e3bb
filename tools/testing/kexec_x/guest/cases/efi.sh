# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
# efi: booted by UEFI firmware (OVMF), kexec_x -l then -e; the second
# kernel must still have EFI runtime services: /sys/firmware/efi/runtime,
# and efivarfs listing the variables (GetNextVariableName at run time).
gcase_efi() {
	[ -d /sys/firmware/efi ] || fail "stage $stage not booted by EFI"
	case "$stage" in
	1)
		setup
		load file
		exec_next file
		;;
	*)
		[ -e /sys/firmware/efi/runtime ] ||
			fail "no EFI runtime services after the kexec"
		[ -f /kx/efivarfs.ko ] && insmod /kx/efivarfs.ko
		mkdir -p /sys/firmware/efi/efivars
		mount -t efivarfs efivarfs /sys/firmware/efi/efivars ||
			fail "cannot mount efivarfs"
		n=$(ls /sys/firmware/efi/efivars | wc -l)
		[ "$n" -gt 0 ] || fail "efivarfs lists no variables"
		kmsg "efi stage=$stage run=$run_id ok: runtime services, $n EFI variables"
		;;
	esac
}
