#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu.sh [options] SERIES [KERNEL-ARGS...]
#
# Boot the series' Debian kernel with its test initramfs in QEMU, under
# `timeout`.  The serial console goes to a log, every line prefixed with the
# host time it arrived ("<epoch.us> <line>"), so tests can measure boot and
# kexec times from it.  The first line, "<epoch.us> ### kx-qemu spawn",
# marks the QEMU start.
#
#   --log FILE      serial log (default .cache/logs/SERIES/qemu.log)
#   --timeout SECS  default $KX_TIMEOUT or 120; exit status 124 on timeout
#   --kernel FILE   default: $KX_KERNEL or the series' vmlinuz
#   --initrd FILE   default: $KX_INITRD or .cache/initramfs/SERIES/initrd.cpio
#   --tee           also copy the timestamped log to stderr
#   -i              interactive: the console on this terminal, kx.case=shell
#                   unless given, no timestamps, no timeout
#
# KX_ACCEL=kvm uses KVM (-cpu host) on hosts where it works; the default is
# TCG, since nested KVM hangs in early boot on these build machines.  TCG
# runs single-threaded (KX_TCG_THREAD=multi for MTTCG): with QEMU 7.2's
# MTTCG a guest CPU now and then executes a stale int3 left by the kernel's
# text patching (seen as "Oops: int3" in sched_clock_cpu during boot), and
# one host core per guest lets suite-e2e.sh run two guests side by side.
# KX_QEMU_EXTRA adds raw QEMU arguments (word-split).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=qemu

LOG='' TIMEOUT=${KX_TIMEOUT:-120} KERNEL='' INITRD='' TEE='' INTERACTIVE=''
while [ $# -gt 0 ]; do
	case "$1" in
	--log) LOG=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--initrd) INITRD=$2; shift 2 ;;
	--tee) TEE=1; shift ;;
	-i) INTERACTIVE=1; shift ;;
	-*) kx_die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || kx_die "usage: qemu.sh [--log F] [--timeout S] [--tee] [-i] SERIES [KERNEL-ARGS...]"
SERIES=$1
shift
kx_series_check "$SERIES"
KERNEL=${KERNEL:-${KX_KERNEL:-$(kx_vmlinuz "$SERIES")}}
INITRD=${INITRD:-${KX_INITRD:-$(kx_initramfs_dir "$SERIES")/initrd.cpio}}
LOG=${LOG:-$(kx_log_dir "$SERIES")/qemu.log}
[ -f "$INITRD" ] || kx_die "$INITRD missing: run mkinitramfs.sh $SERIES"

# printk_devkmsg=on: markers written to /dev/kmsg are never rate limited;
# panic=-1 with -no-reboot: a panicking guest exits at once;
# retain_initrd is not needed: the guest repacks its rootfs (guest/init).
CMDLINE="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 printk_devkmsg=on"
# arm64: the PL011 of -M virt; earlycon finds it through /chosen/stdout-path.
[ "$(kx_series_arch "$SERIES")" = arm64 ] &&
	CMDLINE="console=ttyAMA0 earlycon panic=-1 printk_devkmsg=on"
ARGS=("$*")
[ -n "$INTERACTIVE" ] && case " $* " in *" kx.case="*) ;; *) ARGS=("$* kx.case=shell") ;; esac

QEMU=(qemu-system-"$(kx_series_qemu "$SERIES")")
case "$(kx_series_arch "$SERIES")" in
amd64) QEMU+=(-machine pc) ;;
esac
case "${KX_ACCEL:-tcg}:$(kx_series_arch "$SERIES")" in
kvm:*) QEMU+=(-accel kvm -cpu host) ;;
tcg:amd64) QEMU+=(-accel "tcg,thread=${KX_TCG_THREAD:-single}" -cpu qemu64) ;;
tcg:arm64)
	# KX_ARM_EL: el1 (default), vhe (-cpu max at EL2: the kernel runs at
	# EL2) or nvhe (cortex-a72 at EL2, no VHE: the kernel runs at EL1 with
	# KVM at EL2).  KX_ARM_LPA2=off turns 52-bit PA/VA off on -cpu max,
	# where 6.12 otherwise runs with LPA2.  pauth-impdef makes -cpu max 3x
	# faster; a small translation cache keeps a kexec'd kernel from
	# running 2-5x slower on stale translations (baseline.md).
	cpu=max,pauth-impdef=on machine=virt
	# The in-kernel kexec of 6.12 oopses under LPA2: the stand-in runs
	# without it unless asked.
	[ -n "${KX_STANDIN:-}" ] && KX_ARM_LPA2=${KX_ARM_LPA2:-off}
	[ "${KX_ARM_LPA2:-on}" = off ] && cpu=$cpu,lpa2=off
	case "${KX_ARM_EL:-el1}" in
	el1) ;;
	vhe) machine=virt,virtualization=on ;;
	nvhe) machine=virt,virtualization=on cpu=cortex-a72 ;;
	*) kx_die "KX_ARM_EL must be el1, vhe or nvhe" ;;
	esac
	QEMU+=(-machine "$machine" -cpu "$cpu"
		-accel "tcg,thread=${KX_TCG_THREAD:-single},tb-size=32") ;;
*) kx_die "KX_ACCEL must be tcg or kvm" ;;
esac
QEMU+=(-smp 2 -m 2G -nographic -no-reboot
	-kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE ${ARGS[0]}")
# shellcheck disable=SC2206 # raw extra arguments, split on purpose
[ -n "${KX_QEMU_EXTRA:-}" ] && QEMU+=($KX_QEMU_EXTRA)

if [ -n "$INTERACTIVE" ]; then
	exec "${QEMU[@]}"
fi

mkdir -p "$(dirname "$LOG")"
printf '%s ### kx-qemu spawn %s\n' "$EPOCHREALTIME" "${QEMU[*]}" >"$LOG"
set +e
if [ -n "$TEE" ]; then
	timeout -k 5 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 |
		python3 "$KX_HERE/kxtool.py" ts | tee -a "$LOG" >&2
else
	timeout -k 5 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 |
		python3 "$KX_HERE/kxtool.py" ts >>"$LOG"
fi
rc=${PIPESTATUS[0]}
set -e
printf '%s ### kx-qemu exit %s\n' "$EPOCHREALTIME" "$rc" >>"$LOG"
exit "$rc"
