#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# loader-arm64-test.sh [KEXEC_X_ARM64]: the arm64 loader's Image handling,
# placement and device tree, on the build host.  KEXEC_X_ARM64 is the
# loader's arm64 code built for the host (make test/kexec_x-arm64); no
# case touches a real device: every case plans with --dry-run or names a
# --device that does not exist, and writes the tree with --save-dtb.
#
# The machine is a fixture (--sysroot): 2 GiB of RAM at 1 GiB as arm64's
# /proc/iomem shows it, with "reserved" regions inside and a 256 MiB
# crashkernel= reservation, and a device tree compiled by dtc whose /chosen
# holds what a kexec'd kernel may carry (old initrd and its memreserve, an
# elfcorehdr, an IMA buffer).  The Images are synthetic; a gzip copy too.
# When qemu-system-aarch64 is there, QEMU virt's own tree is tried as well.
# test/fdt-patch (the module's kernel/kexec_x/fdt.c) fills the
# placeholders of the -l trees, as the module does.
#
# Prints "PASS: loader-arm64 <case>" or "FAIL: ..." per case (appended to
# $KX_RESULTS when set), then "N passed, N failed"; exits 1 if one failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kx=${1:-$here/kexec_x-arm64}
patch=$here/fdt-patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npass=0
nfail=0
nodev=$tmp/no-such-device
root=$tmp/root

result() {
	local line="$1: loader-arm64 $2"

	[ -n "${3:-}" ] && line+=": $3"
	echo "$line"
	[ -n "${KX_RESULTS:-}" ] && echo "$line" >>"$KX_RESULTS"
	if [ "$1" = PASS ]; then npass=$((npass + 1)); else nfail=$((nfail + 1)); fi
}

