#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-harden.sh: kexec_x on the project's test kernel, a Linux 6.12 built
# without kexec and with every checker, in QEMU (guest/cases/harden.sh).
#
# The test kernel is the x86_64 KUnit build, which always includes
# testkernel.config (.cache/kunit-x86_64, kunit.sh): one kernel build
# serves the KUnit run, the fuzzer, the stress runs and the kexec-less
# cases, and stays incremental.  kexec_x.ko is built out of tree against
# it, the way users build it; Debian's 6.12 kernel is what it kexecs
# into.  One result line per case, "PASS: harden <case>" or
# "FAIL: harden <case>: <reason>".
#
# A case fails on anything the checkers print on the console: KASAN,
# UBSAN, lockdep, a hung task, an oops or BUG or WARNING; and the guest
# fails it on a kmemleak report that names kexec_x.
#
# Part of run-tests.sh ("--suite harden"); warm, its cases take about five
# minutes (file, raw and crash boots, 10,000 fuzz calls, the stress run).
#
# Environment: KX_HARDEN_CASES (default: all, in order), KX_FUZZ_CALLS
# (default 10000), KX_FUZZ_PROCS (4), KX_FUZZ_SEED (the run's date, printed
# and logged: rerun with it to reproduce), KX_STRESS_CYCLES (1000),
# KX_HARDEN_NO_KBUILD=1 (use the kernel as built, do not run kunit.py).
# To check the harness itself without the test kernel: KX_HARDEN_KDIR (a
# kernel build or headers directory) and KX_HARDEN_BZIMAGE name another
# first kernel, and the cases skip what needs the test kernel's checkers
# and its lack of kexec (kx.anykernel).
# shellcheck disable=SC2317,SC2015 # case functions are called by name
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=harden
# kx_derived_initrd
# shellcheck source=tools/testing/kexec_x/cases/datasafe.sh
. "$KX_HERE/cases/datasafe.sh"

SERIES=6.12-amd64	# the kernel kexec'd into, and the guest userland
CASES_ALL=(file raw crash fuzz stress)
read -ra CASES <<<"${KX_HARDEN_CASES:-${CASES_ALL[*]}}"
CACHE=$(kx_cache)
KBUILD=${KX_HARDEN_KDIR:-$CACHE/kunit-x86_64}
OUT=$CACHE/build/harden
LOGDIR=$(kx_log_dir harden)
FAILED=0

result() {
	echo "$1"
	[ -n "${KX_RESULTS:-}" ] && echo "$1" >>"$KX_RESULTS"
	return 0
}

fail_all() {
	local c
	for c in "${CASES[@]}"; do result "FAIL: harden $c: $1"; done
	exit 1
}

mkdir -p "$OUT" "$LOGDIR"

# 1. The kernel: the shared KUnit build (first time: the long part).
t0=$(kx_now)
ANY=''
[ -n "${KX_HARDEN_KDIR:-}" ] && ANY=kx.anykernel
if [ -z "${KX_HARDEN_NO_KBUILD:-}" ] && [ -z "$ANY" ]; then
	KX_KUNIT_BUILD_ONLY=1 "$KX_HERE/kunit.sh" x86_64 >"$LOGDIR/kernel.log" 2>&1 ||
		{ tail -n 20 "$LOGDIR/kernel.log"; fail_all "the test kernel did not build (see $LOGDIR/kernel.log)"; }
fi
BZIMAGE=${KX_HARDEN_BZIMAGE:-$KBUILD/arch/x86/boot/bzImage}
[ -f "$BZIMAGE" ] && [ -f "$KBUILD/Module.symvers" ] ||
	fail_all "no test kernel at $KBUILD (run kunit.sh x86_64)"
[ -n "$ANY" ] || { grep -q '^# CONFIG_KEXEC is not set' "$KBUILD/.config" &&
	! grep -q '^CONFIG_KEXEC_CORE=y' "$KBUILD/.config"; } ||
	fail_all "$KBUILD/.config has kexec: not the test kernel"
echo "# harden kernel: $(kx_elapsed "$t0") s"

# 2. The guest userland and Debian's kernel, as the e2e suite has them.
t0=$(kx_now)
(
	kx_lock "e2e-$SERIES" 8
	"$KX_HERE/fetch.sh" "$SERIES" && "$KX_HERE/build.sh" "$SERIES" &&
		"$KX_HERE/mkinitramfs.sh" "$SERIES"
) >"$LOGDIR/series.log" 2>&1 ||
	{ tail -n 20 "$LOGDIR/series.log"; fail_all "fetch/build/mkinitramfs of $SERIES failed (see $LOGDIR/series.log)"; }

