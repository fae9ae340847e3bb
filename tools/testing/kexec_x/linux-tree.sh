#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux-tree.sh: the in-tree patch series, end to end.  mkpatches.sh writes
# the series; it is applied with `git am` to Debian's linux-source-6.12 in
# .cache/linux-6.12-git (reset to the pristine tag kx-base first), and the
# subsystem is built there: x86_64 defconfig + CONFIG_KEXEC_X=m (and CMA,
# for CONTIG_ALLOC, which it depends on), then
# `make kernel/kexec_x/ arch/x86/kexec_x/` with the defconfig's
# CONFIG_WERROR (W=1 and sparse are the static suite's).  Objects live in
# .cache/linux-6.12-git-out, so a rerun only rebuilds what the series
# changed.  Fails on any `git am` conflict, a Kconfig symbol that does not
# stick, a compiler warning or error.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=linux-tree

KGIT=$(kx_cache)/linux-6.12-git
OBJ=$(kx_cache)/linux-6.12-git-out
PATCHES=$(kx_cache)/patches

"$KX_HERE/mkpatches.sh" -o "$PATCHES"
kx_lock linux-6.12-git
kg() { git -C "$KGIT" "$@"; }

# Back to the pristine base, keeping the mtimes of files the series does
# not touch (checkout rewrites only what differs), then apply.
kg am --abort >/dev/null 2>&1 || true
kg checkout -q -f --detach kx-base
kg clean -q -fdx
# shellcheck disable=SC2046 # format-patch names have no blanks
kg -c user.name=kexec_x -c user.email=kexec_x@localhost am -q $(find "$PATCHES" -name '0*.patch' ! -name '0000-cover-letter.patch' | sort)
kg log --oneline kx-base..HEAD

mkdir -p "$OBJ"
M=(make -s -C "$KGIT" O="$OBJ" ARCH=x86_64 -j"$(nproc)")
if [ ! -f "$OBJ/.config" ]; then
	nice -n 10 "${M[@]}" x86_64_defconfig
fi
"$KGIT/scripts/config" --file "$OBJ/.config" --enable KPROBES --enable KALLSYMS_ALL --enable CMA \
	--module KEXEC_X
nice -n 10 "${M[@]}" olddefconfig
grep -qx 'CONFIG_KEXEC_X=m' "$OBJ/.config" ||
	kx_die "CONFIG_KEXEC_X=m did not stick: $(grep KEXEC_X "$OBJ/.config" || echo 'not in .config')"
# Under the kexec menu.
grep -q 'source "kernel/kexec_x/Kconfig"' "$KGIT/kernel/Kconfig.kexec" ||
	kx_die "kernel/Kconfig.kexec does not source kernel/kexec_x/Kconfig"
log=$OBJ/kexec_x-build.log
nice -n 10 "${M[@]}" kernel/kexec_x/ arch/x86/kexec_x/ 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || kx_die "the subsystem does not build in tree"
grep -qx 'CONFIG_WERROR=y' "$OBJ/.config" || kx_die "CONFIG_WERROR is off: warnings would pass"
[ -f "$OBJ/kernel/kexec_x/kexec_x.o" ] || kx_die "no kernel/kexec_x/kexec_x.o after the build"
echo "linux-tree: $(kg rev-list --count kx-base..HEAD) patches applied to $(kg log -1 --format=%s kx-base), kexec_x.o built"
