#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# loader-test.sh [KEXEC_X]: the loader's command line, planning and error
# messages, on the build host.  Never touches a real device: every case
# either plans with --dry-run or names a --device that does not exist.
#
# The machine is a fixture (--sysroot): 512 MiB of RAM with a 128 MiB
# crashkernel= reservation, as /proc/iomem and /sys/firmware/memmap show
# it; the kernels are synthetic bzImages made by mkbzimage below.
#
# Prints "PASS: loader <case>" or "FAIL: loader <case>: <why>" per case
# (appended to $KX_RESULTS when set), then "N passed, N failed"; exits 1
# if a case failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kx=${1:-$here/../kexec_x}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npass=0
nfail=0
nodev=$tmp/no-such-device

# mkbzimage FILE [FIELD=VALUE...]: a bzImage header (boot protocol 2.15,
# relocatable, 64-bit entry) over 64 KiB of payload.  FIELD is a
# setup_header field of this list, VALUE a number; "len" cuts the file.
mkbzimage() {
	python3 - "$@" <<'EOF'
import struct, sys

fields = {  # name: (offset, struct format)
    'setup_sects': (0x1f1, 'B'), 'syssize': (0x1f4, 'I'),
    'boot_flag': (0x1fe, 'H'), 'jump': (0x200, 'H'),
    'header': (0x202, 'I'), 'version': (0x206, 'H'),
    'loadflags': (0x211, 'B'), 'initrd_addr_max': (0x22c, 'I'),
    'kernel_alignment': (0x230, 'I'), 'relocatable_kernel': (0x234, 'B'),
    'min_alignment': (0x235, 'B'), 'xloadflags': (0x236, 'H'),
    'cmdline_size': (0x238, 'I'), 'pref_address': (0x258, 'Q'),
    'init_size': (0x260, 'I'),
}
setup = 5 * 512
payload = 0x10000
img = bytearray(setup + payload)
vals = dict(setup_sects=4, syssize=payload // 16, boot_flag=0xaa55,
            jump=0xeb | ((0x26c - 0x202) << 8), header=0x53726448,
            version=0x020f, loadflags=1, initrd_addr_max=0x7fffffff,
            kernel_alignment=0x200000, relocatable_kernel=1,
            min_alignment=21, xloadflags=0x3, cmdline_size=2047,
            pref_address=0x1000000, init_size=0x2000000)
length = len(img)
for arg in sys.argv[2:]:
    k, v = arg.split('=')
    if k == 'len':
        length = int(v, 0)
    else:
        vals[k] = int(v, 0)
for k, v in vals.items():
    off, fmt = fields[k]
    struct.pack_into('<' + fmt, img, off, v)
img[0x1ef] = 0xff
img[setup:] = b'\x90' * payload
open(sys.argv[1], 'wb').write(img[:length])
EOF
}

# memmap N START END TYPE: one /sys/firmware/memmap entry (END inclusive).
memmap() {
	local d=$root/sys/firmware/memmap/$1

	mkdir -p "$d"
	echo "$2" >"$d/start"
	echo "$3" >"$d/end"
	echo "$4" >"$d/type"
}

# fixture DIR: the machine described above.
fixture() {
	root=$1
	mkdir -p "$root/proc" "$root/sys/kernel/boot_params" \
		"$root/sys/firmware/efi"
	cat >"$root/proc/iomem" <<'EOF'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-0009ffff : Reserved
000a0000-000bffff : PCI Bus 0000:00
000f0000-000fffff : Reserved
  000f0000-000fffff : System ROM
00100000-1ffdffff : System RAM
  01000000-01ffffff : Kernel code
  0d000000-14ffffff : Crash kernel
1ffe0000-1fffffff : Reserved
feffc000-feffffff : Reserved
fffc0000-ffffffff : Reserved
EOF
	echo 'BOOT_IMAGE=/boot/vmlinuz root=/dev/vda crashkernel=128M console=ttyS0 x="a b"' \
		>"$root/proc/cmdline"
	printf 'processor\t: 0\nflags\t\t: fpu vme pae\n' >"$root/proc/cpuinfo"
	printf 'ACPI20=0x1f77e014\nACPI=0x1f77e000\n' \
		>"$root/sys/firmware/efi/systab"
	head -c 4096 /dev/zero >"$root/sys/kernel/boot_params/data"
	memmap 0 0x0 0x9fbff "System RAM"
	memmap 1 0x9fc00 0x9ffff Reserved
	memmap 2 0xf0000 0xfffff Reserved
	memmap 3 0x100000 0x1ffdffff "System RAM"
	memmap 4 0x1ffe0000 0x1fffffff Reserved
	memmap 5 0xfeffc000 0xfeffffff Reserved
	memmap 6 0xfffc0000 0xffffffff Reserved
}

