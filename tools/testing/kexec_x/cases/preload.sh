# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# preload: Debian's unmodified kexec-tools (kexec -p, -s -l, -u, -S, -l,
# -e) on top of kexec_x through LD_PRELOAD=libkexec_x_preload.so (guest
# side: guest/cases/preload.sh).

KX_E2E_CASES+=(preload)

kx_case_preload() { kx_e2e_boot "$1" "$2" preload 2 "crashkernel=256M"; }