# mkimages DIR: a fake /proc/kcore for the fixture, and arm64 Images (4K pages, LE, placement anywhere,
# text_offset 0, 192 KiB of payload): Image (image_size 30 MiB), Bad (a
# wrong magic) and Huge (image_size 1008 MiB).  One python3 run: its
# start-up is the slow part on a busy host.
mkimages() {
	python3 - "$1" "$root" <<'EOF'
import struct, sys
for name, size, magic in (('Image', 0x1e00000, b'ARM\x64'),
                          ('Bad', 0x1e00000, b'ARM\x65'),
                          ('Huge', 0x3f000000, b'ARM\x64')):
    img = bytearray(b'\x1f\x20\x03\xd5' * (0x30000 // 4))
    struct.pack_into('<IIQQQQQQ', img, 0, 0x5a4d, 0x14000000, 0, size, 0xa,
                     0, 0, 0)
    img[0x38:0x3c] = magic
    open(sys.argv[1] + '/' + name, 'wb').write(img)
# /proc/kcore: an ELF header and its program headers, no data.  The
# kernel text first, then the linear map of RAM (48-bit VA: PAGE_OFFSET
# 0xffff000000000000, PHYS_OFFSET 0x40000000).
phdrs = [(0xffff800080000000, 0x40210000, 0x2000000),
         (0xffff000000000000, 0x40000000, 0x80000000)]
eh = bytearray(64)
eh[0:7] = b'\x7fELF\x02\x01\x01'
struct.pack_into('<HHIQQQIHHHHHH', eh, 16, 4, 183, 1, 0, 64, 0, 0, 64, 56,
                 len(phdrs), 0, 0, 0)
ph = b''.join(struct.pack('<IIQQQQQQ', 1, 7, 0x1000, va, pa, sz, sz, 0x1000)
              for va, pa, sz in phdrs)
open(sys.argv[2] + '/proc/kcore', 'wb').write(bytes(eh) + ph)
EOF
}

fixture() {
	mkdir -p "$root/proc" "$root/sys/firmware"
	cat >"$root/proc/iomem" <<'EOF'
09000000-09000fff : pl011@9000000
  09000000-09000fff : 9000000.pl011 pl011@9000000
40000000-bfffffff : System RAM
  40000000-401fffff : reserved
  40210000-4156ffff : Kernel code
  41570000-41cfffff : reserved
  41d00000-4217ffff : Kernel data
  48000000-480fffff : reserved
  70000000-7fffffff : Crash kernel
  bfe00000-bfffffff : reserved
4010000000-401fffffff : PCI ECAM
EOF
	echo "BOOT_IMAGE=/vmlinuz console=ttyAMA0 crashkernel=256M" >"$root/proc/cmdline"
	# What a crash header is made of: CPUs, their notes, VMCOREINFO, _text.
	mkdir -p "$root/sys/devices/system/cpu/cpu0" "$root/sys/devices/system/cpu/cpu1" \
		"$root/sys/kernel"
	echo 0-1 >"$root/sys/devices/system/cpu/possible"
	echo 41f10000 >"$root/sys/devices/system/cpu/cpu0/crash_notes"
	echo 41f20000 >"$root/sys/devices/system/cpu/cpu1/crash_notes"
	echo 400 >"$root/sys/devices/system/cpu/cpu0/crash_notes_size"
	echo 400 >"$root/sys/devices/system/cpu/cpu1/crash_notes_size"
	echo "41e31000 1000" >"$root/sys/kernel/vmcoreinfo"
	printf '%s\n' "ffff800080000000 T _text" "ffff800081f70000 B _end" >"$root/proc/kallsyms"
	cat >"$tmp/old.dts" <<'EOF'
/dts-v1/;
/memreserve/ 0x48000000 0x100000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "linux,dummy-virt";
	chosen {
		bootargs = "old arguments";
		linux,initrd-start = <0x0 0x48000000>;
		linux,initrd-end = <0x0 0x48100000>;
		linux,elfcorehdr = <0x0 0x7f000000 0x0 0x1000>;
		linux,ima-kexec-buffer = <0x0 0x0 0x0 0x0>;
		kaslr-seed = <0x0 0x0>;
		stdout-path = "/pl011@9000000";
	};
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x80000000>;
	};
	pl011@9000000 {
		compatible = "arm,pl011", "arm,primecell";
		reg = <0x0 0x9000000 0x0 0x1000>;
	};
};
EOF
	dtc -q -I dts -O dtb -o "$root/sys/firmware/fdt" "$tmp/old.dts"
	mkimages "$tmp"
	gzip -n -c "$tmp/Image" >"$tmp/Image.gz"
	head -c 300000 /dev/urandom >"$tmp/initrd"
}

# hex64 N: how fdtget -t x prints a 64-bit number.
hex64() { printf '%x %x' $(($1 >> 32)) $(($1 & 0xffffffff)); }

# seg OUT NAME: "START END" of segment NAME in a --debug plan.
seg() {
	sed -n "s/.*segment [0-9]* $2 *mem \[0x\([0-9a-f]*\), 0x\([0-9a-f]*\)).*/0x\1 0x\2/p" "$1"
}

# run OUT ARGS...: the loader on the fixture; stdout+stderr in OUT.
run() {
	local out=$1
	shift
	"$kx" --sysroot="$root" --device="$nodev" "$@" >"$out" 2>&1
}

