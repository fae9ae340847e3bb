# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KX_REASON is read by suite-e2e.sh
#
# sysfs: the /sys/kernel/kexec_x/ attributes (guest side:
# guest/cases/sysfs.sh).  One boot, no kexec.

KX_E2E_CASES+=(sysfs)

kx_case_sysfs() {
	kx_e2e_boot "$1" "$2" sysfs 1 "crashkernel=256M" || return 1
	if ! grep -aq "KX: sysfs stage=1: ok" "$KX_LAST_LOG"; then
		KX_REASON="the guest did not run the sysfs checks"
		return 1
	fi
}