result() {
	local line="$1: loader $2"

	[ "$1" = PASS ] && npass=$((npass + 1)) || nfail=$((nfail + 1))
	echo "$line${3:+: $3}"
	[ -n "${KX_RESULTS:-}" ] && echo "$line${3:+: $3}" >>"$KX_RESULTS"
	return 0
}

# check NAME STATUS PATTERN... -- ARGS: run the loader with ARGS; expect
# exit STATUS and each PATTERN (grep -E) in its output; "!PATTERN" must
# not appear.
check() {
	local name=$1 want=$2 rc pat out=$tmp/out
	local pats=()

	shift 2
	while [ "$1" != -- ]; do
		pats+=("$1")
		shift
	done
	shift
	"$kx" "$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		result FAIL "$name" "exit $rc, expected $want: $(head -c 300 "$out")"
		return
	fi
	for pat in "${pats[@]}"; do
		if [ "${pat:0:1}" = '!' ]; then
			if grep -Eq -- "${pat:1}" "$out"; then
				result FAIL "$name" "unexpected '${pat:1}'"
				return
			fi
		elif ! grep -Eq -- "$pat" "$out"; then
			result FAIL "$name" "no '$pat' in: $(head -c 300 "$out")"
			return
		fi
	done
	result PASS "$name"
}

if [ ! -x "$kx" ]; then
	result FAIL build "no loader at $kx"
	echo "$npass passed, $nfail failed"
	exit 1
fi

fixture "$tmp/root"
sys=--sysroot=$tmp/root
img=$tmp/bzImage
mkbzimage "$img"
head -c 100000 /dev/zero >"$tmp/initrd"

# Planning (-c and --dry-run), on the fixture machine.
check plan-normal 0 'segment 0 kernel +mem \[0x1000000, 0x3000000\)' \
	'segment 2 initrd +mem \[0x1ffc7000, 0x1ffe0000\)' \
	'entry 0x1000200' 'avoid +\[0xd000000, 0x15000000\)' \
	'ACPI RSDP 0x1f77e014' 'would be loaded with KEXEC_X_IOC_LOAD_SEGMENTS' \
	-- "$sys" -c -l "$img" --initrd="$tmp/initrd" --dry-run
check plan-crash 0 'segment 0 kernel +mem \[0xd000000, 0xf000000\)' \
	'entry 0xd000200' \
	-- "$sys" -c -p "$img" --initrd="$tmp/initrd" --dry-run
check plan-file-dry-run 0 'would be loaded with KEXEC_X_IOC_LOAD_FILE' \
	-- "$sys" -l "$img" --dry-run
check reuse-cmdline 0 'command line: "root=/dev/vda crashkernel=128M console=ttyS0 x="a b" quiet"' \
	-- "$sys" -c -l "$img" --reuse-cmdline --append=quiet --dry-run
check reuse-cmdline-crash 0 'command line: "root=/dev/vda console=ttyS0 x="a b""' \
	-- "$sys" -c -p "$img" --reuse-cmdline --dry-run
check command-line-replaces 0 'command line: "a=1"' 'warning: --command-line replaces' \
	-- "$sys" -c -l "$img" --reuse-cmdline --command-line=a=1 --dry-run
