#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-e2e.sh: the end-to-end kexec_x cases, each in a QEMU guest booting a
# Debian kernel.  Normally started by run-tests.sh; runs alone as well.
#
# For every series: fetch.sh, build.sh (one result line: "<series> build"),
# mkinitramfs.sh, then every selected case.  A case prints exactly one line,
# "PASS: <series> <case>" or "FAIL: <series> <case>: <reason>", appends it
# to $KX_RESULTS, then prints "# ..." with its timings.
#
# Environment (run-tests.sh sets them from its options):
#   KX_SERIES   series to run (default: all)
#   KX_CASES    cases to run (default: all registered, in order)
#   KX_STANDIN  1: validate the harness with the in-kernel kexec: every
#               kexec_x command in the guest is replaced by kexec-tools
#               (-l -> kexec -s -l, -c -l -> kexec -c -l, -e -> kexec -e),
#               kexec_x is neither built nor needed, case names get
#               "@standin"
#   KX_TIMEOUT  seconds per QEMU run (default 120)
#   KX_RESULTS  file to append result lines to (default: none)
#
# Adding a case: a host function kx_case_NAME SERIES LABEL that returns 0
# on success or sets KX_REASON and returns 1 (most just call kx_e2e_boot,
# below), registered with KX_E2E_CASES+=(NAME), in this file or in a
# cases/*.sh file next to it; plus, for the guest, gcase_NAME in
# guest/cases/NAME.sh (see guest/init for the helpers it can use).
# The case functions are called by name (kx_case_$case).
# shellcheck disable=SC2317
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=e2e

KX_E2E_CASES=(file raw chain coexist)
KX_OOPS_RE='Oops|BUG:|WARNING:|Kernel panic|general protection'

# --- the generic boot-and-check step -----------------------------------------

# kx_e2e_check LOG RUN STAGES QEMU_RC: set KX_REASON and return 1 unless the
# log shows stages 1..STAGES, each after the first passing the guest's
# checks, and the last one finishing, with no oops on the console.
kx_e2e_check() {
	local log=$1 run=$2 stages=$3 rc=$4 s line oops
	oops=$(grep -m1 -E "$KX_OOPS_RE" "$log" | cut -d' ' -f2- | cut -c1-200 || true)
	line=$(grep -m1 "KX: FAIL stage=[0-9]* run=$run: " "$log" || true)
	if [ -n "$line" ]; then
		KX_REASON="stage ${line#*KX: FAIL stage=}"
		KX_REASON=${KX_REASON/ run=$run:/:}
		[ -n "$oops" ] && KX_REASON="$KX_REASON; console: $oops"
		return 1
	fi
	if [ -n "$oops" ]; then
		KX_REASON="kernel oops/BUG/WARNING on the console: $oops"
		return 1
	fi
	for ((s = 1; s <= stages; s++)); do
		if ! grep -q "KX: init stage=$s run=$run " "$log"; then
			if [ "$rc" = 124 ]; then
				KX_REASON="timeout waiting for stage $s"
			else
				KX_REASON="QEMU exited (status $rc) before stage $s"
			fi
			return 1
		fi
		if [ "$s" -gt 1 ] && ! grep -q "KX: check stage=$s run=$run ok" "$log"; then
			KX_REASON="stage $s reached /init but reported no check result"
			return 1
		fi
	done
	if [ "$(grep -c "KX: init stage=[0-9]* run=$run " "$log")" -ne "$stages" ]; then
		KX_REASON="expected $stages boots, saw $(grep -c "KX: init stage=[0-9]* run=$run " "$log")"
		return 1
	fi
	if ! grep -q "KX: done stage=$stages run=$run" "$log"; then
		if [ "$rc" = 124 ]; then
			KX_REASON="timeout in stage $stages"
		else
			KX_REASON="stage $stages did not finish (QEMU status $rc)"
		fi
		return 1
	fi
	return 0
}

