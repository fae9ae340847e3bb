# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftest: proves the E2E harness catches each way a kexec can go wrong
# (guest side: guest/cases/selftest.sh).  Opt-in, not in the default case
# list: run-tests.sh --suite e2e --case selftest (about 2-3 min per series).

# scenario NAME STAGES REGEX: the guest case st_NAME must fail with a reason
# matching REGEX.
kx_selftest_one() {
	if KX_STALL=${3:-$KX_STALL} kx_e2e_boot "$KX_ST_SERIES" "selftest-$1" "st_$1" 2; then
		KX_REASON="harness missed st_$1 (log $KX_LAST_LOG)"
		return 1
	fi
	if ! [[ $KX_REASON =~ $2 ]]; then
		KX_REASON="st_$1: reason '$KX_REASON' does not match '$2' (log $KX_LAST_LOG)"
		return 1
	fi
	echo "# selftest st_$1 caught: $KX_REASON"
}

kx_case_selftest() {
	KX_ST_SERIES=$1
	local KX_STALL=${KX_STALL:-60}
	kx_selftest_one reuse 'stage 1 booted twice' &&
		kx_selftest_one panic 'Kernel panic' &&
		kx_selftest_one warn 'WARNING: harness self-test' &&
		kx_selftest_one hang 'no output for 20 s' 20 &&
		kx_selftest_one mem 'stage 2: MemTotal off by' &&
		kx_selftest_one cpu "stage 2: cpus online '0'" &&
		kx_selftest_one marker 'stage 2: wrong initrd' &&
		kx_selftest_one token 'stage 2: wrong cmdline'
}
