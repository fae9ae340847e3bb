#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [--standin] [SERIES]
#
# One command to see kexec_x work: fetch the Debian kernel (default
# 6.12-amd64), build kexec_x against it, boot it in QEMU, insmod kexec_x,
# `kexec_x -l` the same kernel with a new command line and initrd,
# `kexec_x -e`, and show the second kernel's banner and how long the switch
# took (the exec marker to the new kernel's 'Linux version' line, from the
# host timestamps of the serial log).  It ends with the in-kernel kexec and
# kexec_x switching kernels one after the other in the same guest, and the
# time each took, side by side.  --standin does the first part with the
# in-kernel kexec (kexec-tools), as a reference.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=demo

SERIES=6.12-amd64
while [ $# -gt 0 ]; do
	case "$1" in
	--standin) export KX_STANDIN=1; shift ;;
	-*) kx_die "usage: demo.sh [--standin] [SERIES]" ;;
	*) SERIES=$1; shift ;;
	esac
done
kx_series_check "$SERIES"
TOOL="kexec_x"
[ -n "${KX_STANDIN:-}" ] && TOOL="kexec-tools (in-kernel kexec, stand-in)"

"$KX_HERE/deps.sh"
echo "demo: fetching the Debian $SERIES kernel"
"$KX_HERE/fetch.sh" "$SERIES"
if [ -z "${KX_STANDIN:-}" ]; then
	echo "demo: building kexec_x.ko and the loader"
	"$KX_HERE/build.sh" "$SERIES"
fi
# Same series lock as suite-e2e.sh: the image and the log directory are
# shared.
kx_lock "e2e-$SERIES" 8
"$KX_HERE/mkinitramfs.sh" "$SERIES" >/dev/null

echo "demo: booting $(kx_kver "$SERIES") in QEMU (TCG), switching kernels with $TOOL"
t0=$(kx_now)
if kx_e2e_boot "$SERIES" demo file 2; then ok=1; else ok=''; fi
LOG=$KX_LAST_LOG

# ts_of PATTERN [NTH]: host time of the NTH line matching PATTERN.
ts_of() { grep -E "$1" "$LOG" | sed -n "${2:-1}p" | cut -d' ' -f1; }
# nth_line PATTERN N: the kernel message of the Nth match, without prefixes.
nth_line() { grep -E "\] $1" "$LOG" | sed -n "${2}p" | sed "s/.*\] \($1\)/\1/"; }

echo
echo "first kernel:  $(nth_line 'Linux version' 1)"
grep -E 'KX: ran stage=1 .* -l ' "$LOG" | sed 's/^.*KX: ran stage=1 secs=\([0-9.]*\): \(.*\)/loaded in \1 s:  \2/' | cut -c1-160 || true
echo "second kernel: $(nth_line 'Linux version' 2)"
echo "               $(nth_line 'Command line:' 2)"
exec_ts=$(ts_of 'KX: exec stage=1 ')
banner_ts=$(ts_of '\] Linux version ' 2)
init_ts=$(ts_of 'KX: init stage=2 ')
if [ -n "$exec_ts" ] && [ -n "$banner_ts" ]; then
	echo "switch: $(kx_elapsed "$exec_ts" "$banner_ts") s from exec to the new kernel's banner${init_ts:+, $(kx_elapsed "$exec_ts" "$init_ts") s to its /init}"
fi
echo "total: $(kx_elapsed "$t0") s; serial log: $LOG"
if [ -z "$ok" ]; then
	echo "demo: FAILED: $KX_REASON"
	exit 1
fi
echo "demo: OK (the second kernel saw its new command line, initrd, 2 CPUs and all its memory)"
[ -n "${KX_STANDIN:-}" ] && exit 0

# Side by side: one guest switches with kexec_x, then its second kernel
# with the in-kernel kexec (guest/cases/sidebyside.sh).
echo
echo "demo: kexec_x and the in-kernel kexec, one after the other in the same guest"
if kx_e2e_boot "$SERIES" demo-sidebyside sidebyside 3; then ok=1; else ok=''; fi
LOG=$KX_LAST_LOG
# hop STAGE NAME: one row: load time, exec -> banner, exec -> /init.
hop() {
	local load exec_ts banner_ts init_ts
	load=$(grep -E "KX: ran stage=$1 secs=[0-9.]*: .* -l " "$LOG" | sed 's/.*secs=\([0-9.]*\):.*/\1/' | head -n1 || true)
	exec_ts=$(ts_of "KX: exec stage=$1 " || true)
	banner_ts=$(ts_of '\] Linux version ' $(($1 + 1)) || true)
	init_ts=$(ts_of "KX: init stage=$(($1 + 1)) " || true)
	printf '%-34s %8s %16s %15s\n' "$2" "${load:-?} s" \
		"$([ -n "$exec_ts" ] && [ -n "$banner_ts" ] && kx_elapsed "$exec_ts" "$banner_ts" || echo '?') s" \
		"$([ -n "$exec_ts" ] && [ -n "$init_ts" ] && kx_elapsed "$exec_ts" "$init_ts" || echo '?') s"
}
printf '%-34s %8s %16s %15s\n' "same guest, $(kx_kver "$SERIES")" load "exec->banner" "exec->/init"
hop 1 "kexec_x (kexec_x -l, -e)"
hop 2 "in-kernel kexec (kexec -s -l, -e)"
echo "(one run under TCG: expect noise of tens of percent; serial log: $LOG)"
if [ -z "$ok" ]; then
	echo "demo: side by side FAILED: $KX_REASON"
	exit 1
fi
echo "demo: side by side OK (both kernels after a switch passed their checks)"
