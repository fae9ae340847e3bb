# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id: set by /init
# pkvm (arm64, nVHE with kvm-arm.mode=protected): protected KVM keeps EL2
# and never hands it back, so kexec_x must refuse every load with
# EOPNOTSUPP, name the cause, leave nothing loaded and stay usable.
gcase_pkvm() {
	[ "$stage" = 1 ] || return 0
	setup
	dmesg | grep -q "Protected nVHE mode initialized successfully" ||
		fail "protected KVM is not up: $(dmesg | grep 'kvm \[' | tail -n 1)"
	refuse_all_loads "Operation not supported" "under protected KVM"
	dmesg | grep -q "kexec_x: refused: protected KVM" ||
		fail "no 'refused: protected KVM' message from kexec_x"
	kmsg "check stage=$stage run=$run_id ok pkvm"
}
