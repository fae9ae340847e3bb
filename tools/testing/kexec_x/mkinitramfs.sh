#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh SERIES
#
# Build the guest initramfs of a series: .cache/initramfs/SERIES/initrd.cpio
# (uncompressed newc: the guest repacks and concatenates it cheaply, and
# nothing has to be decompressed under TCG).  It holds
#   /init, /kx/cases/*.sh      the test driver (guest/)
#   /bin/busybox, /bin/sh      busybox-static; applet links made at boot
#   /sbin/kexec + libraries    Debian kexec-tools and its ELF closure
#   /kx/bzImage                the series' own Debian kernel, to kexec into
#   /kx/kexec_x.ko, /kx/kexec_x  module and loader from build.sh, if built
#   /kx/libkexec_x_preload.so  kexec-tools on kexec_x (LD_PRELOAD), if built
#   /kx/modules/, modules.load Debian modules named in KX_GUEST_MODULES
#                              (with dependencies; .ko.xz decompressed)
#   /dev/{console,null,ttyS0,ttyAMA0,kmsg}  static nodes: the image works without
#                              devtmpfs, and in the next kernel too
#   /kx/manifest               every path above: the guest repacks exactly
#                              these for the next kernel
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=mkinitramfs

[ $# -eq 1 ] || kx_die "usage: mkinitramfs.sh SERIES"
SERIES=$1
kx_series_check "$SERIES"
ARCH=$(kx_series_arch "$SERIES")
TRIPLET=$(kx_arch_triplet "$ARCH")
UROOT=$(kx_userland_root "$ARCH")
OUT=$(kx_initramfs_dir "$SERIES")
ST=$OUT/root
BUILD=$(kx_build_dir "$SERIES")
# Objects of a foreign architecture need that architecture's strip.
STRIP=strip
[ "$ARCH" = "$(dpkg --print-architecture)" ] || STRIP=$TRIPLET-strip
[ -x "$UROOT/sbin/kexec" ] || kx_die "no userland in $UROOT: run fetch.sh $SERIES"

rm -rf "$ST"
mkdir -p "$ST"/{bin,sbin,dev,proc,sys,tmp,kx/cases,etc,root,"lib/$TRIPLET"}

# find_lib SONAME: path of a library inside the userland root, relative.
find_lib() {
	local d
	for d in "lib/$TRIPLET" "usr/lib/$TRIPLET" lib usr/lib; do
		[ -e "$UROOT/$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# add_elf FILE: copy the shared libraries FILE needs (recursively) and its
# program interpreter.  Static binaries need nothing.
declare -A SEEN=()
add_elf() {
	local f=$1 lib rel interp
	interp=$(readelf -lW "$f" | sed -n 's/.*interpreter: \(.*\)\]$/\1/p')
	if [ -n "$interp" ] && [ ! -e "$ST$interp" ]; then
		mkdir -p "$(dirname "$ST$interp")"
		cp -L "$UROOT$interp" "$ST$interp"
	fi
	for lib in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		[ -n "${SEEN[$lib]:-}" ] && continue
		SEEN[$lib]=1
		rel=$(find_lib "$lib") || kx_die "$lib (needed by $f) not in $UROOT"
		mkdir -p "$ST/$(dirname "$rel")"
		cp -L "$UROOT/$rel" "$ST/$rel"
		add_elf "$ST/$rel"
	done
}

cp "$UROOT/bin/busybox" "$ST/bin/busybox"
ln -s busybox "$ST/bin/sh"
cp "$UROOT/sbin/kexec" "$ST/sbin/kexec"
cp "$UROOT/sbin/vmcore-dmesg" "$ST/sbin/vmcore-dmesg"
mkdir -p "$ST/usr/bin"
cp "$UROOT/usr/bin/makedumpfile" "$ST/usr/bin/makedumpfile"
add_elf "$ST/sbin/kexec"
add_elf "$ST/sbin/vmcore-dmesg"
add_elf "$ST/usr/bin/makedumpfile"
cp "$(kx_vmlinuz "$SERIES")" "$ST/kx/bzImage"

HERE=$(dirname "${BASH_SOURCE[0]}")
install -m 0755 "$HERE/guest/init" "$ST/init"
cp "$HERE"/guest/cases/*.sh "$ST/kx/cases/"

# The module without its debug info: the guest copies the image at every
# hop, and DWARF would double its size.
if [ -f "$BUILD/kexec_x.ko" ]; then
	"$STRIP" --strip-debug -o "$ST/kx/kexec_x.ko" "$BUILD/kexec_x.ko"
fi
if [ -f "$BUILD/kexec_x" ]; then
	install -m 0755 "$BUILD/kexec_x" "$ST/kx/kexec_x"
	add_elf "$ST/kx/kexec_x"
fi
# kexec-tools on top of kexec_x: the guest's glibc is Debian 12's, as the
# build host's, so the library needs nothing the image lacks.
if [ -f "$BUILD/libkexec_x_preload.so" ]; then
	install -m 0644 "$BUILD/libkexec_x_preload.so" "$ST/kx/libkexec_x_preload.so"
	add_elf "$ST/kx/libkexec_x_preload.so"
fi
# The systemd-shutdown hook, where systemd looks for it (shutdown case).
install -D -m 0755 "$HERE/../../../samples/kexec_x/systemd/kexec_x.shutdown" \
	"$ST/usr/lib/systemd/system-shutdown/kexec_x.shutdown"
# Test tools (static) and the oops module, when build.sh made them.
for t in vmcore-check refusals dl-hog; do
	[ -f "$BUILD/$t" ] && install -m 0755 "$BUILD/$t" "$ST/kx/$t"
done
[ -f "$BUILD/kx_oops.ko" ] && "$STRIP" --strip-debug -o "$ST/kx/kx_oops.ko" "$BUILD/kx_oops.ko"

# efivarfs for the efi case, which loads it itself: on a BIOS boot 6.1's
# refuses to load, so it cannot go into modules.load.
ko=$(find "$(kx_modules_dir "$SERIES")" -name 'efivarfs.ko*' | head -n1)
case "$ko" in
*.ko.xz) xz -dc "$ko" >"$ST/kx/efivarfs.ko" ;;
*.ko.zst) zstd -qdc "$ko" >"$ST/kx/efivarfs.ko" ;;
*.ko) cp "$ko" "$ST/kx/efivarfs.ko" ;;
esac

# pstore's RAM back end for the rehearse case, which loads it itself with
# the address of a memmap= reservation: reed_solomon, then ramoops.
mkdir -p "$ST/kx/pstore"
for m in reed_solomon ramoops; do
	ko=$(find "$(kx_modules_dir "$SERIES")" -name "$m.ko*" | head -n1)
	case "$ko" in
	*.ko.xz) xz -dc "$ko" >"$ST/kx/pstore/$m.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$ST/kx/pstore/$m.ko" ;;
	*.ko) cp "$ko" "$ST/kx/pstore/$m.ko" ;;
	esac
done

# Debian modules, dependencies first (modprobe prints the insmod order).
if [ -n "${KX_GUEST_MODULES:-}" ]; then
	MODDIR=$(kx_modules_dir "$SERIES")
	mkdir -p "$ST/kx/modules"
	: >"$ST/kx/modules.load"
	for m in $KX_GUEST_MODULES; do
		# "builtin NAME" for what this kernel has built in: nothing to add.
		modprobe -d "$(kx_kernel_root "$SERIES")" -S "$(kx_kver "$SERIES")" \
			--show-depends "$m" | awk '$1 == "insmod" { print $2 }' ||
			kx_die "module $m not found in $MODDIR"
	done | awk '!seen[$0]++' | while read -r ko; do
		name=$(basename "$ko")
		case "$name" in
		*.ko.xz) xz -dc "$ko" >"$ST/kx/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$ko" >"$ST/kx/modules/${name%.zst}"; name=${name%.zst} ;;
		*) cp "$ko" "$ST/kx/modules/$name" ;;
		esac
		echo "$name" >>"$ST/kx/modules.load"
	done
fi

{
	echo "series=$SERIES"
	echo "kver=$(kx_kver "$SERIES")"
	echo "built=$(date -u +%FT%TZ)"
} >"$ST/kx/info"

read -ra NODES <<<"$(kx_initramfs_nodes "$SERIES" | tr '\n' ' ')"
python3 "$HERE/kxtool.py" cpio "$ST" "$OUT/initrd.cpio" "${NODES[@]}"
echo "$OUT/initrd.cpio"
