# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id, mem0: set by /init
#
# Crash (kdump) cases.  The first kernel boots with crashkernel=256M.
#   crash_sysrq   kexec_x -p -l, then echo c > /proc/sysrq-trigger
#   crash_oops    kexec_x -p -l, panic_on_oops=1, then a NULL dereference
#                 in the kx_oops test module
#   crash_raw     kexec_x -p -c -l (the loader builds the ELF core header
#                 and device tree; arm64), then sysrq-c
#   crash_unload  kexec_x -p -l, kexec_x -u -p, then sysrq-c: the kernel
#                 must panic as usual, no crash kernel may start
#   crash_refuse  the crash load refusals that need a reservation: the
#                 in-kernel kdump holds a crash image (EEXIST), the image
#                 does not fit (EADDRNOTAVAIL)
# Stage 2 of crash_sysrq/crash_oops/crash_raw is the crash kernel: gcheck_crash
# checks /proc/vmcore with vmcore-check, vmcore-dmesg and makedumpfile.
# With kx.tool=kexec-tools (run-tests.sh --standin) the in-kernel kdump
# (kexec -p -s) takes kexec_x's place, for comparison; it records
# __crash_kexec() as the panicking CPU's ip, so that check is skipped.

# ip_range SYMBOL: "LO-HI" of a text symbol, from /proc/kallsyms.
ip_range() {
	lo=$(awk -v s="$1" '$3 == s { print $1; exit }' /proc/kallsyms)
	[ -n "$lo" ] || fail "symbol $1 not in /proc/kallsyms"
	hi=$(awk -v a="$lo" '$1 > a { print $1 }' /proc/kallsyms | sort | head -n1)
	echo "$lo-$hi"
}

# System RAM outside the crash reservation, in bytes (/proc/iomem).
ram_outside_crash() {
	total=0
	while read -r line; do
		r=${line%% :*}
		r=${r## }
		s=$((0x${r%-*}))
		e=$((0x${r#*-}))
		case "$line" in
		[0-9a-f]*": System RAM") total=$((total + e - s + 1)) ;;
		*": Crash kernel") total=$((total - (e - s + 1))) ;;
		esac
	done </proc/iomem
	echo "$total"
}

# crash_load IP-RANGE DMESG-WORD: load the crash kernel (stage 2) through
# kexec_x -p, telling it what to expect.  The crash kernel's command line
# drops crashkernel= and adds what kdump-tools adds.  crash_mode=raw:
# kexec_x -p -c -l (kexec -p -c for kexec-tools).
crash_load() {
	cmdline=
	for w in $(next_cmdline); do
		case "$w" in crashkernel=*) ;; *) cmdline="$cmdline$w " ;; esac
	done
	cmdline="${cmdline}nr_cpus=1 irqpoll reset_devices kx.ip=$1 kx.ram=$(ram_outside_crash) kx.osr=$(uname -r) kx.log=$2"
	initrd=$(next_initrd)
	if [ "$tool" != kexec_x ] && [ "${crash_mode:-}" = raw ]; then
		run kexec -p -c /kx/bzImage --initrd="$initrd" --append="$cmdline"
		return
	elif [ "$tool" != kexec_x ]; then
		run kexec -p $kt_file /kx/bzImage --initrd="$initrd" --append="$cmdline"
		return
	fi
	if [ "${crash_mode:-}" = raw ]; then
		run /kx/kexec_x -p -c -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
	else
		run /kx/kexec_x -p -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
	fi
	run /kx/kexec_x --status
	[ "$(cat /sys/module/kernel/parameters/crash_kexec_post_notifiers)" = Y ] ||
		fail "crash_kexec_post_notifiers not set while a crash image is loaded"
}