# kx_e2e_boot SERIES LABEL CASE STAGES: boot the guest on kx.case=CASE and
# expect STAGES boots (the cold one included).  The serial log goes to
# .cache/logs/SERIES/LABEL.log.
kx_e2e_boot() {
	local series=$1 label=$2 case=$3 stages=$4 run log rc=0 tool=kexec_x
	run=$(printf '%04x%04x' "$RANDOM" "$RANDOM")
	log=$(kx_log_dir "$series")/$label.log
	[ -n "${KX_STANDIN:-}" ] && tool=kexec-tools
	"$KX_HERE/qemu.sh" --log "$log" "$series" \
		"kx.case=$case kx.run=$run kx.tool=$tool" || rc=$?
	KX_LAST_LOG=$log
	kx_e2e_check "$log" "$run" "$stages" "$rc"
}

# --- the cases -----------------------------------------------------------------

kx_case_file() { kx_e2e_boot "$1" "$2" file 2; }
kx_case_raw() { kx_e2e_boot "$1" "$2" raw 2; }
kx_case_chain() { kx_e2e_boot "$1" "$2" chain 4; }
kx_case_coexist() { kx_e2e_boot "$1" "$2" coexist 3; }

for f in "$KX_HERE"/cases/*.sh; do
	# shellcheck source=/dev/null
	[ -f "$f" ] && . "$f"
done

# --- reporting ---------------------------------------------------------------

result() {
	echo "$1"
	[ -n "${KX_RESULTS:-}" ] && echo "$1" >>"$KX_RESULTS"
	return 0
}

FAILED=0
run_case() {
	local series=$1 case=$2 label=$2 t0
	[ -n "${KX_STANDIN:-}" ] && label=$case@standin
	if ! declare -F "kx_case_$case" >/dev/null; then
		result "FAIL: $series $label: no such case (known: ${KX_E2E_CASES[*]})"
		FAILED=1
		return
	fi
	t0=$(kx_now)
	KX_REASON='' KX_LAST_LOG=''
	if "kx_case_$case" "$series" "$label"; then
		result "PASS: $series $label"
	else
		result "FAIL: $series $label: ${KX_REASON:-failed}"
		FAILED=1
	fi
	echo "# $series $label: $(kx_elapsed "$t0") s${KX_LAST_LOG:+; $(kx_log_timing "$KX_LAST_LOG"); log $KX_LAST_LOG}"
}

# fail_all SERIES REASON: every selected case of a series that cannot run.
fail_all() {
	local c label
	for c in "${CASES[@]}"; do
		label=$c
		[ -n "${KX_STANDIN:-}" ] && label=$c@standin
		result "FAIL: $1 $label: $2"
	done
	FAILED=1
}

read -ra SERIES <<<"${KX_SERIES:-${KX_SERIES_ALL[*]}}"
read -ra CASES <<<"${KX_CASES:-${KX_E2E_CASES[*]}}"

for series in "${SERIES[@]}"; do
	kx_series_check "$series"
	logdir=$(kx_log_dir "$series")
	mkdir -p "$logdir"
	if ! "$KX_HERE/fetch.sh" "$series" >"$logdir/fetch.log" 2>&1; then
		tail -n 20 "$logdir/fetch.log" >&2
		fail_all "$series" "not run: fetch.sh failed (see $logdir/fetch.log)"
		continue
	fi
	if [ -z "${KX_STANDIN:-}" ]; then
		t0=$(kx_now)
		if "$KX_HERE/build.sh" "$series" >"$logdir/build.log" 2>&1; then
			result "PASS: $series build"
			echo "# $series build: $(kx_elapsed "$t0") s"
		else
			tail -n 30 "$logdir/build.log" >&2
			result "FAIL: $series build: $(grep -m1 -E 'error|Error' "$logdir/build.log" | cut -c1-200 || echo "see $logdir/build.log")"
			fail_all "$series" "not run: build failed"
			continue
		fi
	fi
	if ! "$KX_HERE/mkinitramfs.sh" "$series" >"$logdir/mkinitramfs.log" 2>&1; then
		tail -n 20 "$logdir/mkinitramfs.log" >&2
		fail_all "$series" "not run: mkinitramfs.sh failed (see $logdir/mkinitramfs.log)"
		continue
	fi
	for c in "${CASES[@]}"; do
		run_case "$series" "$c"
	done
done
exit "$FAILED"
