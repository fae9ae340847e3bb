#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [options]: kexec_x against the in-kernel kexec (kexec-tools,
# default options), side by side in the same QEMU guests.  Not part of
# run-tests.sh (it takes tens of minutes); --smoke is a short run.
#
# Per series: ONE boot chain that alternates the tools stage by stage
# (kexec_x -l, kexec -s -l, ...; guest/cases/bench.sh).  Each stage times
# its tool's loads of the series' kernel with initrds of --sizes MiB, file
# (kexec_x -l vs kexec -s -l) and raw (kexec_x -c -l vs kexec -c -l), then
# loads the next stage (file mode) and execs it.  Then --panics boots per
# tool (kexec_x and the in-kernel kexec, alternating) that each load a
# crash kernel (kexec_x -p -l vs kexec -p -s) and panic: a crash kernel
# ends a chain, so every panic needs a boot of its own.  Every time comes
# from the host's timestamps of the serial lines (qemu.sh); earlyprintk
# (earlycon on arm64) is on, so 'Linux version' is the new kernel's first
# line.  Stage 1 and the last run memcpy-bench.
#
# arm64: Debian's arm64 kernels have no kexec_file_load, so the in-kernel
# file and crash loads are kexec -l and kexec -p (kexec_load); both tools
# run without LPA2 (the in-kernel kexec oopses under it), and kexec_x's
# relocation copy is timed from the stub's own markers on the console
# (--stub-debug: "copy", "copied"), as arm64 has no rehearsal.
#
#   --series S       6.1-amd64, 6.12-amd64, 6.1-arm64, 6.12-arm64
#                    (repeatable; default all four)
#   --rounds N       kexecs per tool in the chain (default 5)
#   --panics N       panics per tool (default 5)
#   --sizes LIST     initrd sizes in MiB (default 16,64,256)
#   --reps N         loads per initrd size, mode and stage (default 1)
#   --cycle-sizes    each round (one stage per tool) measures one of the
#                    sizes, the next round the next one: a third of the
#                    loads with three sizes
#   --plain          also run kexec_x --plain (the bzImage booted as is,
#                    its decompressor runs at boot) as a third tool
#   --smoke          --rounds 1 --panics 1 --sizes 16
#   --out DIR        results (default .cache/bench/<UTC time>)
#
# Output: DIR/<series>/*.log (serial logs), DIR/results.md (the Markdown
# table, also printed), DIR/bench.png (gnuplot), DIR/data.json.
# The series run side by side (KX_JOBS, default 2), as in suite-e2e.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=bench

SERIES=() ROUNDS=5 PANICS=5 SIZES=16,64,256 PLAIN='' OUT='' CYCLE=0 REPS=1
while [ $# -gt 0 ]; do
	case "$1" in
	--series) SERIES+=("$2"); shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--panics) PANICS=$2; shift 2 ;;
	--sizes) SIZES=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--plain) PLAIN=1; shift ;;
	--cycle-sizes) CYCLE=1; shift ;;
	--smoke) ROUNDS=1 PANICS=1 SIZES=16; shift ;;
	--out) OUT=$2; shift 2 ;;
	-h | --help) sed -n '3,44p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) kx_die "unknown option $1 (see --help)" ;;
	esac
