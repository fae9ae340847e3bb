#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-ecosystem.sh: kexec_x where kexec users already are, checked on the
# host (the guest-side parts, kexec-tools through libkexec_x_preload.so and
# the systemd-shutdown hook, are e2e cases):
#
#   dkms      dkms.conf: `dkms add` + `dkms build` for each series' Debian
#             kernel, in a private DKMS tree under .cache/dkms (the host's
#             /var/lib/dkms, /usr/src and /lib/modules stay untouched); the
#             module DKMS built has the series' vermagic and the version
#             dkms.conf and MODULE_VERSION agree on
#   patches   mkpatches.sh's series applies with `git am` to a git tree of
#             Debian's linux-source-6.12 and the subsystem builds there
#             (linux-tree.sh)
#   docs      Documentation/admin-guide/kexec_x.rst builds with the kernel's
#             Sphinx setup, warnings fatal (docs-check.sh)
#
# A DKMS build whose inputs (dkms.conf, the module's sources, the kernel,
# dkms's version) did not change since it last passed is not repeated
# (90 s a kernel); KX_DKMS_FORCE=1 repeats it anyway.
#
# Environment: KX_SERIES (default: all), KX_ECO (default "dkms patches
# docs": the parts to run), KX_RESULTS (see run-tests.sh).
# shellcheck disable=SC2317 # functions called through check()
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=ecosystem

read -ra SERIES <<<"${KX_SERIES:-${KX_SERIES_ALL[*]}}"
DEFAULT=dkms
[ -x "$KX_HERE/linux-tree.sh" ] && DEFAULT="$DEFAULT patches"
[ -x "$KX_HERE/docs-check.sh" ] && DEFAULT="$DEFAULT docs"
read -ra PARTS <<<"${KX_ECO:-$DEFAULT}"
LOGDIR=$(kx_cache)/logs/ecosystem
mkdir -p "$LOGDIR"
FAILED=0

result() {
	echo "$1"
	[ -n "${KX_RESULTS:-}" ] && echo "$1" >>"$KX_RESULTS"
	case "$1" in FAIL:*) FAILED=1 ;; esac
	return 0
}

# check NAME LOG CMD...: one result line for CMD, its output in LOG.
check() {
	local name=$1 log=$2 t0 why
	shift 2
	t0=$(kx_now)
	if "$@" >"$log" 2>&1; then
		result "PASS: $name"
	else
		why=$(grep -m1 -E 'error|Error|ERROR|FAIL|WARNING' "$log" | cut -c1-160 || true)
		result "FAIL: $name: ${why:-see $log} (log $log)"
	fi
	echo "# $name: $(kx_elapsed "$t0") s"
}

# --- DKMS -------------------------------------------------------------------

# dkms_build SERIES: dkms add + build into a private tree.
dkms_build() {
	local series=$1 kver kdir top ver mver ko key
	"$KX_HERE/fetch.sh" "$series"
	kver=$(kx_kver "$series")
	kdir=$(kx_kdir "$series")
	top=$(kx_cache)/dkms/$series
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$KX_ROOT/dkms.conf")
	mver=$(sed -n 's/^#define KX_VERSION "\(.*\)"$/\1/p' "$KX_ROOT/kernel/kexec_x/main.c")
	[ -n "$ver" ] || { echo "no PACKAGE_VERSION in dkms.conf"; return 1; }
	if [ "$ver" != "$mver" ]; then
		echo "FAIL: dkms.conf PACKAGE_VERSION $ver, MODULE_VERSION (KX_VERSION) $mver"
		return 1
	fi
	key=$(dkms_key "$series")
	if [ -z "${KX_DKMS_FORCE:-}" ] && [ "$(cat "$top/.passed" 2>/dev/null)" = "$key" ]; then
		echo "dkms build of these sources for $kver passed before: not repeated (KX_DKMS_FORCE=1 repeats it)"
		return 0
	fi
	rm -rf "$top"
	mkdir -p "$top/tree" "$top/src"
	local opts=(--dkmstree "$top/tree" --sourcetree "$top/src" --installtree "$top/install")
	# No signing: dkms would make a MOK key under /var/lib/dkms.
	export sign_file=$top/no-sign-file
	# dkms add copies $PWD/* (not the dot directories: .cache, .git).
	(cd "$KX_ROOT" && dkms add . "${opts[@]}")
	dkms build "kexec_x/$ver" -k "$kver" --kernelsourcedir "$kdir" "${opts[@]}"
	ko=$top/tree/kexec_x/$ver/$kver/x86_64/module/kexec_x.ko
	for f in "$ko" "$ko.xz" "$ko.zst" "$ko.gz"; do
		[ -f "$f" ] && ko=$f && break
	done
	[ -f "$ko" ] || { echo "FAIL: dkms build left no module at $ko"; return 1; }
	modinfo "$ko"
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ] ||
		{ echo "FAIL: vermagic '$(modinfo -F vermagic "$ko")', want $kver"; return 1; }
	[ "$(modinfo -F version "$ko")" = "$ver" ] ||
		{ echo "FAIL: module version '$(modinfo -F version "$ko")', want $ver"; return 1; }
	[ -n "$(modinfo -F description "$ko")" ] ||
		{ echo "FAIL: no module description"; return 1; }
	# Every parameter has a description: "name:description (type)".
	if modinfo -F parm "$ko" | grep -vE '^[a-z_0-9]+:[^ (]'; then
		echo "FAIL: module parameters without a description (above)"
		return 1
	fi
	dkms status "${opts[@]}"
	echo "$key" >"$top/.passed"
}

# dkms_key SERIES: what a DKMS build depends on: dkms itself, the kernel,
# and every file `dkms add` copies that the build reads.
dkms_key() {
	{
		dkms --version
		kx_kver "$1"
		cd "$KX_ROOT" && find dkms.conf Kbuild Makefile kernel arch include \
			-type f ! -name '*.o' ! -name '*.cmd' ! -name '*.ko' -print0 |
			sort -z | xargs -0 sha256sum
	} | sha256sum | cut -d' ' -f1
}

run_dkms() {
	local s
	if ! command -v dkms >/dev/null; then
		result "FAIL: dkms: dkms is not installed (deps.sh)"
		return
	fi
	# One at a time: dkms builds with all the cores.
	for s in "${SERIES[@]}"; do
		check "dkms $s" "$LOGDIR/dkms-$s.log" dkms_build "$s"
	done
}

# --- main ---------------------------------------------------------------------

for part in "${PARTS[@]}"; do
	case "$part" in
	dkms) run_dkms ;;
	patches)
		check "patch series: git am + build in linux-6.12" "$LOGDIR/patches.log" \
			"$KX_HERE/linux-tree.sh" ;;
	docs)
		check "docs: kexec_x.rst with the kernel's Sphinx" "$LOGDIR/docs.log" \
			"$KX_HERE/docs-check.sh" ;;
	*) result "FAIL: ecosystem: unknown part '$part'" ;;
	esac
done
exit "$FAILED"
