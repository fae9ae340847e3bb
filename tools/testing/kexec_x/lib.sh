# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the kexec_x test scripts.  Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# A SERIES names a Debian kernel line and an architecture: 6.1-amd64,
# 6.12-amd64, 6.1-arm64, 6.12-arm64 (every per-series fact lives in the
# kx_series_* functions below).
#
# Cache layout (all under .cache/ at the repo root, git-ignored):
#   debs/<kver>/, debs/userland-<arch>/   downloaded .deb files
#   kernels/<kver>/root/                  dpkg -x of image+headers+kbuild
#   kernels/<series>.kver                 which kver a series resolved to
#   userland/<arch>/root/                 kexec-tools, its libs, busybox
#   build/<series>/                       module and loader builds
#   initramfs/<series>/                   guest images
#   logs/<series>/                        serial logs, one per case

# Guard against double sourcing (cases and suites source it too).
[ -n "${KX_LIB_SOURCED:-}" ] && return 0
KX_LIB_SOURCED=1

KX_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KX_ROOT=$(cd "$KX_HERE/../../.." && pwd)
KX_SERIES_ALL=(6.1-amd64 6.12-amd64)
# The arm64 series join the default runs of suite-e2e.sh and
# static-checks.sh (the other suites stay on KX_SERIES_ALL).
KX_SERIES_ARM64=(6.1-arm64 6.12-arm64)

kx_root() { echo "$KX_ROOT"; }
kx_cache() { echo "${KX_CACHE:-$KX_ROOT/.cache}"; }

kx_log() { echo "${KX_LOG_PREFIX:-kx}: $*" >&2; }
kx_die() { echo "${KX_LOG_PREFIX:-kx}: error: $*" >&2; exit 1; }

# --- series table ----------------------------------------------------------

kx_series_check() {
	case "${1:-}" in
	6.1-amd64 | 6.12-amd64 | 6.1-arm64 | 6.12-arm64) ;;
	*) kx_die "unknown series '${1:-}' (known: ${KX_SERIES_ALL[*]})" ;;
	esac
}

# Debian architecture of the guest.
kx_series_arch() { echo "${1##*-}"; }

# The metapackage whose dependency names the current kernel of the series.
kx_series_meta() {
	case "$1" in
	6.1-*) echo "linux-image-$(kx_series_arch "$1")" ;;
	6.12-*) echo "linux-image-6.12-$(kx_series_arch "$1")" ;;
	*) kx_die "no metapackage for series $1" ;;
	esac
}

# qemu-system-<this>
kx_series_qemu() {
	case "$(kx_series_arch "$1")" in
	amd64) echo x86_64 ;;
	arm64) echo aarch64 ;;
	esac
}

# Multiarch triplet, where Debian puts the libraries.
kx_arch_triplet() {
	case "$1" in
	amd64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	*) kx_die "unknown arch $1" ;;
	esac
}

# Package spec for apt: foreign architectures need the :arch suffix.
kx_apt_pkg() {
	if [ "$2" = "$(dpkg --print-architecture)" ] || [ "$2" = all ]; then
		echo "$1"
	else
		echo "$1:$2"
	fi
}

# --- where things are ------------------------------------------------------

# uname -r of the series' kernel, as resolved by the last fetch.sh.
kx_kver() {
	local f
	f="$(kx_cache)/kernels/$1.kver"
	[ -s "$f" ] || kx_die "series $1 not fetched: run tools/testing/kexec_x/fetch.sh $1"
	cat "$f"
}

kx_kernel_root() { echo "$(kx_cache)/kernels/$(kx_kver "$1")/root"; }
kx_kdir() { echo "$(kx_kernel_root "$1")/usr/src/linux-headers-$(kx_kver "$1")"; }
kx_vmlinuz() { echo "$(kx_kernel_root "$1")/boot/vmlinuz-$(kx_kver "$1")"; }
kx_modules_dir() { echo "$(kx_kernel_root "$1")/lib/modules/$(kx_kver "$1")"; }
kx_userland_root() { echo "$(kx_cache)/userland/$1/root"; }
kx_build_dir() { echo "$(kx_cache)/build/$1"; }
kx_initramfs_dir() { echo "$(kx_cache)/initramfs/$1"; }
kx_log_dir() { echo "$(kx_cache)/logs/$1"; }

# kx_initramfs_nodes SERIES: the static device nodes of the series' test
# images, as kxtool.py cpio takes them.  The arm64 console on arm64 only:
# the guest repacks the image from /dev, a devtmpfs, which has no ttyAMA0
# on x86 ("cannot repack the initrd").
kx_initramfs_nodes() {
	echo dev/console:c:5:1:600 dev/null:c:1:3:666 dev/ttyS0:c:4:64:660 dev/kmsg:c:1:11:644
	[ "$(kx_series_arch "$1")" != arm64 ] || echo dev/ttyAMA0:c:204:64:660
}

