#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh: every kexec_x test, the entry point of `make test`.
#
#   run-tests.sh [--series S]... [--case C]... [--suite NAME]... [--standin]
#
#   --series S   6.1-amd64, 6.12-amd64, 6.1-arm64 or 6.12-arm64 (repeatable;
#                default: all; the arm64 ones in the e2e and static suites)
#   --case C     an end-to-end case: file, raw, chain, coexist (repeatable)
#   --suite N    run only suite N (repeatable; default all)
#   --standin    validate the E2E harness with the in-kernel kexec standing
#                in for kexec_x (see suite-e2e.sh)
#   --list       list the suites and the E2E cases, run nothing
#
# Environment: KX_SKIP_DEPS=1 skips deps.sh; KX_SKIP_<SUITE>=1 skips a suite
# (KX_SKIP_E2E=1 for the QEMU cases); KX_TIMEOUT, KX_ACCEL: see qemu.sh.
#
# A suite is any executable tools/testing/kexec_x/suite-NAME.sh.  It reads
# KX_SERIES, KX_CASES, KX_STANDIN from the environment, prints what it
# likes, and appends one line per test to the file $KX_RESULTS:
#   PASS: <what>            or    FAIL: <what>: <reason>
# This script counts those lines; its last line is "N passed, N failed",
# and it exits non-zero if anything failed.  A suite that exits non-zero
# without reporting anything counts as one failure.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX='run-tests'

SERIES=() CASES=() ONLY=() LIST=''
while [ $# -gt 0 ]; do
	case "$1" in
	--series) SERIES+=("$2"); shift 2 ;;
	--case) CASES+=("$2"); shift 2 ;;
	--suite) ONLY+=("$2"); shift 2 ;;
	--standin) export KX_STANDIN=1; shift ;;
	--list) LIST=1; shift ;;
	-h | --help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) kx_die "unknown argument '$1' (see --help)" ;;
	esac
done
[ ${#SERIES[@]} -gt 0 ] && export KX_SERIES="${SERIES[*]}"
[ ${#CASES[@]} -gt 0 ] && export KX_CASES="${CASES[*]}"
for s in ${KX_SERIES:-}; do kx_series_check "$s"; done

SUITES=()
for f in "$KX_HERE"/suite-*.sh; do
	[ -x "$f" ] || continue
	name=${f##*/suite-}
	name=${name%.sh}
	[ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]] && continue
	SUITES+=("$name")
done
if [ -n "$LIST" ]; then
	echo "suites: ${SUITES[*]}"
	echo "series: ${KX_SERIES_ALL[*]} ${KX_SERIES_ARM64[*]}"
	echo "e2e cases: file raw chain coexist (+ cases/*.sh)"
	exit 0
fi

T0=$(kx_now)
mkdir -p "$(kx_cache)/results"
export KX_RESULTS=${KX_RESULTS:-$(kx_cache)/results/run-$(date +%Y%m%d-%H%M%S)-$$.txt}
: >"$KX_RESULTS"

if [ -z "${KX_SKIP_DEPS:-}" ] && ! "$KX_HERE/deps.sh"; then
	echo "FAIL: deps: deps.sh failed" | tee -a "$KX_RESULTS"
fi

for name in "${SUITES[@]}"; do
	skip=KX_SKIP_$(echo "$name" | tr 'a-z-' 'A-Z_')
	if [ -n "${!skip:-}" ]; then
		echo "=== suite $name: skipped ($skip)"
		continue
	fi
	echo "=== suite $name"
	before=$(wc -l <"$KX_RESULTS")
	t=$(kx_now)
	rc=0
	"$KX_HERE/suite-$name.sh" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$(wc -l <"$KX_RESULTS")" -eq "$before" ]; then
		echo "FAIL: suite $name: exited with status $rc and reported nothing" | tee -a "$KX_RESULTS"
	fi
	echo "=== suite $name: $(kx_elapsed "$t") s"
done

passed=$(grep -c '^PASS: ' "$KX_RESULTS" || true)
failed=$(grep -c '^FAIL: ' "$KX_RESULTS" || true)
echo "=== results in $KX_RESULTS, $(kx_elapsed "$T0") s in all"
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep '^FAIL: ' "$KX_RESULTS" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
