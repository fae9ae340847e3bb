# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Decompress-at-load (KEXEC_X_LOAD_PLAIN off, the default of file loads)
# and the plain path (--plain), guest side: guest/cases/file_plain.sh.
#
# How the host tells them apart in the serial log: kexec_x logs
# "unpacked the kernel at load" when it unpacked the payload, and the new
# kernel booted: a bzImage's payload boots only through its decompressor,
# so a plain load that boots ran it.  Either way KASLR_FLAG reaches the new
# kernel (from its decompressor, or from kexec_x, which applied virtual
# KASLR itself), and it prints "Memory KASLR using ..." on the early
# console (earlyprintk) as it randomizes its memory regions.
#
# kaslr: the unpacked kernels' virtual bases (guest/cases/kaslr.sh).
#
# unpack_gzip, unpack_lz4: Debian builds its kernels with xz (6.1) and zstd
# (6.12); these cases give kexec_x the series' kernel with its payload
# recompressed in the two other formats it unpacks (kxtool.py repack) and
# boot it.  The bzImage's own decompressor cannot: it expects the old
# format, so only an unpacked load boots.

KX_E2E_CASES+=(file_plain kaslr unpack_gzip unpack_lz4)

# kx_unpack_check LOG unpacked|plain: the first kexec of LOG went the way
# asked.  Nothing to check with the stand-in (the in-kernel kexec).
kx_unpack_check() {
	local log=$1 want=$2 unpacked=0 kaslr=0
	[ -n "${KX_STANDIN:-}" ] && return 0
	# Unpacking at load is x86_64's (bzImage); an arm64 Image is not packed.
	grep -aq "kx-qemu spawn qemu-system-aarch64" "$log" && return 0
	grep -aq "kexec_x: unpacked the kernel at load" "$log" && unpacked=1
	awk '/KX: exec stage=1 / { e = 1 } e && /Memory KASLR using/ { f = 1 } END { exit !f }' \
		"$log" && kaslr=1
	case "$want:$unpacked:$kaslr" in
	unpacked:1:1 | plain:0:1) return 0 ;;
	unpacked:0:*) KX_REASON="the kernel was not unpacked at load" ;;
	plain:1:*) KX_REASON="--plain unpacked the kernel at load" ;;
	*) KX_REASON="the new kernel did not randomize its memory regions (no KASLR_FLAG)" ;;
	esac
	return 1
}

# kx_kaslr_text LOG STAGE: the _text that stage logged (hex, no 0x).
kx_kaslr_text() {
	grep -ao "KX: kaslr stage=$2 text=[0-9a-f]*" "$1" | head -n 1 | sed 's/.*text=//'
}

# kaslr: stages 2 and 3 at a 2 MiB-aligned base inside the kernel image
# area (1 GiB from __START_KERNEL_map), at least one of them off the
# link-time base (both at it: 1 in 473^2), and each with KASLR_FLAG;
# stage 4 (nokaslr) at the link-time base and without it.
kx_case_kaslr() {
	local log s t off moved=0 link=ffffffff81000000 n
	if [ "$(kx_series_arch "$1")" != amd64 ]; then
		KX_REASON="unpacking at load, and so its KASLR, is x86_64's"
		return 1
	fi
	kx_e2e_boot "$1" "$2" kaslr 4 || return 1
	log=$KX_LAST_LOG
	for s in 2 3 4; do
		t=$(kx_kaslr_text "$log" "$s")
		if [ -z "$t" ]; then
			KX_REASON="stage $s logged no _text"
			return 1
		fi
		off=$((0x$t - 0xffffffff80000000))
		if [ "$s" = 4 ]; then
			if [ "$t" != "$link" ]; then
				KX_REASON="nokaslr: _text at $t, want the link-time $link"
				return 1
			fi
			continue
		fi
		if ((off % 0x200000 || off < 0x1000000 || off >= 0x40000000)); then
			KX_REASON="stage $s: _text at $t, outside the kernel image area or not 2 MiB aligned"
			return 1
		fi
		[ "$t" != "$link" ] && moved=$((moved + 1))
	done
	if [ "$moved" = 0 ]; then
		KX_REASON="stages 2 and 3 both at the link-time base $link"
		return 1
	fi
	# "Memory KASLR using" per boot: stages 1-3, not 4.
	n=$(grep -ac "Memory KASLR using" "$log")
	if [ "$n" != 3 ]; then
		KX_REASON="$n kernels randomized their memory regions, want 3 (stages 1-3; 4 has nokaslr)"
		return 1
	fi
	[ -n "${KX_STANDIN:-}" ] && return 0
	n=$(grep -ac "kexec_x: unpacked kernel relocated for KASLR" "$log")
	if [ "$n" != 2 ]; then
		KX_REASON="kexec_x relocated $n kernels for KASLR, want 2 (stage 3 loads with nokaslr)"
		return 1
	fi
	kx_log "$1 kaslr: _text $(kx_kaslr_text "$log" 2) $(kx_kaslr_text "$log" 3) $(kx_kaslr_text "$log" 4) (nokaslr)"
}

# kx_unpack_format SERIES LABEL gzip|lz4: the file case with the repacked
# kernel as /kx/bzImage in an initrd of its own.
kx_unpack_format() {
	local series=$1 label=$2 fmt=$3 root img
	if [ "$(kx_series_arch "$series")" != amd64 ]; then
		KX_REASON="unpacking at load is x86_64's"
		return 1
	fi
	if [ -n "${KX_STANDIN:-}" ]; then
		KX_REASON="kexec_x only: the in-kernel kexec boots the bzImage through its decompressor, which cannot unpack $fmt"
		return 1
	fi
	root=$(kx_initramfs_variant "$series" "unpack-$fmt")
	if ! python3 "$KX_HERE/kxtool.py" repack "$(kx_vmlinuz "$series")" "$fmt" \
		"$root/kx/bzImage" >"$root.log" 2>&1; then
		KX_REASON="cannot repack the kernel as $fmt: $(tail -n 1 "$root.log")"
		return 1
	fi
	img=$(kx_initramfs_pack "$series" "unpack-$fmt")
	KX_INITRD=$img kx_e2e_boot "$series" "$label" file 2 || return 1
	kx_unpack_check "$KX_LAST_LOG" unpacked || return 1
	if ! grep -aq "kexec_x: unpacked the kernel at load: $fmt, " "$KX_LAST_LOG"; then
		KX_REASON="kexec_x did not say it unpacked a $fmt payload"
		return 1
	fi
}

kx_case_unpack_gzip() { kx_unpack_format "$1" "$2" gzip; }
kx_case_unpack_lz4() { kx_unpack_format "$1" "$2" lz4; }

kx_case_file_plain() {
	kx_e2e_boot "$1" "$2" file_plain 2 && kx_unpack_check "$KX_LAST_LOG" plain
}
