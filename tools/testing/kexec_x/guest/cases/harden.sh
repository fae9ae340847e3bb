# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, run_id, mem, mem0, cpus, tok: set by /init
#
# Cases of the hardening suite (suite-harden.sh).  Stage 1 runs on the
# project's test kernel: Linux 6.12 built without kexec (no KEXEC,
# KEXEC_FILE, CRASH_DUMP), with KASAN, UBSAN, kmemleak, lockdep and fault
# injection, its own kexec_x.ko in /kx/kexec_x.ko.  Stage 2, where there is
# one, is Debian's 6.12 kernel.
#   hfile, hraw   kexec_x -l / -c -l, then -e into Debian's kernel
#   hcrash        a crash kernel in a reserve_mem= region (no crashkernel=
#                 in this kernel), sysrq-c; stage 2 reads the first
#                 kernel's log from /proc/vmcore
#   hfuzz         kx-fuzz, then a kmemleak scan
#   hstress       kx-stress: cycles, parallel loaders and readers, rmmod
#                 while in use, fault injection; memory back to its level

# The checkers' verdict on kexec_x: kmemleak entries that name the module.
h_kmemleak() {
	h_any && [ ! -e /sys/kernel/debug/kmemleak ] && return 0
	[ -w /sys/kernel/debug/kmemleak ] || fail "no /sys/kernel/debug/kmemleak (CONFIG_DEBUG_KMEMLEAK)"
	# Objects must be 5 s old before kmemleak reports them.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/leaks
	all=$(grep -c '^unreferenced object' /tmp/leaks)
	ours=$(awk '/^unreferenced object/ { n++ } /kexec_x|\[kx_|kx_/ { hit[n] = 1 } END { c = 0; for (i in hit) c++; print c }' /tmp/leaks)
	kmsg "kmemleak stage=$stage: $all unreferenced objects, $ours from kexec_x"
	if [ "$ours" != 0 ]; then
		head -n 40 /tmp/leaks | while read -r l; do kmsg "kmemleak: $l"; done
		fail "kmemleak: $ours leaked objects from kexec_x"
	fi
}

h_debugfs() {
	mountpoint -q /sys/kernel/debug 2>/dev/null ||
		mount -t debugfs debugfs /sys/kernel/debug || fail "mount debugfs"
	# Only explicit scans: an automatic one would report boot-time objects
	# at an unpredictable moment.
	echo scan=off >/sys/kernel/debug/kmemleak 2>/dev/null
	echo clear >/sys/kernel/debug/kmemleak 2>/dev/null
}

# The Debian kernel after a kexec from the test kernel: token, initrd
# marker and CPUs as usual; MemTotal at least that of the test kernel,
# whose KASAN shadow takes an eighth of RAM.
gcheck_harden() {
	want=$run_id.$stage
	[ "$tok" = "$want" ] || fail "wrong cmdline: kx.tok='$tok', want '$want'"
	marker=$(cat /kx/marker 2>/dev/null)
	[ "$marker" = "$want" ] || fail "wrong initrd: marker '$marker', want '$want'"
	[ "$cpus" = 0-1 ] || fail "cpus online '$cpus', want 0-1"
	[ "$mem" -ge "$mem0" ] || fail "MemTotal $mem kB below the test kernel's $mem0 kB"
	case "$(uname -r)" in *deb*) ;; *) fail "stage 2 runs $(uname -r), not Debian's kernel" ;; esac
	kmsg "check stage=$stage run=$run_id ok cpus=$cpus mem=$mem mem0=$mem0 kernel=$(uname -r)"
}
gcheck_hfile() { gcheck_harden; }
gcheck_hraw() { gcheck_harden; }

# Another first kernel (suite-harden.sh KX_HARDEN_KDIR): harness checks.
h_any() { grep -qw kx.anykernel /proc/cmdline; }

