#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# static-checks.sh [SERIES...]
#
# The static gates of kexec_x, each reported as one line
# "PASS: static <gate>" or "FAIL: static <gate>" (appended to $KX_RESULTS
# when set), then "static: N passed, N failed".  Exits non-zero if a gate
# failed.  For each SERIES (default: 6.1-amd64 6.12-amd64; the headers come
# from fetch.sh), kexec_x.ko is built from scratch, in a copy of the
# sources under .cache/static/SERIES, against the series' headers:
#
#   <series> build     the module builds
#   <series> W=1       no compiler or modpost warning with W=1
#   <series> objtool   no objtool warning
#   <series> sparse    no sparse warning or error (C=2 CHECK=sparse)
#
# The out-of-tree build does not compile the KUnit tests, so for each
# ARCH of $KX_STATIC_INTREE (default: x86_64 arm64) the project is also
# built in Debian's Linux 6.12 tree (overlay.sh), from a defconfig with
# KUNIT=y, KEXEC_X=m and KEXEC_X_KUNIT_TEST=m (WERROR off, so warnings are
# counted, not fatal), in .cache/static/intree-ARCH:
#
#   intree-<arch> build    kernel/kexec_x/ compiles: every object of
#                          kexec_x.ko and of the tests
#   intree-<arch> W=1      no compiler or objtool warning with W=1
#   intree-<arch> sparse   no sparse warning or error
#
#   intree-<arch> objects  kernel/kexec_x/Makefile links the same objects
#                          into kexec_x.ko as the top-level Kbuild
#
# and, once for the tree, for every C, header and assembly file of the
# project (tracked, or new and not ignored):
#
#   checkpatch <file>  checkpatch.pl --strict --no-tree from Linux 6.12
#                      reports no error and no warning (CHECKs are shown,
#                      not fatal)
#
# Exceptions to checkpatch are listed, each with its reason, in
# checkpatch-exceptions.txt beside this script.  Warnings of each gate go to
# .cache/static/ (the paths are printed).
set -euo pipefail
# shellcheck source=tools/testing/kexec_x/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export KX_LOG_PREFIX=static