# The tree after a plan: what bootargs, initrd and the rest say.
check_tree() {
	local dtb=$1 args=$2 istart=$3 iend=$4 why=""

	[ "$(fdtget "$dtb" /chosen bootargs 2>&1)" = "$args" ] ||
		why+="bootargs $(fdtget "$dtb" /chosen bootargs 2>&1); "
	[ "$(fdtget -t x "$dtb" /chosen linux,initrd-start 2>&1)" = "$(hex64 "$istart")" ] ||
		why+="initrd-start $(fdtget -t x "$dtb" /chosen linux,initrd-start 2>&1); "
	[ "$(fdtget -t x "$dtb" /chosen linux,initrd-end 2>&1)" = "$(hex64 "$iend")" ] ||
		why+="initrd-end; "
	[ "$(fdtget -t bx "$dtb" /chosen kaslr-seed | wc -w)" = 8 ] || why+="kaslr-seed; "
	[ "$(fdtget -t bx "$dtb" /chosen rng-seed | wc -w)" = 128 ] || why+="rng-seed; "
	fdtget "$dtb" /chosen linux,booted-from-kexec >/dev/null 2>&1 || why+="booted-from-kexec; "
	fdtget "$dtb" /chosen linux,ima-kexec-buffer >/dev/null 2>&1 && why+="IMA buffer kept; "
	[ "$(fdtget "$dtb" /chosen stdout-path)" = /pl011@9000000 ] || why+="stdout-path lost; "
	dtc -q -I dtb -O dts "$dtb" | grep -q memreserve && why+="old initrd memreserve kept; "
	echo "$why"
}

case_raw() {
	local out=$tmp/raw.out dtb=$tmp/raw.dtb k i d why=""

	run "$out" -c -l "$tmp/Image" --initrd="$tmp/initrd" \
		--command-line="console=ttyAMA0 kx=1" --dry-run --save-dtb="$dtb" ||
		{ result FAIL "raw plan" "exit $? $(tail -1 "$out")"; return; }
	k=$(seg "$out" kernel)
	i=$(seg "$out" initrd)
	d=$(seg "$out" dtb)
	# The lowest 2 MiB boundary with 30 MiB free of "reserved" (the
	# running kernel's reserved pages stop at 0x41d00000); initrd right
	# after the kernel; DTB on the highest free 2 MiB boundary.
	[ "$k" = "0x41e00000 0x43c00000" ] || why+="kernel $k; "
	[ "$i" = "0x43c00000 0x43c4a000" ] || why+="initrd $i; "
	[ "${d%% *}" = 0xbfc00000 ] || why+="dtb $d; "
	grep -q "entry 0x41e00000, argument 0xbfc00000" "$out" || why+="entry/argument; "
	why+=$(check_tree "$dtb" "console=ttyAMA0 kx=1" 0x43c00000 $((0x43c00000 + 300000)))
	fdtget "$dtb" /chosen linux,elfcorehdr >/dev/null 2>&1 && why+="elfcorehdr kept; "
	[ -z "$why" ] && result PASS "raw plan" || result FAIL "raw plan" "$why"
	cp "$out" "$tmp/raw.plan"
}

case_gzip() {
	local out=$tmp/gz.out why=""

	run "$out" -c -l "$tmp/Image.gz" --initrd="$tmp/initrd" \
		--command-line="console=ttyAMA0 kx=1" --dry-run ||
		{ result FAIL "Image.gz" "exit $? $(tail -1 "$out")"; return; }
	grep -q "gzip, .* inflated to $(stat -c %s "$tmp/Image")" "$out" || why+="not inflated; "
	[ "$(grep segment "$out")" = "$(grep segment "$tmp/raw.plan")" ] || why+="plan differs from the Image's; "
	[ -z "$why" ] && result PASS "Image.gz" || result FAIL "Image.gz" "$why"
}

case_bad() {
	local out=$tmp/bad.out

	head -c $(($(stat -c %s "$tmp/Image.gz") / 2)) "$tmp/Image.gz" >"$tmp/Trunc.gz"
	if run "$out" -c -l "$tmp/Bad" --dry-run || ! grep -q "no arm64 Image magic" "$out"; then
		result FAIL "bad magic refused" "$(tail -1 "$out")"
	else
		result PASS "bad magic refused"
	fi
	if run "$out" -c -l "$tmp/Trunc.gz" --dry-run || ! grep -q "corrupt gzip data" "$out"; then
		result FAIL "truncated Image.gz refused" "$(tail -1 "$out")"
	else
		result PASS "truncated Image.gz refused"
	fi
	if run "$out" -p -c -l "$tmp/Huge" --dry-run || ! grep -q "crashkernel= large enough" "$out"; then
		result FAIL "crash kernel larger than the reservation" "$(tail -1 "$out")"
	else
		result PASS "crash kernel larger than the reservation"
	fi
}