# crash_unload_image: the unload of what crash_load loaded.
crash_unload_image() {
	if [ "$tool" != kexec_x ]; then
		run kexec -p -u
		return
	fi
	run /kx/kexec_x -u -p
	/kx/kexec_x --status | grep -q "crash image: none" ||
		fail "crash image still loaded after -u -p: $(/kx/kexec_x --status | tr '\n' ' ')"
	[ "$(cat /sys/module/kernel/parameters/crash_kexec_post_notifiers)" = N ] ||
		fail "crash_kexec_post_notifiers not restored after unload"
}

gcase_crash_sysrq() {
	[ "$stage" = 1 ] || return 0
	setup
	crash_load "$(ip_range sysrq_handle_crash)" sysrq_triggered_crash
	kmsg "exec stage=$stage run=$run_id: sysrq-c"
	echo c >/proc/sysrq-trigger
	fail "sysrq-c returned"
}

gcase_crash_raw() {
	[ "$stage" = 1 ] || return 0
	setup
	crash_mode=raw
	crash_load "$(ip_range sysrq_handle_crash)" sysrq_triggered_crash
	kmsg "exec stage=$stage run=$run_id: sysrq-c"
	echo c >/proc/sysrq-trigger
	fail "sysrq-c returned"
}

gcase_crash_oops() {
	[ "$stage" = 1 ] || return 0
	setup
	insmod /kx/kx_oops.ko || fail "insmod kx_oops.ko"
	echo 1 >/proc/sys/kernel/panic_on_oops
	crash_load "$(ip_range kx_oops_crash)" dereferencing_NULL_on_purpose
	kmsg "exec stage=$stage run=$run_id: oops"
	echo 1 >/sys/module/kx_oops/parameters/trigger
	fail "the oops returned"
}

gcase_crash_unload() {
	[ "$stage" = 1 ] || return 0
	setup
	crash_load "0-0" none
	crash_unload_image
	# The host checks that this panic ends the run: no crash kernel.
	kmsg "done stage=$stage run=$run_id"
	echo c >/proc/sysrq-trigger
	fail "sysrq-c returned"
}

# expect_refusal ERRNO-TEXT CMD...: CMD must fail, saying ERRNO-TEXT, and
# leave no crash image loaded.
expect_refusal() {
	want=$1
	shift
	out=$("$@" 2>&1) && fail "'$*' succeeded, want: $want"
	echo "$out" | grep -q "$want" || fail "'$*': '$out', want: $want"
	/kx/kexec_x --status | grep -q "crash image: none" ||
		fail "a crash image is loaded after a refused load"
	kmsg "refused stage=$stage run=$run_id: $want: $*"
}

gcase_crash_refuse() {
	[ "$stage" = 1 ] || return 0
	[ "$tool" = kexec_x ] || fail "crash_refuse tests kexec_x only: no stand-in"
	setup
	# The in-kernel kdump already holds the reservation.
	run kexec -p /kx/bzImage --append="console=ttyS0 nr_cpus=1"
	expect_refusal "File exists" /kx/kexec_x -p -l /kx/bzImage
	run kexec -p -u
	# An image larger than the reservation.
	dd if=/dev/zero of=/tmp/big bs=1M count=300 2>/dev/null || fail "dd"
	expect_refusal "Cannot assign requested address" \
		/kx/kexec_x -p -l /kx/bzImage --initrd=/tmp/big
	rm -f /tmp/big
	# With both refused, a good crash load still works.
	crash_load "0-0" none
	run /kx/kexec_x -u -p
}