series=("$@")
[ ${#series[@]} -gt 0 ] || series=("${KX_SERIES_ALL[@]}" "${KX_SERIES_ARM64[@]}")
out=$(kx_cache)/static
exceptions=$KX_HERE/checkpatch-exceptions.txt
npass=0
nfail=0

# result STATUS GATE [DETAIL]
result() {
	local line="$1: static $2"

	echo "$line${3:+  ($3)}"
	if [ -n "${KX_RESULTS:-}" ]; then
		echo "$line" >>"$KX_RESULTS"
	fi
	if [ "$1" = PASS ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
	fi
}

# gate NAME LOG: PASS when LOG is empty, else FAIL and show its start.
gate() {
	if [ ! -s "$2" ]; then
		result PASS "$1"
		return
	fi
	result FAIL "$1" "$(wc -l <"$2") lines in $2"
	head -n 20 "$2" | sed 's/^/    /'
}

# build_series SERIES: build from scratch, then check each gate's warnings.
build_series() {
	local s=$1 kdir dir log cross=()

	if ! kdir=$( (kx_kdir "$s") 2>/dev/null) || [ ! -f "$kdir/Makefile" ]; then
		result FAIL "$s build" "no headers: run tools/testing/kexec_x/fetch.sh $s"
		return
	fi
	dir=$out/$s
	log=$dir/build.log
	rm -rf "$dir"
	mkdir -p "$dir/src"
	rsync -a --exclude=/.git --exclude=/.cache --exclude=/out \
		"$KX_ROOT/" "$dir/src/"
	# arm64 headers on another host: Debian's cross compiler.
	if [ "$(kx_series_arch "$s")" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
		cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	fi

	# The module with W=1: compiler, modpost and objtool warnings.
	if ! make -j"$(nproc)" -C "$kdir" M="$dir/src" "${cross[@]}" W=1 modules \
		>"$log" 2>&1; then
		result FAIL "$s build" "see $log"
		grep -E 'error|Error' "$log" | head -n 20 | sed 's/^/    /'
		return
	fi
	result PASS "$s build"
	grep -E 'objtool' "$log" | grep -E 'warning|error' >"$dir/objtool.txt" || true
	grep -vE 'objtool' "$log" |
		grep -E '(warning|error):|^WARNING:|^ERROR:' >"$dir/w1.txt" || true

	# Then sparse alone: C=2 checks every file, and with the same flags
	# nothing is recompiled.
	make -j"$(nproc)" -C "$kdir" M="$dir/src" "${cross[@]}" W=1 C=2 CHECK=sparse \
		modules >"$dir/sparse.log" 2>&1 || true
	grep -E '(warning|error):' "$dir/sparse.log" >"$dir/sparse.txt" || true
	if ! grep -q '^  CHECK ' "$dir/sparse.log"; then
		echo "sparse did not run (see $dir/sparse.log)" >>"$dir/sparse.txt"
	fi
	gate "$s W=1" "$dir/w1.txt"
	# arm64 kernels of 6.1 and 6.12 do not run objtool: no such gate.
	[ "$(kx_series_arch "$s")" = arm64 ] || gate "$s objtool" "$dir/objtool.txt"
	gate "$s sparse" "$dir/sparse.txt"
}

# module_objs DIR MAKEFILE VAR=VALUE...: the objects of kexec_x-y, one a
# line, as paths from the repo root (MAKEFILE's are relative to DIR).
module_objs() {
	local dir=$1

	# shellcheck disable=SC2016 # $(kexec_x-y) is for make
	make -s --no-print-directory -C "$KX_ROOT" -f "$2" \
		-f <(printf 'kx-print:\n\t@echo $(kexec_x-y)\n') "${@:3}" kx-print |
		tr ' ' '\n' | sed '/^$/d' |
		while read -r o; do realpath -ms --relative-to=. "$dir/$o"; done |
		sort
}

# same_objects ARCH: the in-tree Makefile and the top-level Kbuild agree.
same_objects() {
	local arch=$1 cfg srcarch diff

	case "$arch" in
	x86_64) cfg=CONFIG_X86_64=y srcarch=x86 ;;
	arm64) cfg=CONFIG_ARM64=y srcarch=arm64 ;;
	esac
	diff=$(diff <(module_objs . Kbuild "$cfg" src=.) \
		<(module_objs kernel/kexec_x kernel/kexec_x/Makefile "$cfg" \
			CONFIG_KEXEC_X=m SRCARCH="$srcarch" srctree=.) || true)
	if [ -z "$diff" ]; then
		result PASS "intree-$arch objects"
	else
		result FAIL "intree-$arch objects" "< Kbuild, > kernel/kexec_x/Makefile"
		echo "$diff" | grep '^[<>]' | sed 's/^/    /'
	fi
}

# intree_arch ARCH: build kernel/kexec_x/ in the 6.12 tree for ARCH.
intree_arch() {
	local arch=$1 dir=$out/intree-$1 ksrc log mk

	ksrc=$("$KX_HERE/linux-source.sh")
	"$KX_HERE/overlay.sh" "$ksrc"
	mk=(make -C "$ksrc" O="$dir" ARCH="$arch")
	case "$arch" in
	x86_64) ;;
	arm64) mk+=(CROSS_COMPILE=aarch64-linux-gnu-) ;;
	*) kx_die "unknown arch $arch (x86_64, arm64)" ;;
	esac
	log=$dir/build.log
	mkdir -p "$dir"

	: >"$log"
	[ -f "$dir/.config" ] || "${mk[@]}" -s defconfig >>"$log" 2>&1 || true
	if [ -f "$dir/.config" ]; then
		"$ksrc/scripts/config" --file "$dir/.config" \
			--enable KUNIT --disable WERROR --enable CMA \
			--module KEXEC_X --module KEXEC_X_KUNIT_TEST
		"${mk[@]}" -s olddefconfig >>"$log" 2>&1 || true
	fi
	if ! grep -qx 'CONFIG_KEXEC_X_KUNIT_TEST=m' "$dir/.config" 2>/dev/null ||
		! "${mk[@]}" -s -j"$(nproc)" prepare >>"$log" 2>&1; then
		result FAIL "intree-$arch build" "configuring failed, see $log"
		return
	fi

	# From scratch, so that every warning shows, then sparse alone.
	rm -rf "$dir/kernel/kexec_x" "$dir/arch/x86/kexec_x" \
		"$dir/arch/arm64/kexec_x"
	if ! "${mk[@]}" -j"$(nproc)" W=1 kernel/kexec_x/ >"$log" 2>&1; then
		result FAIL "intree-$arch build" "see $log"
		grep -E 'error' "$log" | head -n 20 | sed 's/^/    /'
		return
	fi
	result PASS "intree-$arch build"
	# Only the project's diagnostics: a kernel file built on the way
	# (arm64 builds its vDSO in prepare) is not ours to fix.
	grep -E '(warning|error):|^WARNING:' "$log" | grep 'kexec_x' \
		>"$dir/w1.txt" || true
	"${mk[@]}" -j"$(nproc)" W=1 C=2 CHECK=sparse kernel/kexec_x/ \
		>"$dir/sparse.log" 2>&1 || true
	grep -E '(warning|error):' "$dir/sparse.log" | grep 'kexec_x' \
		>"$dir/sparse.txt" || true
	if ! grep -q '^  CHECK .*kexec_x' "$dir/sparse.log"; then
		echo "sparse did not run (see $dir/sparse.log)" >>"$dir/sparse.txt"
	fi
	gate "intree-$arch W=1" "$dir/w1.txt"
	gate "intree-$arch sparse" "$dir/sparse.txt"
	same_objects "$arch"
}

