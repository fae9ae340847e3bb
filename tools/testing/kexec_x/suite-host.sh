#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-host.sh: what runs on the host without a kernel: the pure files the
# loader shares with the module, run through their KUnit suites on a
# userspace stand-in for <kunit/test.h> under ASan and UBSan, and the
# loader's own cases on fake machines (samples/kexec_x: make check).
# Nothing here opens /dev/kexec_x.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
log=$(kx_cache)/logs/host-check.log
mkdir -p "$(dirname "$log")"
# make check appends to KX_RESULTS itself when set; report here instead,
# with a "host" prefix, so every line is counted once.
if env -u KX_RESULTS make -C "$KX_ROOT/samples/kexec_x" check >"$log" 2>&1; then
	rc=0
else
	rc=$?
fi
# make check prints "ok"/"not ok" per KUnit case and PASS/FAIL per loader
# case; report each as a result line.
# (t: a converted line is done, it must not match the next expression too)
sed -nE -e 's/^ok (.*)/PASS: host kunit \1/p;t' \
	-e 's/^not ok (.*)/FAIL: host kunit \1/p;t' \
	-e 's/^(PASS|FAIL): /\1: host /p' "$log" |
	while read -r l; do
		echo "$l"
		[ -n "${KX_RESULTS:-}" ] && echo "$l" >>"$KX_RESULTS"
	done
if [ "$rc" -ne 0 ] && ! grep -qE '^FAIL: ' "$log"; then
	l="FAIL: host make check: exit $rc (see $log)"
	echo "$l"
	[ -n "${KX_RESULTS:-}" ] && echo "$l" >>"$KX_RESULTS"
fi
exit "$rc"
