# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# chain10: ten kexecs in a row in one guest (guest/cases/chain10.sh): no
# state may leak or pile up from one kexec_x kernel into the next.

KX_E2E_CASES+=(chain10)

kx_case_chain10() {
	KX_TIMEOUT=${KX_CHAIN10_TIMEOUT:-480} kx_e2e_boot "$1" "$2" chain10 11
}
