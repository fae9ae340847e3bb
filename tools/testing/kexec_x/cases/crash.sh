# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Crash (kdump) cases and the refusal selftest (guest side:
# guest/cases/crash.sh).

KX_E2E_CASES+=(crash_sysrq crash_oops crash_unload crash_refuse refusals)

KX_CRASH_ARGS="crashkernel=256M"

kx_case_crash_sysrq() {
	KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
		kx_e2e_boot "$1" "$2" crash_sysrq 2 "$KX_CRASH_ARGS"
}

kx_case_crash_oops() {
	KX_OOPS_ALLOW='kx_oops|BUG: kernel NULL pointer|Oops:|Kernel panic - not syncing: Fatal exception' \
		kx_e2e_boot "$1" "$2" crash_oops 2 "$KX_CRASH_ARGS"
}

# One boot that ends in an ordinary panic: no second kernel may start.
kx_case_crash_unload() {
	KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
		kx_e2e_boot "$1" "$2" crash_unload 1 "$KX_CRASH_ARGS" || return 1
	if ! grep -q "Kernel panic - not syncing: sysrq triggered crash" "$KX_LAST_LOG"; then
		KX_REASON="no panic after the crash image was unloaded"
		return 1
	fi
	if [ "$(grep -c "Linux version" "$KX_LAST_LOG")" -ne 1 ]; then
		KX_REASON="a second kernel started although the crash image was unloaded"
		return 1
	fi
}

kx_case_crash_refuse() {
	kx_e2e_boot "$1" "$2" crash_refuse 1 "$KX_CRASH_ARGS"
}

# The refusal selftest: one result line per KTAP test, plus the case's own.
kx_case_refusals() {
	local ok=0 l n
	kx_e2e_boot "$1" "$2" refusals 1 || ok=1
	while read -r l; do
		n=${l#*KX: ktap }
		case "$n" in
		"ok "*) result "PASS: $1 refusals: ${n#ok [0-9]* }" ;;
		"not ok "*)
			result "FAIL: $1 refusals: ${n#not ok [0-9]* }"
			ok=1
			KX_REASON="${KX_REASON:-refusal failed: ${n#not ok [0-9]* }}"
			;;
		esac
	done < <(grep -a "KX: ktap \(not \)\?ok " "$KX_LAST_LOG")
	if ! grep -aq "KX: ktap # refusals: [0-9]* passed, 0 failed" "$KX_LAST_LOG"; then
		KX_REASON=${KX_REASON:-"the refusal selftest did not finish"}
		ok=1
	fi
	return $ok
}