# ignored_types FILE: the checkpatch types excepted for FILE, comma separated.
ignored_types() {
	local pattern type reason types=

	[ -f "$exceptions" ] || return 0
	while read -r pattern type reason; do
		case "$pattern" in '' | '#'*) continue ;; esac
		[ -n "$reason" ] || kx_die "$exceptions: no reason for $pattern $type"
		# shellcheck disable=SC2053 # the pattern is a glob on purpose
		[[ $1 == $pattern ]] && types=${types:+$types,}$type
	done <"$exceptions"
	echo "$types"
}

checkpatch_all() {
	local ksrc cp f ign summary log=$out/checkpatch.log

	ksrc=$("$KX_HERE/linux-source.sh")
	cp=$ksrc/scripts/checkpatch.pl
	: >"$log"
	while read -r f; do
		ign=$(ignored_types "$f")
		summary=$("$cp" --strict --no-tree --show-types --color=never \
			${ign:+--ignore "$ign"} -f "$KX_ROOT/$f" 2>&1 |
			tee -a "$log" | grep -E '^total:' || true)
		if echo "$summary" | grep -q '^total: 0 errors, 0 warnings'; then
			result PASS "checkpatch $f" "${summary#total: }"
		else
			result FAIL "checkpatch $f" "${summary#total: }"
			"$cp" --strict --no-tree --show-types --terse --color=never \
				${ign:+--ignore "$ign"} -f "$KX_ROOT/$f" 2>&1 |
				grep -E ': (ERROR|WARNING):' | head -n 10 |
				sed "s|^$KX_ROOT/||; s/^/    /" || true
		fi
	done < <(cd "$KX_ROOT" && git ls-files -co --exclude-standard \
		'*.c' '*.h' '*.S' | sort)
}

mkdir -p "$out"
kx_lock static
for s in "${series[@]}"; do
	build_series "$s"
done
read -r -a intree <<<"${KX_STATIC_INTREE-x86_64 arm64}"
for arch in "${intree[@]}"; do
	intree_arch "$arch"
done
checkpatch_all

echo "static: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