case_crash_raw() {
	local out=$tmp/craw.out dtb=$tmp/craw.dtb s why=""

	run "$out" -p -c -l "$tmp/Image" --initrd="$tmp/initrd" --reuse-cmdline \
		--dry-run --save-dtb="$dtb" ||
		{ result FAIL "raw crash plan" "exit $? $(tail -1 "$out")"; return; }
	for s in kernel initrd dtb elfcorehdr; do
		set -- $(seg "$out" $s) 0 0
		[ $(($1)) -ge $((0x70000000)) ] && [ $(($2)) -le $((0x80000000)) ] ||
			why+="$s outside the reservation; "
	done
	# The header: at the top, 2 CPUs, RAM split around the reservation.
	[ "$(seg "$out" elfcorehdr)" = "0x7ffff000 0x80000000" ] || why+="elfcorehdr at $(seg "$out" elfcorehdr); "
	[ "$(fdtget -t x "$dtb" /chosen linux,elfcorehdr)" = "0 7ffff000 0 1000" ] ||
		why+="linux,elfcorehdr $(fdtget -t x "$dtb" /chosen linux,elfcorehdr); "
	grep -q "ELF core header: 2 CPUs, 4096 bytes at 0x7ffff000, linear map offset 0xfffeffffc0000000" "$out" ||
		why+="header: $(grep 'ELF core' "$out"); "
	[ "$(fdtget -t x "$dtb" /chosen linux,usable-memory-range)" = "0 70000000 0 10000000" ] ||
		why+="usable-memory-range; "
	[ "$(fdtget "$dtb" /chosen bootargs)" = "console=ttyAMA0" ] || why+="bootargs keep crashkernel=; "
	[ -z "$why" ] && result PASS "raw crash plan" || result FAIL "raw crash plan" "$why"
}

# -l: the tree the loader hands to LOAD_FILE, then filled by fdt.c.
case_file() {
	local out=$tmp/file.out dtb=$tmp/file.dtb why=""

	run "$out" -l "$tmp/Image" --initrd="$tmp/initrd" --append=kx=2 \
		--save-dtb="$dtb"
	grep -q "$nodev" "$out" || why+="did not reach the device: $(tail -1 "$out"); "
	[ "$(fdtget -t x "$dtb" /chosen linux,initrd-start)" = "0 0" ] || why+="initrd-start placeholder; "
	fdtget "$dtb" /chosen linux,elfcorehdr >/dev/null 2>&1 && why+="elfcorehdr in a normal load; "
	"$patch" "$dtb" "$tmp/filled.dtb" num linux,initrd-start 0x42000000 \
		num linux,initrd-end $((0x42000000 + 300000)) || why+="fdt.c refused the tree; "
	why+=$(check_tree "$tmp/filled.dtb" kx=2 0x42000000 $((0x42000000 + 300000)))
	[ -z "$why" ] && result PASS "file load tree" || result FAIL "file load tree" "$why"

	why=""
	run "$out" -l "$tmp/Image" --save-dtb="$dtb"
	fdtget "$dtb" /chosen linux,initrd-start >/dev/null 2>&1 && why+="initrd placeholder without an initrd; "
	fdtget "$dtb" /chosen bootargs >/dev/null 2>&1 && why+="bootargs for an empty command line; "
	[ -z "$why" ] && result PASS "file load tree without initrd" ||
		result FAIL "file load tree without initrd" "$why"

	why=""
	run "$out" -p -l "$tmp/Image" --initrd="$tmp/initrd" --save-dtb="$dtb"
	[ "$(fdtget -t x "$dtb" /chosen linux,elfcorehdr)" = "0 0 0 0" ] || why+="elfcorehdr placeholder; "
	[ "$(fdtget -t x "$dtb" /chosen linux,usable-memory-range)" = "0 0 0 0" ] || why+="usable-memory-range placeholder; "
	"$patch" "$dtb" "$tmp/filled.dtb" num linux,initrd-start 0x71000000 \
		num linux,initrd-end 0x71049000 \
		ranges linux,elfcorehdr 0x7fff0000 0x7fff3000 \
		ranges linux,usable-memory-range 0x70000000 0x80000000 || why+="fdt.c refused the tree; "
	[ "$(fdtget -t x "$tmp/filled.dtb" /chosen linux,elfcorehdr)" = "0 7fff0000 0 3000" ] || why+="elfcorehdr not filled; "
	[ "$(fdtget -t x "$tmp/filled.dtb" /chosen linux,usable-memory-range)" = "0 70000000 0 10000000" ] || why+="usable-memory-range not filled; "
	# A placeholder of another size is refused, whole.
	"$patch" "$dtb" "$tmp/x.dtb" num linux,elfcorehdr 1 2>/dev/null && why+="fdt.c filled a 16-byte number; "
	[ -z "$why" ] && result PASS "crash file load tree" || result FAIL "crash file load tree" "$why"
}