# kx_initramfs_variant SERIES NAME: a copy of the series' test image tree
# (mkinitramfs.sh) to change; prints its directory.  kx_initramfs_pack
# SERIES NAME then writes it as NAME.cpio next to initrd.cpio, prints that
# path and removes the copy.
kx_initramfs_variant() {
	local root
	root=$(kx_initramfs_dir "$1")/$2-root
	rm -rf "$root"
	cp -a "$(kx_initramfs_dir "$1")/root" "$root"
	echo "$root"
}

kx_initramfs_pack() {
	local dir
	dir=$(kx_initramfs_dir "$1")
	# shellcheck disable=SC2046 # one node per word
	python3 "$KX_HERE/kxtool.py" cpio "$dir/$2-root" "$dir/$2.cpio" \
		$(kx_initramfs_nodes "$1") >&2
	rm -rf "$dir/$2-root"
	echo "$dir/$2.cpio"
}

# kx_lock NAME [FD]: serialise cache writers (two developers, or a suite
# started twice).  FD (default 9) holds the lock until the calling process
# exits; saying so when someone else holds it explains the wait.
kx_lock() {
	local fd=${2:-9} f
	f="$(kx_cache)/.lock-${1:-cache}"
	mkdir -p "$(kx_cache)"
	eval "exec $fd>\"\$f\""
	flock -n "$fd" && return 0
	kx_log "waiting for another run holding $f"
	flock "$fd"
}

# --- timing ----------------------------------------------------------------

kx_now() { echo "$EPOCHREALTIME"; }
# kx_elapsed START [END]: seconds with one decimal.
kx_elapsed() {
	awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'
}

# kx_log_timing LOG: one line of timings from a timestamped serial log:
# cold boot (QEMU spawn -> stage 1 /init), then per kexec the exec marker ->
# new 'Linux version' banner and -> new /init, and the guest's load times.
kx_log_timing() {
	awk '
	function stage(s) { sub(/.*stage=/, "", s); sub(/[^0-9].*/, "", s); return s + 0 }
	/ ### kx-qemu spawn/ { spawn = $1 }
	/\] Linux version / { nb++; banner[nb] = $1 }
	/KX: init stage=/ { n = stage($0); if (!(n in init)) init[n] = $1; if (n > max) max = n }
	/KX: exec stage=/ { exec_[stage($0)] = $1 }
	/KX: ran stage=.* (kexec|\/kx\/kexec_x) .*-l / {
		t = $0; sub(/.*secs=/, "", t); sub(/:.*/, "", t); loads = loads (loads ? "," : "") t
	}
	/KX: check stage=.* cpus-lost=[1-9]/ { lost = $0; sub(/.*cpus-lost=/, "", lost); sub(/ .*/, "", lost) }
	END {
		if (1 in init && spawn) out = sprintf("boot->/init %.1f s", init[1] - spawn)
		for (s = 1; s < max + 0; s++) {
			if (!(s in exec_) || !((s + 1) in init)) continue
			b = ""
			for (i = 1; i <= nb; i++) if (banner[i] > exec_[s]) { b = banner[i]; break }
			out = out sprintf("; %d->%d exec->banner %s exec->/init %.1f s", s, s + 1,
				b ? sprintf("%.1f s", b - exec_[s]) : "?", init[s + 1] - exec_[s])
		}
		if (loads) out = out "; load " loads " s"
		if (lost) out = out "; " lost " CPU(s) did not stop at panic (named by kexec_x, not in the dump)"
		print out ? out : "no timing markers"
	}' "$1"
}

# --- booting a test guest and checking its markers ------------------------

KX_OOPS_RE='Oops|BUG:|WARNING:|Kernel panic|general protection'

