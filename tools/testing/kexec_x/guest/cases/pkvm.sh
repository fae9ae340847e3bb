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
	for mode in "-l" "-c -l" "-p -l"; do
		# shellcheck disable=SC2086 # mode is two words on purpose
		out=$(/kx/kexec_x $mode /kx/bzImage --append=console=ttyAMA0 2>&1) &&
			fail "kexec_x $mode succeeded under protected KVM"
		echo "$out" | grep -q "Operation not supported" ||
			fail "kexec_x $mode under protected KVM: '$out', want EOPNOTSUPP"
		kmsg "pkvm refused: kexec_x $mode: $(echo "$out" | head -n 1)"
	done
	/kx/kexec_x --status >/tmp/st 2>&1 || fail "status: $(cat /tmp/st)"
	[ "$(grep -c "image: none" /tmp/st)" -ge 2 ] ||
		fail "something is loaded after the refusals: $(tr '\n' ' ' </tmp/st)"
	dmesg | grep -q "kexec_x: refused: protected KVM" ||
		fail "no 'refused: protected KVM' message from kexec_x"
	kmsg "check stage=$stage run=$run_id ok pkvm"
}