# The crash kernel: one CPU, the reservation's memory; check the dump.
gcheck_crash() {
	want=$run_id.$stage
	[ "$tok" = "$want" ] || fail "wrong cmdline: kx.tok='$tok', want '$want'"
	[ "$(cat /kx/marker 2>/dev/null)" = "$want" ] || fail "wrong initrd"
	[ -r /proc/vmcore ] || fail "no /proc/vmcore in the crash kernel"
	ip= ram= osr= logw=
	for w in $(cat /proc/cmdline); do
		case "$w" in
		kx.ip=*) ip=${w#kx.ip=} ;;
		kx.ram=*) ram=${w#kx.ram=} ;;
		kx.osr=*) osr=${w#kx.osr=} ;;
		kx.log=*) logw=$(echo "${w#kx.log=}" | tr _ ' ') ;;
		esac
	done
	[ "$tool" = kexec_x ] || ip=0-0
	# The first kernel's log first: a CPU that never answered the stop
	# request is missing from the dump, and kexec_x names it there
	# ("kexec_x: CPU n did not stop").  The dump must then hold exactly
	# the others, the panicking CPU's among them (--ip-range).  Seen
	# under TCG on a loaded host, with the in-kernel kdump's own wait
	# and kexec_x's two more seconds both run out.
	kmsg "vmcore-dmesg stage=$stage run=$run_id"
	vmcore-dmesg /proc/vmcore >/tmp/dmesg 2>&1
	vd=$?
	grep -E 'kexec_x: CPU [0-9]+ (did not stop|stopped late)' /tmp/dmesg |
		while read -r l; do kmsg "first kernel: $l"; done
	lost=$(grep -cE 'kexec_x: CPU [0-9]+ did not stop' /tmp/dmesg)
	[ "$lost" -le 1 ] || fail "$lost CPUs did not stop: $(grep -E 'kexec_x: CPU' /tmp/dmesg | tr '\n' ' ')"
	/kx/vmcore-check --cpus $((2 - lost)) --osrelease "$osr" \
		--ip-range "$ip" --ram-bytes "$ram" >/tmp/vc 2>&1
	vc=$?
	while read -r l; do kmsg "$l"; done </tmp/vc
	[ "$vc" = 0 ] || fail "vmcore-check: $(grep FAIL /tmp/vc | tr '\n' ' ')"
	[ "$vd" = 0 ] || fail "vmcore-dmesg failed: $(tail -n 2 /tmp/dmesg)"
	grep -q "$logw" /tmp/dmesg || fail "vmcore-dmesg: '$logw' not in the first kernel's log"
	kmsg "vmcore-dmesg ok: $(grep -c . /tmp/dmesg) lines; makedumpfile -d 31 stage=$stage run=$run_id"
	t0=$(uptime_s)
	bytes=$(makedumpfile -F -d 31 --message-level 7 /proc/vmcore 2>/tmp/mdf | wc -c)
	tr '\r' '\n' </tmp/mdf | grep -v '^$' | tail -n 6 | while read -r l; do kmsg "makedumpfile: $l"; done
	# Debian 12's makedumpfile (1.7.2) cannot read an arm64 kernel built
	# with 52-bit VA and 4K pages (Debian's 6.12: VMCOREINFO says VA_BITS
	# 52 on any CPU); vmcore-check and vmcore-dmesg above still read it.
	if [ "$bytes" -le 4096 ] && grep -q "VA Bits 52 not supported" /tmp/mdf; then
		kmsg "makedumpfile: skipped: this makedumpfile does not support 52-bit VA (LPA2)"
		bytes=unsupported-lpa2
	else
		[ "$bytes" -gt 4096 ] || fail "makedumpfile -d 31 wrote $bytes bytes: $(tail -n 3 /tmp/mdf)"
	fi
	kmsg "check stage=$stage run=$run_id ok cpus-lost=$lost vmcore=$(stat -c %s /proc/vmcore) makedumpfile=$bytes secs=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }') dmesg-has='$logw'"
}
gcheck_crash_sysrq() { gcheck_crash; }
gcheck_crash_oops() { gcheck_crash; }
gcheck_crash_raw() { gcheck_crash; }

# refusals: the refusal selftest, booted without crashkernel=; each KTAP
# line goes to the host, which makes one result of each.
gcase_refusals() {
	[ "$stage" = 1 ] || return 0
	setup
	/kx/refusals --kernel /kx/bzImage --no-crash-reservation >/tmp/ktap 2>&1
	while read -r l; do kmsg "ktap $l"; done </tmp/ktap
	rmmod kexec_x || fail "rmmod kexec_x after the selftest"
	kx_insmod
}
