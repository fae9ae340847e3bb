# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# shutdown: the systemd-shutdown hook kexec_x.shutdown boots the kexec_x
# image for "kexec" and nothing else (guest side: guest/cases/shutdown.sh).

KX_E2E_CASES+=(shutdown)

kx_case_shutdown() { kx_e2e_boot "$1" "$2" shutdown 2; }