# kx_e2e_check LOG RUN STAGES QEMU_RC: set KX_REASON and return 1 unless the
# log shows stages 1..STAGES, each after the first passing the guest's
# checks, and the last one finishing, with no oops on the console (a case
# that provokes one on purpose sets KX_OOPS_ALLOW to a regex of the lines
# to let through).
kx_e2e_check() {
	local log=$1 run=$2 stages=$3 rc=$4 s line oops
	oops=$(grep -E "$KX_OOPS_RE" "$log" | grep -vE "${KX_OOPS_ALLOW:-^\$}" | head -n1 |
		cut -d' ' -f2- | cut -c1-200 || true)
	line=$(grep -m1 "KX: FAIL stage=[0-9]* run=$run: " "$log" || true)
	if [ -n "$line" ]; then
		KX_REASON="stage ${line#*KX: FAIL stage=}"
		KX_REASON=${KX_REASON/ run=$run:/:}
		[ -n "$oops" ] && KX_REASON="$KX_REASON; console: $oops"
		return 1
	fi
	if [ -n "$oops" ]; then
		KX_REASON="kernel oops/BUG/WARNING on the console: $oops"
		return 1
	fi
	for ((s = 1; s <= stages; s++)); do
		if ! grep -q "KX: init stage=$s run=$run " "$log"; then
			if [ "$rc" = 124 ]; then
				KX_REASON="timeout waiting for stage $s"
			else
				KX_REASON="QEMU exited (status $rc) before stage $s"
			fi
			return 1
		fi
		if [ "$s" -gt 1 ] && ! grep -q "KX: check stage=$s run=$run ok" "$log"; then
			KX_REASON="stage $s reached /init but reported no check result"
			return 1
		fi
	done
	if [ "$(grep -c "KX: init stage=[0-9]* run=$run " "$log")" -ne "$stages" ]; then
		KX_REASON="expected $stages boots, saw $(grep -c "KX: init stage=[0-9]* run=$run " "$log")"
		return 1
	fi
	if ! grep -q "KX: done stage=$stages run=$run" "$log"; then
		if [ "$rc" = 124 ]; then
			KX_REASON="timeout in stage $stages"
		else
			KX_REASON="stage $stages did not finish (QEMU status $rc)"
		fi
		return 1
	fi
	return 0
}

# kx_e2e_boot SERIES LABEL CASE STAGES [KERNEL-ARGS]: boot the guest on
# kx.case=CASE and expect STAGES boots (the cold one included).  KERNEL-ARGS
# go on the first kernel's command line (crashkernel=..., say); the guest
# hands every non-kx.* argument on to the next stage.  The serial log goes to
# .cache/logs/SERIES/LABEL.log, named in KX_LAST_LOG; on failure KX_REASON
# says why.
#
# A watchdog stops the guest early instead of letting a broken kexec burn
# the whole timeout: when a stage boots a second time (the new kernel got
# the old command line) or when the console stayed silent for KX_STALL
# seconds (default 60; a booting kernel prints every second or so).
kx_e2e_boot() {
	local series=$1 label=$2 case=$3 stages=$4 extra=${5:-} run log rc=0 tool=kexec_x pid
	local stall=${KX_STALL:-60} why='' dup
	run=$(printf '%04x%04x' "$RANDOM" "$RANDOM")
	log=$(kx_log_dir "$series")/$label.log
	# shellcheck disable=SC2034 # read by the caller, like KX_REASON
	KX_LAST_LOG=$log
	[ -n "${KX_STANDIN:-}" ] && tool=kexec-tools
	mkdir -p "$(dirname "$log")"
	: >"$log"
	# Own process group, so the watchdog can stop timeout, QEMU and the
	# timestamper at once.
	setsid "$KX_HERE/qemu.sh" --log "$log" "$series" \
		"${extra:+$extra }kx.case=$case kx.run=$run kx.tool=$tool" &
	pid=$!
	# The guest is in its own session: Ctrl-C must reach it through us.
	trap 'kill -TERM -- "-$pid" 2>/dev/null; exit 130' INT TERM
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		dup=$(grep -o "KX: init stage=[0-9]* run=$run " "$log" | sort | uniq -d | head -n1 || true)
		if [ -n "$dup" ]; then
			dup=${dup#KX: init stage=}
			why="stage ${dup%% *} booted twice (the new kernel got the old command line?)"
		elif [ $((EPOCHSECONDS - $(stat -c %Y "$log"))) -gt "$stall" ]; then
			# A booting kernel prints all the time; silence means a hang.
			why=$(grep "KX: " "$log" | tail -n1 | sed 's/.*KX: //' | cut -c1-120 || true)
			why="no output for $stall s${why:+ after: $why}"
		fi
		if [ -n "$why" ]; then
			kill -TERM -- "-$pid" 2>/dev/null || true
			break
		fi
	done
	wait "$pid" || rc=$?
	trap - INT TERM
	if [ -n "$why" ]; then
		echo "$EPOCHREALTIME ### kx-watchdog: $why" >>"$log"
		KX_REASON=$why
		# A failure line or an oops explains more than the watchdog.
		kx_e2e_check "$log" "$run" "$stages" "$rc" || true
		case "$KX_REASON" in stage*:* | kernel*) ;; *) KX_REASON=$why ;; esac
		return 1
	fi
	kx_e2e_check "$log" "$run" "$stages" "$rc"
}
