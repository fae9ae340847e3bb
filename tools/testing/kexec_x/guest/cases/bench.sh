# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# shellcheck disable=SC2154 # stage, tool, run_id: set by /init
#
# The benchmark's guest side (host side: tools/testing/kexec_x/bench.sh,
# which parses the "KX: bench ..." lines and times them on the host).
#
# bench: one boot chain.  Stage s uses the s-th entry (cyclic) of
#   kxb.rot=kx,kt[,kxp]   kx = kexec_x -l, kxp = kexec_x -l --plain,
#                         kt = the in-kernel kexec (kexec -s -l)
#   kxb.n=N               stages in all (N - 1 kexecs)
#   kxb.sizes=16,64,256   initrd sizes (MiB) of the load measurements
#   kxb.cycle=1           each round of stages (one per tool) measures
#                         one size, the next round the next one
#   kxb.reps=N            loads per size and mode in each stage
# Each stage but the last measures its tool's loads (file and raw, each
# initrd size, loaded then unloaded), loads the next stage (file mode) and
# execs it; kexec_x stages report their STATUS (pages to copy, in place)
# and, when the loader has --rehearse, the relocation copy's timing; on
# arm64, which has no rehearsal, kexec_x stages exec with --stub-debug and
# the host times the stub's "copy" and "copied" markers.  On arm64 the
# in-kernel kexec is kexec_load (kt_file, /init): no kexec_file_load there.
# Stage 1 and the last run memcpy-bench.
# bench_panic: kxb.who=kx|kt loads a crash kernel (kexec_x -p -l or
# kexec -p -s) and panics (sysrq-c); stage 2 is the crash kernel.
# The words are not kx.*, so next_cmdline hands them on.

bench_arg() {
	# shellcheck disable=SC2013 # words, on purpose
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1="*) echo "${w#"$1"=}"; return ;; esac
	done
	echo "$2"
}

# bench_pick WHO: tool and loader flags of WHO.
bench_pick() {
	who=$1 plain=
	case "$who" in
	kx) tool=kexec_x ;;
	kxp) tool=kexec_x plain=--plain ;;
	kt) tool=kexec-tools ;;
	*) fail "bench: unknown tool '$who'" ;;
	esac
}

# bench_load MODE INITRD CMDLINE: one load by the current tool, between
# two markers the host times.
# shellcheck disable=SC2086 # kt_file: empty or -s
bench_load() {
	case "$1:$tool" in
	file:kexec_x) set -- /kx/kexec_x -l $plain /kx/bzImage --initrd="$2" --append="$3" ;;
	raw:kexec_x) set -- /kx/kexec_x -c -l /kx/bzImage --initrd="$2" --append="$3" ;;
	file:*) set -- kexec $kt_file -l /kx/bzImage --initrd="$2" --append="$3" ;;
	raw:*) set -- kexec -c -l /kx/bzImage --initrd="$2" --append="$3" ;;
	esac
	kmsg "bench load-begin stage=$stage who=$who mode=$mode size=$size"
	"$@" >/tmp/bench.out 2>&1 || fail "bench: '$*' failed: $(tail -n 3 /tmp/bench.out | tr '\n' ' ')"
	kmsg "bench load-end stage=$stage who=$who mode=$mode size=$size"
}

bench_unload() {
	if [ "$tool" = kexec_x ]; then
		/kx/kexec_x -u || fail "bench: kexec_x -u failed"
	else
		kexec -u || fail "bench: kexec -u failed"
	fi
}

bench_memcpy() {
	[ -x /kx/memcpy-bench ] || fail "bench: no /kx/memcpy-bench (run bench.sh, not the e2e suite)"
	kmsg "bench stage=$stage $(/kx/memcpy-bench 64 8)"
}

gcase_bench() {
	n=$(bench_arg kxb.n 3)
	rot=$(bench_arg kxb.rot kx,kt)
	sizes=$(bench_arg kxb.sizes 16,64,256)
	# shellcheck disable=SC2086 # split on purpose
	set -- $(echo "$rot" | tr , ' ')
	i=$(((stage - 1) % $# + 1))
	eval "bench_pick \${$i}"
	round=$(((stage - 1) / $# + 1))
	[ "$stage" = 1 ] || [ "$stage" = "$n" ] && bench_memcpy
	[ "$stage" -lt "$n" ] || return 0
	setup
	args=$(next_cmdline)
	if [ "$(bench_arg kxb.cycle 0)" = 1 ]; then
		# shellcheck disable=SC2086 # split on purpose
		set -- $(echo "$sizes" | tr , ' ')
		eval "sizes=\${$(((round - 1) % $# + 1))}"
	fi
	reps=$(bench_arg kxb.reps 1)
	for size in $(echo "$sizes" | tr , ' '); do
		kmsg "bench initrd stage=$stage size=$size"
		head -c "$((size << 20))" /dev/zero >/tmp/bench.img
		for mode in file raw; do
			rep=0
			while [ "$rep" -lt "$reps" ]; do
				bench_load "$mode" /tmp/bench.img "$args"
				bench_unload
				rep=$((rep + 1))
			done
		done
		rm -f /tmp/bench.img
	done
	initrd=$(next_initrd)
	mode=file size=0
	bench_load file "$initrd" "$args"
	if [ "$tool" = kexec_x ]; then
		# The relocation copy's bandwidth, from the stub's own TSC
		# stamps (KEXEC_X_IOC_REHEARSE), when the loader
		# has --rehearse: its last line is key=value pairs.
		r=$(/kx/kexec_x --rehearse 2>/dev/null | tail -n 1)
		case "$r" in
		kexec_x-rehearse:*) kmsg "bench copy stage=$stage who=$who ${r#kexec_x-rehearse: }" ;;
		esac
		/kx/kexec_x --status | sed -n 's/.*at exec \([0-9]*\) pages to copy, \([0-9]*\) already in place.*/\1 \2/p' |
			head -n 1 | while read -r c d; do
				kmsg "bench pages stage=$stage who=$who copy=$c direct=$d"
			done
	fi
	# arm64: the stub's markers time its copy (no rehearsal there).
	xflags=
	[ "$(uname -m)" = aarch64 ] && xflags=--stub-debug
	# shellcheck disable=SC2086 # empty or one option
	exec_next file $xflags
}

gcase_bench_panic() {
	[ "$stage" = 1 ] || return 0
	bench_pick "$(bench_arg kxb.who kx)"
	setup
	cmdline=
	for w in $(next_cmdline); do
		case "$w" in crashkernel=*) ;; *) cmdline="$cmdline$w " ;; esac
	done
	cmdline="${cmdline}nr_cpus=1 irqpoll reset_devices"
	initrd=$(next_initrd)
	if [ "$tool" = kexec_x ]; then
		run /kx/kexec_x -p -l $plain /kx/bzImage --initrd="$initrd" --append="$cmdline"
	else
		# shellcheck disable=SC2086 # kt_file: empty or -s
		run kexec -p $kt_file /kx/bzImage --initrd="$initrd" --append="$cmdline"
	fi
	echo 1 >/proc/sys/kernel/sysrq
	kmsg "bench panic stage=$stage run=$run_id who=$who"
	echo c >/proc/sysrq-trigger
	fail "sysrq-c returned"
}

# The crash kernel: it booted from the image and initrd we gave it.
gcheck_bench_panic() {
	[ "$tok" = "$run_id.$stage" ] || fail "crash kernel: kx.tok='$tok', want '$run_id.$stage'"
	kmsg "check stage=$stage run=$run_id ok crash kernel"
}