# 3. kexec_x.ko against the test kernel, and the static test tools.
kx_lock build-harden
rsync -a --delete \
	--exclude=/.git --exclude=/.cache --exclude=/out \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.order' --exclude=Module.symvers \
	--exclude=/samples/kexec_x/kexec_x \
	"$KX_ROOT/" "$OUT/src/"
rm -f "$OUT/kexec_x.ko"
if ! make -s -j"$(nproc)" -C "$KBUILD" M="$OUT/src" modules >"$LOGDIR/module.log" 2>&1 ||
	! cp "$OUT/src/kexec_x.ko" "$OUT/kexec_x.ko"; then
	tail -n 20 "$LOGDIR/module.log"
	fail_all "kexec_x.ko did not build against the test kernel (see $LOGDIR/module.log)"
fi
for t in kx-fuzz kx-stress; do
	gcc -O2 -Wall -static -I"$OUT/src/include/uapi" -o "$OUT/$t" \
		"$OUT/src/tools/testing/kexec_x/$t.c" >>"$LOGDIR/module.log" 2>&1 ||
		fail_all "$t did not build (see $LOGDIR/module.log)"
done
echo "# harden build: $(kx_elapsed "$t0") s"

# 4. The initrd: the series' image with the test kernel's module and tools.
harden_root() {
	strip --strip-debug -o "$1/kx/kexec_x.ko" "$OUT/kexec_x.ko"
	install -m 0755 "$OUT/kx-fuzz" "$OUT/kx-stress" "$1/kx/"
}
INITRD=$(kx_derived_initrd "$SERIES" harden harden_root 2>"$LOGDIR/initrd.log") ||
	fail_all "cannot build the initrd (see $LOGDIR/initrd.log)"

# Checker reports that the generic oops pattern does not catch.
HARDEN_RE='UBSAN:|BUG: KASAN|possible circular locking|possible recursive locking|inconsistent lock state|INFO: task .* blocked|INFO: possible|INFO: rcu|kmemleak: [0-9]+ new suspected|DEBUG_LOCKS_WARN_ON'

# boot CASE STAGES [ARGS] [TIMEOUT] [STALL]: a test-kernel boot.
boot() {
	KX_KERNEL=$BZIMAGE KX_INITRD=$INITRD KX_TIMEOUT=${4:-300} KX_STALL=${5:-90} \
		kx_e2e_boot "$SERIES" "harden-$1" "h$1" "$2" "kunit.enable=0${ANY:+ $ANY}${3:+ $3}" || return 1
	local bad
	bad=$(head -c 3000000 "$KX_LAST_LOG" | sed -n '/KX: init stage=2 /q;p' |
		grep -aE "$HARDEN_RE" | head -n1 | cut -d' ' -f2- | cut -c1-200 || true)
	if [ -n "$bad" ]; then
		KX_REASON="checker report on the test kernel's console: $bad"
		return 1
	fi
}

kx_hcase_file() { boot file 2; }
kx_hcase_raw() { boot raw 2; }
kx_hcase_crash() {
	KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
		boot crash 2 "reserve_mem=256M:16M:kexec_x"
}
kx_hcase_fuzz() {
	local seed=${KX_FUZZ_SEED:-$(date +%Y%m%d)}
	echo "# harden fuzz: seed $seed, ${KX_FUZZ_CALLS:-10000} calls, ${KX_FUZZ_PROCS:-4} processes"
	boot fuzz 1 "kx.seed=$seed kx.calls=${KX_FUZZ_CALLS:-10000} kx.procs=${KX_FUZZ_PROCS:-4}" 600 240
}
kx_hcase_stress() { boot stress 1 "kx.cycles=${KX_STRESS_CYCLES:-1000}" 600 240; }

for c in "${CASES[@]}"; do
	t0=$(kx_now)
	KX_REASON='' KX_LAST_LOG=''
	if ! declare -F "kx_hcase_$c" >/dev/null; then
		result "FAIL: harden $c: no such case (known: ${CASES_ALL[*]})"
		FAILED=1
	elif "kx_hcase_$c"; then
		result "PASS: harden $c"
	else
		result "FAIL: harden $c: ${KX_REASON:-failed}"
		FAILED=1
	fi
	echo "# harden $c: $(kx_elapsed "$t0") s${KX_LAST_LOG:+; log $KX_LAST_LOG}"
done
exit "$FAILED"