h_notkexec() {
	h_any && return 0
	# The point of the test kernel: no kexec of its own.
	[ -e /sys/kernel/kexec_loaded ] && fail "the test kernel has kexec (/sys/kernel/kexec_loaded)"
	# Without KEXEC the syscall entry points remain as stubs that return
	# -ENOSYS (COND_SYSCALL): look for the core instead.
	grep -qE ' (kernel_kexec|do_kexec_load|kimage_free)$' /proc/kallsyms &&
		fail "the test kernel has the kexec core (kernel_kexec)"
	kmsg "test kernel $(uname -r): no kexec_load, no kexec_file_load"
}

gcase_hfile() {
	[ "$stage" = 1 ] || return 0
	h_notkexec
	setup
	load file
	run /kx/kexec_x --status
	exec_next file
}

gcase_hraw() {
	[ "$stage" = 1 ] || return 0
	h_notkexec
	setup
	load raw
	exec_next raw
}

gcase_hcrash() {
	[ "$stage" = 1 ] || return 0
	h_notkexec
	insmod /kx/kexec_x.ko crash_reserve=kexec_x || fail "insmod kexec_x.ko crash_reserve=kexec_x"
	i=0
	while [ ! -c /dev/kexec_x ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "/dev/kexec_x did not appear"
		sleep 0.1
	done
	/kx/kexec_x --status >/tmp/st 2>&1
	while read -r l; do kmsg "status: $l"; done </tmp/st
	# RAM outside the 256 MiB reservation, for vmcore-check.
	total=0
	while read -r line; do
		case "$line" in
		[0-9a-f]*": System RAM")
			r=${line%% :*}
			total=$((total + 0x${r#*-} - 0x${r%-*} + 1)) ;;
		esac
	done </proc/iomem
	ram=$((total - 256 * 1024 * 1024))
	# One note per CPU where the kernel has crash_notes (CONFIG_CRASH_DUMP),
	# else the panicking CPU's only, which kexec_x writes.
	ncpus=1
	grep -q ' crash_notes$' /proc/kallsyms && ncpus=$(grep -c '^processor' /proc/cpuinfo)
	lo=$(awk '$3 == "sysrq_handle_crash" { print $1; exit }' /proc/kallsyms)
	hi=$(awk -v a="$lo" '$1 > a { print $1 }' /proc/kallsyms | sort | head -n1)
	cmdline=
	for w in $(next_cmdline); do
		case "$w" in reserve_mem=* | kunit.*) ;; *) cmdline="$cmdline$w " ;; esac
	done
	cmdline="${cmdline}nr_cpus=1 irqpoll reset_devices kx.ip=$lo-$hi kx.ram=$ram kx.osr=$(uname -r) kx.cpus=$ncpus"
	initrd=$(next_initrd)
	run /kx/kexec_x -p -l /kx/bzImage --initrd="$initrd" --append="$cmdline"
	run /kx/kexec_x --status
	kmsg "exec stage=$stage run=$run_id: sysrq-c"
	echo c >/proc/sysrq-trigger
	fail "sysrq-c returned"
}

# The crash kernel (Debian's): the dump must let vmcore-dmesg read the
# test kernel's log, through the VMCOREINFO kexec_x wrote.
gcheck_hcrash() {
	want=$run_id.$stage
	[ "$tok" = "$want" ] || fail "wrong cmdline: kx.tok='$tok', want '$want'"
	[ -r /proc/vmcore ] || fail "no /proc/vmcore in the crash kernel"
	ip= ram= osr= ncpus=1
	for w in $(cat /proc/cmdline); do
		case "$w" in
		kx.cpus=*) ncpus=${w#kx.cpus=} ;;
		kx.ip=*) ip=${w#kx.ip=} ;;
		kx.ram=*) ram=${w#kx.ram=} ;;
		kx.osr=*) osr=${w#kx.osr=} ;;
		esac
	done
	/kx/vmcore-check --cpus "$ncpus" --osrelease "$osr" --ip-range "$ip" \
		--ram-bytes "$ram" >/tmp/vc 2>&1
	vc=$?
	while read -r l; do kmsg "$l"; done </tmp/vc
	[ "$vc" = 0 ] || fail "vmcore-check: $(grep FAIL /tmp/vc | tr '\n' ' ')"
	vmcore-dmesg /proc/vmcore >/tmp/dmesg 2>&1 || fail "vmcore-dmesg failed: $(tail -n 2 /tmp/dmesg)"
	if ! grep -q "sysrq triggered crash" /tmp/dmesg; then
		kmsg "vmcore-dmesg: $(grep -c . /tmp/dmesg) lines, the last ones:"
		tail -n 8 /tmp/dmesg | while read -r l; do kmsg "vmcore-dmesg: $l"; done
		fail "vmcore-dmesg: the panic message is not in the first kernel's log"
	fi
	grep -q "Linux version $osr" /tmp/dmesg ||
		fail "vmcore-dmesg: no 'Linux version $osr' banner in the log"
	kmsg "check stage=$stage run=$run_id ok vmcore=$(stat -c %s /proc/vmcore) dmesg=$(grep -c . /tmp/dmesg) lines"
}

gcase_hfuzz() {
	[ "$stage" = 1 ] || return 0
	h_debugfs
	setup
	seed=1 calls=10000 procs=4
	for w in $(cat /proc/cmdline); do
		case "$w" in
		kx.seed=*) seed=${w#kx.seed=} ;;
		kx.calls=*) calls=${w#kx.calls=} ;;
		kx.procs=*) procs=${w#kx.procs=} ;;
		esac
	done
	t0=$(uptime_s)
	/kx/kx-fuzz --seed "$seed" --calls "$calls" --procs "$procs" --kernel /kx/bzImage >/tmp/fuzz 2>&1
	rc=$?
	while read -r l; do kmsg "$l"; done </tmp/fuzz
	[ "$rc" = 0 ] || fail "kx-fuzz: exit $rc: $(grep -m3 FINDING /tmp/fuzz | tr '\n' ' ')"
	kmsg "fuzz stage=$stage run=$run_id calls=$(sed -n 's/^kx-fuzz: \([0-9]*\) calls.*/\1/p' /tmp/fuzz) secs=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')"
	/kx/kexec_x --status >/dev/null || fail "status after the fuzzer"
	h_kmemleak
	rmmod kexec_x || fail "rmmod kexec_x after the fuzzer"
	kx_insmod
	rmmod kexec_x || fail "rmmod kexec_x after reloading it"
	kmsg "check stage=$stage run=$run_id ok fuzz"
}

# MemAvailable and Slab in kB, after dropping caches, once MemAvailable
# holds still: freed images come back a little later (seen on Debian's
# 6.12: 100 MiB missing right after a file load was unloaded, back a few
# seconds on).
h_mem() {
	sync
	prev=0
	i=0
	while [ $i -lt 10 ]; do
		echo 3 >/proc/sys/vm/drop_caches
		cur=$(awk '/^MemAvailable:/ { a = $2 } /^Slab:/ { s = $2 } END { print a, s }' /proc/meminfo)
		d=$((${cur%% *} - prev))
		[ "${d#-}" -le 1024 ] && break
		prev=${cur%% *}
		i=$((i + 1))
		sleep 1
	done
	echo "$cur"
}

h_faults_arm() {
	for d in failslab fail_page_alloc; do
		f=/sys/kernel/debug/$d
		[ -d "$f" ] || fail "no $f (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC)"
		echo "$1" >"$f/probability"
		echo 1 >"$f/interval"
		echo -1 >"$f/times"
		echo 0 >"$f/space"
		echo 0 >"$f/verbose"
		echo Y >"$f/task-filter"
		echo N >"$f/ignore-gfp-wait"
	done
	echo N >/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	echo 0 >/sys/kernel/debug/fail_page_alloc/min-order
}

gcase_hstress() {
	[ "$stage" = 1 ] || return 0
	h_debugfs
	setup
	cycles=1000
	for w in $(cat /proc/cmdline); do
		case "$w" in kx.cycles=*) cycles=${w#kx.cycles=} ;; esac
	done
	# One round first, so that what the module allocates once is there.
	/kx/kx-stress cycles 1 >/dev/null || fail "warm-up cycle"
	/kx/kx-stress cycles 200 /kx/bzImage >/dev/null || fail "warm-up cycle with a file load"
	set -- $(h_mem)
	avail0=$1 slab0=$2
	kmsg "stress stage=$stage: before: MemAvailable $avail0 kB, Slab $slab0 kB"

	t0=$(uptime_s)
	/kx/kx-stress cycles "$cycles" /kx/bzImage >/tmp/out 2>&1 || fail "$(tail -n1 /tmp/out)"
	set -- $(h_mem)
	slabc=$2
	kmsg "$(tail -n1 /tmp/out) secs=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') mem=$1 $2"

	t0=$(uptime_s)
	/kx/kx-stress parallel 8 8 40 /kx/bzImage >/tmp/out 2>&1 || fail "$(tail -n1 /tmp/out)"
	kmsg "$(tail -n1 /tmp/out) secs=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') mem=$(h_mem)"

	# rmmod while another process has the device open and is loading.
	/kx/kx-stress hold 8 /kx/bzImage >/tmp/hold 2>&1 &
	holder=$!
	i=0
	until grep -q "device open" /tmp/hold; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "kx-stress hold did not start"
		sleep 0.1
	done
	sleep 1
	rmmod kexec_x 2>/tmp/rmmod && fail "rmmod succeeded while /dev/kexec_x was open"
	kmsg "rmmod while in use refused: $(cat /tmp/rmmod)"
	wait "$holder" || fail "kx-stress hold: $(tail -n1 /tmp/hold)"
	kmsg "$(tail -n1 /tmp/hold) mem=$(h_mem)"
	rmmod kexec_x || fail "rmmod after the holder closed the device"
	kmsg "rmmod: mem=$(h_mem)"
	kx_insmod

	# Allocation failures during loads: a clean errno, nothing half-loaded.
	if h_any && [ ! -d /sys/kernel/debug/failslab ]; then
		kmsg "stress stage=$stage: no fault injection in this kernel, skipped"
	else
		h_faults_arm 20
		/kx/kx-stress faults 60 /kx/bzImage >/tmp/out 2>&1
		rc=$?
		h_faults_arm 0
		[ "$rc" = 0 ] || fail "$(tail -n1 /tmp/out)"
		kmsg "$(tail -n1 /tmp/out)"
	fi

	rmmod kexec_x || fail "rmmod after the stress"
	h_kmemleak
	set -- $(h_mem)
	avail1=$1 slab1=$2
	kmsg "stress stage=$stage: after: MemAvailable $avail1 kB, Slab $slab1 kB"
	# Tolerance: 4 MiB of MemAvailable.  Slab is compared from the end of
	# the cycles on, not from the start: KASAN keeps freed slab objects in
	# its quarantine (up to 1/32 of RAM), which the first thousand cycles
	# fill by some 20 MiB and which then stays level; a leak keeps
	# growing through the later phases (and kmemleak, above, names it).
	[ $((avail0 - avail1)) -le 4096 ] ||
		fail "MemAvailable did not come back: $avail0 kB before, $avail1 kB after"
	[ $((slab1 - slabc)) -le 2048 ] ||
		fail "Slab grew after the cycles: $slabc kB after them, $slab1 kB at the end (before them: $slab0 kB)"
	kmsg "check stage=$stage run=$run_id ok stress avail0=$avail0 avail1=$avail1 slab0=$slab0 slabc=$slabc slab1=$slab1"
}
