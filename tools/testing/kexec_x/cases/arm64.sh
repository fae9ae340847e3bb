# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# arm64: the default matrix of an arm64 series, and the exception-level
# variants of the cases.  The guest side is the same (guest/cases/); only
# the QEMU machine differs (qemu.sh: KX_ARM_EL, KX_ARM_LPA2):
#   NAME        EL1; on 6.12 with -cpu max the kernel runs with LPA2
#               (52-bit VA), where the in-kernel kexec oopses
#   NAME_vhe    -M virt,virtualization=on -cpu max: the kernel runs at EL2
#   NAME_nvhe   -M virt,virtualization=on -cpu cortex-a72: the kernel runs
#               at EL1 with KVM at EL2; the new kernel must start at EL2
#   NAME_nolpa2 -cpu max,lpa2=off
# Each variant also checks from the console that every kernel of the run
# started at the expected exception level, and KVM came up where expected.

# The default arm64 matrix (run-tests.sh; --case NAME selects any case).
KX_E2E_CASES_ARM64=(file raw chain chain10 raw_vhe raw_nvhe file_nvhe crash_sysrq
	crash_sysrq_vhe crash_sysrq_nvhe crash_oops crash_raw crash_unload refusals
	coexist_nolpa2 pkvm ebusy stubdebug stubdebug_nvhe)
# 6.1 the same.  (Its kallsyms has no data symbols: a crash load's ELF
# core header takes the kernel image from /proc/iomem there, the
# loader's (crash_raw) from /proc/kcore.)
KX_E2E_CASES_ARM64_61=("${KX_E2E_CASES_ARM64[@]}")

# kx_arm64_cases SERIES: the default matrix of an arm64 series.
kx_arm64_cases() {
	case "$1" in
	6.1-*) echo "${KX_E2E_CASES_ARM64_61[*]}" ;;
	*) echo "${KX_E2E_CASES_ARM64[*]}" ;;
	esac
}

# The crash kernel boots from an initrd that carries the 40 MB arm64
# Image, and 6.12 sets 64 MB aside for CMA: 256 MB is not enough to
# unpack it ("Initramfs unpacking failed: write error").
KX_CRASH_ARGS_ARM64="crashkernel=512M"

# kx_arm_case SERIES LABEL EL LPA2 CASE STAGES [KERNEL-ARGS]
kx_arm_case() {
	local series=$1 label=$2 el=$3 lpa2=$4 case=$5 stages=$6 extra=${7:-}
	local want n boots
	if [ "$(kx_series_arch "$series")" != arm64 ]; then
		KX_REASON="an arm64 case: $series is not arm64"
		return 1
	fi
	# The in-kernel kexec (the stand-in) oopses under LPA2.
	[ -n "${KX_STANDIN:-}" ] && lpa2=off
	KX_ARM_EL=$el KX_ARM_LPA2=$lpa2 kx_e2e_boot "$series" "$label" "$case" \
		"$stages" "$extra" || return 1
	boots=$(grep -c "\] Linux version " "$KX_LAST_LOG")
	case "$el" in
	el1) want=EL1 ;;
	*) want=EL2 ;;
	esac
	n=$(grep -c "CPU: All CPU(s) started at $want" "$KX_LAST_LOG")
	if [ "$n" -ne "$boots" ]; then
		KX_REASON="$n of $boots kernels started at $want"
		return 1
	fi
	case "$el" in
	vhe) want='kvm \[1\]: VHE mode initialized successfully' ;;
	nvhe) want='kvm \[1\]: Hyp.* nVHE mode initialized successfully|kvm \[1\]: Hyp mode initialized successfully'
		[ -n "${KX_ARM_PKVM_OK:-}" ] && want='kvm \[1\]: Protected nVHE mode initialized successfully' ;;
	*) want='' ;;
	esac
	if [ -n "$want" ] && ! grep -qE "$want" "$KX_LAST_LOG"; then
		KX_REASON="KVM did not come up in $el mode in the first kernel"
		return 1
	fi
}

kx_case_raw_vhe() { kx_arm_case "$1" "$2" vhe on raw 2; }
kx_case_raw_nvhe() { kx_arm_case "$1" "$2" nvhe on raw 2; }
kx_case_raw_nolpa2() { kx_arm_case "$1" "$2" el1 off raw 2; }
kx_case_file_vhe() { kx_arm_case "$1" "$2" vhe on file 2; }
kx_case_file_nvhe() { kx_arm_case "$1" "$2" nvhe on file 2; }
kx_case_chain_vhe() { kx_arm_case "$1" "$2" vhe on chain 4; }
kx_case_chain_nvhe() { kx_arm_case "$1" "$2" nvhe on chain 4; }
# The in-kernel kexec oopses under LPA2 (baseline.md): coexistence with it
# is tested where it works.
kx_case_coexist_nolpa2() { kx_arm_case "$1" "$2" el1 off coexist 3; }
kx_case_coexist_vhe() { kx_arm_case "$1" "$2" vhe on coexist 3; }
kx_case_coexist_nvhe() { kx_arm_case "$1" "$2" nvhe on coexist 3; }

kx_arm_crash() {
	KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
		kx_arm_case "$1" "$2" "$3" on crash_sysrq 2 "$KX_CRASH_ARGS"
}
kx_case_crash_sysrq_vhe() { kx_arm_crash "$1" "$2" vhe; }
# The loader's raw crash load: its own ELF core header and device tree.
# arm64 only: on x86 the loader builds no ELF core header yet.
kx_case_crash_raw() {
	KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
		kx_arm_case "$1" "$2" el1 on crash_raw 2 "$KX_CRASH_ARGS"
}
kx_case_crash_sysrq_nvhe() { kx_arm_crash "$1" "$2" nvhe; }

# Protected KVM (nVHE, kvm-arm.mode=protected) keeps EL2: every load is
# refused with EOPNOTSUPP (guest/cases/pkvm.sh).  One stage, no kexec.
kx_case_pkvm() {
	KX_ARM_PKVM_OK=1 kx_arm_case "$1" "$2" nvhe on pkvm 1 "kvm-arm.mode=protected"
}

# A CPU that cannot go offline (SCHED_DEADLINE bandwidth, dl-hog): EXEC is
# refused with EBUSY, then boots once it can (guest/cases/ebusy.sh).
kx_case_ebusy() { kx_arm_case "$1" "$2" el1 on ebusy 2; }

# The relocation code's stage markers on the PL011 (stub_debug), in order,
# after the exec marker and before the new kernel's banner; one run at
# EL1 and one under nVHE, where the entry goes through the hyp stub.
kx_stub_markers() {
	local m n last=0
	for m in 'kexec_x stub: copy' 'kexec_x stub: copied' 'kexec_x stub: jump'; do
		n=$(grep -an "$m[[:space:]]*\$" "$KX_LAST_LOG" | head -n1 | cut -d: -f1)
		n=${n:-0}
		if [ "$n" -le "$last" ]; then
			KX_REASON="no '$m' on the serial console after the previous marker"
			return 1
		fi
		last=$n
	done
	n=$(grep -an '\] Linux version ' "$KX_LAST_LOG" | sed -n 2p | cut -d: -f1)
	if [ -z "$n" ] || [ "$n" -le "$last" ]; then
		KX_REASON="the markers are not between the exec and the new kernel's banner"
		return 1
	fi
}
kx_case_stubdebug() { kx_arm_case "$1" "$2" el1 on stubdebug 2 && kx_stub_markers; }
kx_case_stubdebug_nvhe() { kx_arm_case "$1" "$2" nvhe on stubdebug 2 && kx_stub_markers; }
