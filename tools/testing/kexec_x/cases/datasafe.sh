# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# datasafe: a file written to ext4 on a virtio-blk disk right before
# `kexec_x -e`, with no sync of the test's own, must be intact when the new
# kernel mounts the disk (guest/cases/datasafe.sh).  The disk is a raw
# image made on the host with mkfs.ext4 (e2fsprogs) under .cache/; the
# guest gets virtio_blk, ext4 and their dependencies from the series'
# Debian modules, in an initrd derived from the series' one.  After QEMU
# exits the host reads the file back from the image with debugfs: it must
# have reached the disk, not only the guest's page cache.
#
# lockdown: with kexec_x loaded, the guest raises lockdown to integrity
# (as lockdown=integrity on the command line would, which also refuses
# the unsigned module), then raw and file loads must fail with EPERM,
# leave nothing loaded, and status and unload still work.

KX_E2E_CASES+=(datasafe lockdown)

# kx_derived_initrd SERIES NAME FUNC: an initrd made of the series' guest
# image plus what FUNC ROOT adds; its path goes to stdout.  The guest
# repacks it for the next stage from its manifest, so the additions go
# along.
kx_derived_initrd() {
	local series=$1 name=$2 fn=$3 base out
	base=$(kx_initramfs_dir "$series")/root
	out=$(kx_cache)/initramfs/$series-$name
	[ -d "$base" ] || kx_die "no $base: run mkinitramfs.sh $series"
	rm -rf "$out/root"
	mkdir -p "$out"
	cp -a "$base" "$out/root"
	"$fn" "$out/root" "$series"
	python3 "$KX_HERE/kxtool.py" cpio "$out/root" "$out/initrd.cpio" \
		dev/console:c:5:1:600 dev/null:c:1:3:666 dev/ttyS0:c:4:64:660 \
		dev/kmsg:c:1:11:644 >&2
	echo "$out/initrd.cpio"
}

# kx_add_modules ROOT SERIES MODULE...: Debian modules and their
# dependencies into ROOT/kx/extra/, in load order in ROOT/kx/extra/load.
kx_add_modules() {
	local root=$1 series=$2 m ko name
	shift 2
	mkdir -p "$root/kx/extra"
	: >"$root/kx/extra/load"
	for m in "$@"; do
		modprobe -d "$(kx_kernel_root "$series")" -S "$(kx_kver "$series")" \
			--show-depends "$m" | awk '$1 == "insmod" { print $2 }' ||
			kx_die "module $m not found for $series"
	done | awk '!seen[$0]++' | while read -r ko; do
		name=$(basename "$ko")
		case "$name" in
		*.ko.xz) xz -dc "$ko" >"$root/kx/extra/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$ko" >"$root/kx/extra/${name%.zst}"; name=${name%.zst} ;;
		*) cp "$ko" "$root/kx/extra/$name" ;;
		esac
		echo "$name" >>"$root/kx/extra/load"
	done
}

kx_datasafe_root() { kx_add_modules "$1" "$2" virtio_blk virtio_pci ext4; }

kx_case_datasafe() {
	local series=$1 disk initrd got want
	disk=$(kx_cache)/disks/datasafe-$series.img
	mkdir -p "$(dirname "$disk")"
	rm -f "$disk"
	if ! truncate -s 64M "$disk" || ! mkfs.ext4 -q -F -L kxdata "$disk"; then
		KX_REASON="mkfs.ext4 failed (e2fsprogs)"
		return 1
	fi
	initrd=$(kx_derived_initrd "$series" datasafe kx_datasafe_root) || {
		KX_REASON="cannot build the datasafe initrd"
		return 1
	}
	KX_INITRD=$initrd \
		KX_QEMU_EXTRA="${KX_QEMU_EXTRA:+$KX_QEMU_EXTRA }-drive file=$disk,if=virtio,format=raw" \
		kx_e2e_boot "$series" "$2" datasafe 2 || return 1
	# What the guest wrote must be on the image itself.
	want=$(grep -ao "KX: datasafe wrote sha=[0-9a-f]*" "$KX_LAST_LOG" | head -n1)
	want=${want##*sha=}
	got=$(debugfs -R "cat /kx-data" "$disk" 2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		KX_REASON="the image on the host holds sha $got, the guest wrote '$want'"
		return 1
	fi
}

kx_case_lockdown() { kx_e2e_boot "$1" "$2" lockdown 1; }
