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
#   KX_STALL    seconds of console silence that stop a guest (default 60)
#   KX_RESULTS  file to append result lines to (default: none)
#
# Adding a case: a host function kx_case_NAME SERIES LABEL that returns 0
# on success or sets KX_REASON and returns 1 (most just call kx_e2e_boot,
# lib.sh), in this file or in a cases/*.sh file next to it, and for the
# guest, gcase_NAME in guest/cases/NAME.sh (see guest/init for the helpers
# it can use).  KX_E2E_CASES+=(NAME) puts it in the default run; without
# that it runs only when asked for (--case NAME), like cases/selftest.sh.
# The case functions are called by name (kx_case_$case).
# shellcheck disable=SC2317
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=e2e

KX_E2E_CASES=(file raw chain coexist)

# --- the cases -----------------------------------------------------------------

# file also checks that the kernel was unpacked at load (cases/unpack.sh).
kx_case_file() { kx_e2e_boot "$1" "$2" file 2 && kx_unpack_check "$KX_LAST_LOG" unpacked; }
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

read -ra SERIES <<<"${KX_SERIES:-${KX_SERIES_ALL[*]} ${KX_SERIES_ARM64[*]}}"
read -ra CASES <<<"${KX_CASES:-${KX_E2E_CASES[*]}}"

# run_series SERIES: fetch, build, initramfs, cases; exit status 1 if any
# failed.  Runs in a subshell of its own.
run_series() {
	local series=$1 logdir t0 c
	# Two runs on one cache would rebuild each other's initramfs and share
	# log names: one run per series at a time.  Released when the subshell
	# exits.
	kx_lock "e2e-$series" 8
	# An architecture may run its own default matrix and crash kernel
	# size (cases/arm64.sh).
	if [ "$(kx_series_arch "$series")" = arm64 ]; then
		[ -z "${KX_CASES:-}" ] && read -ra CASES <<<"$(kx_arm64_cases "$series")"
		KX_CRASH_ARGS=$KX_CRASH_ARGS_ARM64
	fi
	logdir=$(kx_log_dir "$series")
	mkdir -p "$logdir"
	if ! "$KX_HERE/fetch.sh" "$series" >"$logdir/fetch.log" 2>&1; then
		tail -n 20 "$logdir/fetch.log"
		fail_all "$series" "not run: fetch.sh failed (see $logdir/fetch.log)"
		return 1
	fi
	if [ -z "${KX_STANDIN:-}" ]; then
		t0=$(kx_now)
		if "$KX_HERE/build.sh" "$series" >"$logdir/build.log" 2>&1; then
			result "PASS: $series build"
			echo "# $series build: $(kx_elapsed "$t0") s"
		else
			tail -n 30 "$logdir/build.log"
			result "FAIL: $series build: $({ grep -m1 -E 'error|Error' "$logdir/build.log" || echo "see $logdir/build.log"; } | cut -c1-200)"
			fail_all "$series" "not run: build failed"
			return 1
		fi
	fi
	if ! "$KX_HERE/mkinitramfs.sh" "$series" >"$logdir/mkinitramfs.log" 2>&1; then
		tail -n 20 "$logdir/mkinitramfs.log"
		fail_all "$series" "not run: mkinitramfs.sh failed (see $logdir/mkinitramfs.log)"
		return 1
	fi
	for c in "${CASES[@]}"; do
		run_case "$series" "$c"
	done
	return "$FAILED"
}

for series in "${SERIES[@]}"; do kx_series_check "$series"; done

# The series run side by side (KX_JOBS, default 2): each guest runs
# single-threaded TCG (qemu.sh), so two of them fill a 2-core machine.
# Their output is shown series by series as each finishes.
JOBS=${KX_JOBS:-2}
if [ "$JOBS" -le 1 ] || [ ${#SERIES[@]} -le 1 ]; then
	for series in "${SERIES[@]}"; do
		(run_series "$series") || FAILED=1
	done
	exit "$FAILED"
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
declare -A PIDS=() STATUS=()
running=0
for series in "${SERIES[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		rc=0
		wait -n -p done_pid || rc=$?
		STATUS[$done_pid]=$rc
		running=$((running - 1))
	fi
	echo "# $series: started"
	(run_series "$series") >"$TMP/$series.out" 2>&1 &
	PIDS[$series]=$!
	running=$((running + 1))
done
for series in "${SERIES[@]}"; do
	pid=${PIDS[$series]}
	if [ -z "${STATUS[$pid]:-}" ]; then
		rc=0
		wait "$pid" || rc=$?
		STATUS[$pid]=$rc
	fi
	[ "${STATUS[$pid]}" -eq 0 ] || FAILED=1
	cat "$TMP/$series.out"
done
exit "$FAILED"