# QEMU virt's own tree (1 MiB totalsize, 2+2 cells) as /sys/firmware/fdt.
case_qemu() {
	local out=$tmp/q.out dtb=$tmp/q.dtb why=""

	command -v qemu-system-aarch64 >/dev/null || return 0
	timeout 60 qemu-system-aarch64 -M virt,dumpdtb="$root/sys/firmware/fdt" \
		-cpu max -m 2G -smp 2 -nographic >/dev/null 2>&1 ||
		{ result FAIL "QEMU virt tree" "qemu -M virt,dumpdtb failed"; return; }
	run "$out" -c -l "$tmp/Image" --initrd="$tmp/initrd" --append=kx=3 \
		--dry-run --save-dtb="$dtb" || why+="exit $? $(tail -1 "$out"); "
	[ "$(stat -c %s "$dtb" 2>/dev/null || echo 0)" -lt 65536 ] || why+="tree not packed; "
	[ "$(fdtget "$dtb" /chosen bootargs 2>&1)" = kx=3 ] || why+="bootargs; "
	[ "$(fdtget "$dtb" /chosen stdout-path 2>&1)" = "$(fdtget "$root/sys/firmware/fdt" /chosen stdout-path)" ] ||
		why+="stdout-path; "
	[ -z "$why" ] && result PASS "QEMU virt tree" || result FAIL "QEMU virt tree" "$why"
}

# Debian 6.1's kallsyms has no _text or _end (no KALLSYMS_ALL): the
# header's kernel text then comes from /proc/kcore's text program header.
case_crash_raw_kcore_text() {
	local out=$tmp/crawk.out why=""

	cp "$root/proc/kallsyms" "$tmp/kallsyms.keep"
	printf '%s\n' "ffff800080010000 T _stext" "ffff800080020000 T do_undefinstr" \
		>"$root/proc/kallsyms"
	run "$out" -p -c -l "$tmp/Image" --initrd="$tmp/initrd" --reuse-cmdline \
		--dry-run || why+="exit $? $(tail -1 "$out"); "
	cp "$tmp/kallsyms.keep" "$root/proc/kallsyms"
	grep -q "kernel text from /proc/kcore: 0xffff800080000000 at 0x40210000, 0x2000000 bytes" "$out" ||
		why+="text: '$(grep -i 'kernel text' "$out" | head -n 1)'; "
	grep -q "no kernel text mapping" "$out" && why+="warned of no text mapping; "
	[ -z "$why" ] && result PASS "raw crash plan, text from /proc/kcore" ||
		result FAIL "raw crash plan, text from /proc/kcore" "$why"
}

fixture
case_raw
case_gzip
case_bad
case_crash_raw
case_crash_raw_kcore_text
case_file
case_qemu
echo "loader-arm64: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