done
[ ${#SERIES[@]} -gt 0 ] || SERIES=("${KX_SERIES_ALL[@]}" "${KX_SERIES_ARM64[@]}")
for s in "${SERIES[@]}"; do kx_series_check "$s"; done
OUT=${OUT:-$(kx_cache)/bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
ROT=kx,kt
[ -n "$PLAIN" ] && ROT=kx,kt,kxp
NTOOLS=$(($(tr -cd , <<<"$ROT" | wc -c) + 1))
STAGES=$((ROUNDS * NTOOLS + 1))

# bench_image SERIES: the test initramfs plus memcpy-bench (build.sh), as
# bench.cpio; prints its path.
bench_image() {
	local root
	root=$(kx_initramfs_variant "$1" bench)
	install -m 0755 "$(kx_build_dir "$1")/memcpy-bench" "$root/kx/memcpy-bench"
	kx_initramfs_pack "$1" bench
}

# bench_series SERIES: prepare, run the chain and the panics.
bench_series() {
	local series=$1 dir i who crash=crashkernel=256M ok=0
	kx_lock "e2e-$series" 8
	# arm64: the in-kernel kexec oopses under LPA2 (cases/arm64.sh), so
	# both tools run without it; its crash kernel needs 512 MB.
	if [ "$(kx_series_arch "$series")" = arm64 ]; then
		export KX_ARM_LPA2=off
		crash=crashkernel=512M
	fi
	dir=$OUT/$series
	mkdir -p "$dir"
	"$KX_HERE/fetch.sh" "$series" >"$dir/fetch.log" 2>&1 || kx_die "$series: fetch.sh failed ($dir/fetch.log)"
	"$KX_HERE/build.sh" "$series" >"$dir/build.log" 2>&1 || kx_die "$series: build.sh failed ($dir/build.log)"
	"$KX_HERE/mkinitramfs.sh" "$series" >"$dir/mkinitramfs.log" 2>&1 ||
		kx_die "$series: mkinitramfs.sh failed ($dir/mkinitramfs.log)"
	export KX_INITRD
	KX_INITRD=$(bench_image "$series")
	echo "# $series: chain of $STAGES boots ($ROT), initrds $SIZES MiB"
	# A 256 MiB initrd takes a minute to write under a busy TCG.
	if KX_STALL=${KX_STALL:-300} KX_TIMEOUT=${KX_TIMEOUT:-$((STAGES * 300 + 60))} \
		kx_e2e_boot "$series" bench-chain bench "$STAGES" \
		"kxb.n=$STAGES kxb.rot=$ROT kxb.sizes=$SIZES kxb.cycle=$CYCLE kxb.reps=$REPS"; then
		echo "# $series: chain ok"
	else
		echo "# $series: chain FAILED: $KX_REASON (log $KX_LAST_LOG)"
		ok=1
	fi
	cp "$KX_LAST_LOG" "$dir/chain.log"
	for ((i = 1; i <= PANICS; i++)); do
		for who in kx kt; do
			if KX_TIMEOUT=${KX_TIMEOUT:-300} \
				KX_OOPS_ALLOW='sysrq triggered crash|Kernel panic - not syncing: sysrq' \
				kx_e2e_boot "$series" "bench-panic-$who" bench_panic 2 \
				"$crash kxb.who=$who"; then
				echo "# $series: panic $who $i ok"
			else
				echo "# $series: panic $who $i FAILED: $KX_REASON (log $KX_LAST_LOG)"
				ok=1
			fi
			cp "$KX_LAST_LOG" "$dir/panic-$who-$i.log"
		done
	done
	return $ok
}

T0=$(kx_now)
FAILED=0
# At most KX_JOBS (default 2) series at a time: each QEMU is one host
# thread, and a guest that waits for a CPU measures the wait.
RUNNING=()
for s in "${SERIES[@]}"; do
	if [ "${KX_JOBS:-2}" -le 1 ]; then
		bench_series "$s" 2>&1 | tee "$OUT/$s.out" || FAILED=1
		continue
	fi
	while [ ${#RUNNING[@]} -ge "${KX_JOBS:-2}" ]; do
		wait "${RUNNING[0]}" || FAILED=1
		RUNNING=("${RUNNING[@]:1}")
	done
	(bench_series "$s") >"$OUT/$s.out" 2>&1 &
	RUNNING+=($!)
done
for p in "${RUNNING[@]}"; do
	wait "$p" || FAILED=1
done
for s in "${SERIES[@]}"; do
	[ "${KX_JOBS:-2}" -le 1 ] || cat "$OUT/$s.out"
done
python3 "$KX_HERE/bench-report.py" "$OUT" "${SERIES[@]}" || FAILED=1
echo "# bench: $(kx_elapsed "$T0") s; results in $OUT"
exit $FAILED
