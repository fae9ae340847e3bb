# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id: set by /init
#
# datasafe (host side: cases/datasafe.sh): stage 1 loads the next kernel,
# writes 4 MiB of random bytes to /kx-data on the ext4 disk (/dev/vda) and
# runs `kexec_x -e` at once: no sync, no unmount, of the test's own.
# Stage 2 mounts the disk and compares the file with the checksum stage 1
# passed on the command line.
#
# lockdown: raise lockdown to integrity at run time (kexec_x.ko is
# unsigned: booting with lockdown=integrity would refuse to load it), then
# every load must be refused with EPERM.

ds_modules() {
	# A CPU-specific one (crc32c-intel without SSE4.2 under TCG) may
	# refuse: its generic twin is there too, and mount tells the rest.
	while read -r m; do
		insmod "/kx/extra/$m" 2>/dev/null || kmsg "insmod $m failed (stage $stage)"
	done </kx/extra/load
	i=0
	while [ ! -b /dev/vda ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "no /dev/vda after loading virtio_blk"
		sleep 0.1
	done
}

gcase_datasafe() {
	[ "$stage" = 1 ] || return 0
	setup
	ds_modules
	mkdir -p /mnt
	mount -t ext4 /dev/vda /mnt || fail "mount /dev/vda"
	dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null || fail "dd"
	sum=$(sha256sum </tmp/data | cut -d' ' -f1)
	# The next stage's command line carries the checksum.
	initrd=$(next_initrd)
	run /kx/kexec_x -l /kx/bzImage --initrd="$initrd" --append="$(next_cmdline) kx.sha=$sum"
	cp /tmp/data /mnt/kx-data || fail "write /mnt/kx-data"
	kmsg "datasafe wrote sha=$sum"
	exec_next file
}

gcheck_datasafe() {
	want=$run_id.$stage
	[ "$tok" = "$want" ] || fail "wrong cmdline: kx.tok='$tok', want '$want'"
	sum=
	for w in $(cat /proc/cmdline); do
		case "$w" in kx.sha=*) sum=${w#kx.sha=} ;; esac
	done
	[ -n "$sum" ] || fail "no kx.sha= on the command line"
	ds_modules
	mkdir -p /mnt
	mount -t ext4 -o ro /dev/vda /mnt || fail "mount /dev/vda in the new kernel"
	[ -f /mnt/kx-data ] || fail "/kx-data is missing after the kexec"
	got=$(sha256sum </mnt/kx-data | cut -d' ' -f1)
	size=$(stat -c %s /mnt/kx-data)
	[ "$got" = "$sum" ] || fail "/kx-data changed across the kexec: $size bytes, sha $got, want $sum"
	umount /mnt
	kmsg "check stage=$stage run=$run_id ok datasafe bytes=$size sha=$got"
}

gcase_lockdown() {
	[ "$stage" = 1 ] || return 0
	setup
	[ -d /sys/kernel/security ] || fail "no /sys/kernel/security"
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	[ -w /sys/kernel/security/lockdown ] || fail "no lockdown LSM (/sys/kernel/security/lockdown)"
	echo integrity >/sys/kernel/security/lockdown || fail "cannot raise lockdown"
	grep -q '\[integrity\]' /sys/kernel/security/lockdown ||
		fail "lockdown is '$(cat /sys/kernel/security/lockdown)', want integrity"
	kmsg "lockdown stage=$stage: $(cat /sys/kernel/security/lockdown)"
	refuse_all_loads "Operation not permitted" "under lockdown=integrity"
	/kx/kexec_x -u || fail "unload under lockdown"
	dmesg | grep -q "locked down" || fail "no 'locked down' message from kexec_x"
	kmsg "check stage=$stage run=$run_id ok lockdown"
}
