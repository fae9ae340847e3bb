#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh SERIES
#
# Build kexec_x.ko against the series' Debian headers and the loader, in a
# copy of the sources at .cache/build/SERIES/src: several series build
# side by side and the work tree stays free of build products.  Outputs:
#   .cache/build/SERIES/kexec_x.ko
#   .cache/build/SERIES/kexec_x       (the loader, samples/kexec_x)
#   .cache/build/SERIES/libkexec_x_preload.so  (kexec-tools on kexec_x)
# Any compiler error or missing output fails the script.  KX_CLEAN=1 starts
# from an empty copy.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=build

[ $# -eq 1 ] || kx_die "usage: build.sh SERIES"
SERIES=$1
kx_series_check "$SERIES"
KDIR=$(kx_kdir "$SERIES")
OUT=$(kx_build_dir "$SERIES")
SRC=$OUT/src
[ -f "$KDIR/Makefile" ] || kx_die "no headers at $KDIR: run fetch.sh $SERIES"

# arm64 on another host: Debian's cross compiler (its headers name
# $(CROSS_COMPILE)gcc-12), and libfdt/zlib for the static loader.
if [ "$(kx_series_arch "$SERIES")" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
	export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	KX_LIBROOT=$("$KX_HERE/loader-libs.sh" arm64)
	export KX_LIBROOT
fi

mkdir -p "$OUT"
kx_lock "build-$SERIES"
[ -n "${KX_CLEAN:-}" ] && rm -rf "$SRC"
rm -f "$OUT/kexec_x.ko" "$OUT/kexec_x" "$OUT/libkexec_x_preload.so" "$OUT/vmcore-check" "$OUT/refusals" "$OUT/dl-hog" "$OUT/memcpy-bench" "$OUT/kx_oops.ko"

# Excluded names are also protected from --delete, so the copy keeps its
# objects and make stays incremental (rsync keeps the sources' mtimes).
rsync -a --delete \
	--exclude=/.git --exclude=/.cache --exclude=/out \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.order' --exclude=Module.symvers \
	--exclude=/samples/kexec_x/kexec_x \
	"$KX_ROOT/" "$SRC/"

JOBS=$(nproc)
echo "build: $SERIES: kexec_x.ko against $(kx_kver "$SERIES")"
# KX_TEST_HOOKS=1: the test build, with the test_corrupt parameter (Kbuild).
make -s -j"$JOBS" -C "$KDIR" M="$SRC" KX_TEST_HOOKS=1 modules
[ -f "$SRC/kexec_x.ko" ] || kx_die "make succeeded but $SRC/kexec_x.ko is missing"
cp "$SRC/kexec_x.ko" "$OUT/kexec_x.ko"

[ -f "$SRC/samples/kexec_x/Makefile" ] ||
	kx_die "samples/kexec_x/Makefile is missing: the loader is not written yet"
echo "build: $SERIES: loader"
make -s -j"$JOBS" -C "$SRC/samples/kexec_x"
[ -x "$SRC/samples/kexec_x/kexec_x" ] ||
	kx_die "make succeeded but samples/kexec_x/kexec_x is missing"
# The initramfs carries the libraries of a dynamic loader too, but the
# loader is meant to be static: say so if it is not.
if ! file -b "$SRC/samples/kexec_x/kexec_x" | grep -q 'static'; then
	kx_log "warning: the loader is not statically linked"
fi

cp "$SRC/samples/kexec_x/kexec_x" "$OUT/kexec_x"
# The LD_PRELOAD library for kexec-tools: dynamic, built against this
# host's C library, which must be the guest's (Debian 12 both).
make -s -C "$SRC/samples/kexec_x" libkexec_x_preload.so
cp "$SRC/samples/kexec_x/libkexec_x_preload.so" "$OUT/libkexec_x_preload.so"
echo "build: $SERIES: $OUT/kexec_x.ko $OUT/kexec_x"

# Guest-side test tools: the vmcore checker, the refusal selftest, the
# deadline hog (ebusy), memcpy-bench (bench.sh) and the module that oopses
# on request (crash cases).
echo "build: $SERIES: test tools"
CC=${CROSS_COMPILE:-}gcc
"$CC" -O2 -Wall -static -o "$OUT/vmcore-check" "$SRC/tools/testing/kexec_x/vmcore-check.c"
"$CC" -O2 -Wall -static -I"$SRC/include/uapi" -o "$OUT/refusals" \
	"$SRC/tools/testing/selftests/kexec_x/refusals.c"
"$CC" -O2 -Wall -static -o "$OUT/dl-hog" "$SRC/tools/testing/kexec_x/dl-hog.c"
"$CC" -O2 -Wall -static -o "$OUT/memcpy-bench" "$SRC/tools/testing/kexec_x/memcpy-bench.c"
make -s -C "$KDIR" M="$SRC/tools/testing/kexec_x/oops" modules
cp "$SRC/tools/testing/kexec_x/oops/kx_oops.ko" "$OUT/kx_oops.ko"