check appends-join 0 'command line: "a b c"' \
	-- "$sys" -c -l "$img" --append="a b" --append=c --dry-run

# The same machine with 200 memory map entries, then with none.
mkdir -p "$tmp/root2"
cp -a "$tmp/root/." "$tmp/root2/"
root=$tmp/root2
for i in $(seq 7 199); do
	start=$((0x100000000 + i * 0x200000))
	type=Reserved
	[ $((i % 2)) = 0 ] && type="ACPI Tables"
	memmap "$i" "$(printf '0x%x' $start)" \
		"$(printf '0x%x' $((start + 0xfffff)))" "$type"
done
check e820-ext 0 'e820 +200 entries .*SETUP_E820_EXT' \
	-- --sysroot="$tmp/root2" -c -l "$img" --dry-run
rm -rf "$tmp/root2/sys/firmware/memmap"
check memmap-fallback 0 'taking the memory map from .*/proc/iomem' 'e820 +8 entries' \
	-- --sysroot="$tmp/root2" -c -l "$img" --dry-run

# Refusals of the planner, with the reason.
mkbzimage "$tmp/bad-flag" boot_flag=0
check bad-boot-flag 1 'no 0xAA55 boot flag' -- "$sys" -c -l "$tmp/bad-flag" --dry-run
mkbzimage "$tmp/old" version=0x020b
check old-protocol 1 'older than 2.12' -- "$sys" -c -l "$tmp/old" --dry-run
mkbzimage "$tmp/no64" xloadflags=0
check no-64bit-entry 1 'XLF_KERNEL_64' -- "$sys" -c -l "$tmp/no64" --dry-run
mkbzimage "$tmp/short" len=0x2000
check truncated 1 'truncated' -- "$sys" -c -l "$tmp/short" --dry-run
mkbzimage "$tmp/huge" init_size=0x30000000
check no-room-kernel 1 'no free RAM for the kernel' -- "$sys" -c -l "$tmp/huge" --dry-run
check cmdline-too-long 1 'command line too long' \
	-- "$sys" -c -l "$img" --command-line="$(head -c 5000 /dev/zero | tr '\0' a)" --dry-run
check cmdline-over-cmdline-size 1 "longer than the kernel's cmdline_size" \
	-- "$sys" -c -l "$img" --command-line="$(head -c 3000 /dev/zero | tr '\0' a)" --dry-run
check no-kernel-file 1 'No such file or directory' -- "$sys" -c -l "$tmp/none" --dry-run

# The device: every failure says what to check.
check no-device-load 1 'no-such-device: No such file or directory \(is kexec_x.ko loaded\?\)' \
	-- "$sys" -l "$img" --device="$nodev"
check no-device-exec 1 'is kexec_x.ko loaded' -- -e --device="$nodev"
check no-device-status 1 'is kexec_x.ko loaded' -- --status --device="$nodev"
check no-device-unload 1 'is kexec_x.ko loaded' -- -u -p --device="$nodev"
check not-a-device 1 'KEXEC_X_IOC_STATUS: Inappropriate ioctl .*another ABI' \
	-- --status --device=/dev/null

# Usage: a reason, the one-line usage, exit 2.
check usage-nothing 2 'nothing to do' '^usage: kexec_x' --
check usage-no-kernel 2 'which kernel' -- -l
check usage-two-actions 2 'choose one of' -- -e -u
check usage-load-opts 2 'load options go with -l or -p' -- -e --initrd=x
check usage-bad-option 2 'bad option --bogus' -- --bogus
check usage-two-kernels 2 'one kernel image' -- -l a b
check usage-p-exec 2 '-p goes with loading or -u' -- -e -p
check usage-c-s 2 '-c and -s exclude' -- -c -s -l "$img"
check help 0 '^usage: kexec_x' '--reuse-cmdline' 'also keeps EFI runtime' -- -h
check version 0 'ABI 1' -- --version

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
