#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh [ARCH...]
#
# Run kexec_x's KUnit suites with the kernel's kunit.py, in QEMU, for each
# ARCH (x86_64, arm64; default both):
#
#   1. linux-source.sh: apt-get download linux-source-6.12 into .cache/ and
#      unpack it to .cache/linux-6.12/, the first time (never installed);
#   2. hook the project into that tree (overlay.sh: symlinks, so the next
#      run rebuilds only what changed);
#   3. kunit.py run --kunitconfig=kernel/kexec_x, one build directory per
#      architecture under .cache/ (first build: minutes; then seconds).
#      The x86_64 build also takes testkernel.config: the same bzImage
#      is the kexec-less hardening test kernel (suite-harden.sh).
#
# KX_KUNIT_BUILD_ONLY=1: build (kunit.py build) and run nothing;
# suite-harden.sh uses it to get its test kernel.
#
# Each test case is reported as one line, "PASS: kunit <arch> <suite>.<case>"
# (a parameterised case as <suite>.<case>.<param>), or FAIL or SKIP, and
# appended to $KX_RESULTS when set.  A build or boot that produces no result
# is one FAIL line.  The last line is "kunit: N passed, N failed".  Exits
# non-zero if anything failed.
#
# Environment: KX_RESULTS (results file), KX_KUNIT_TIMEOUT (seconds for one
# kunit.py run, default 1200), KX_KUNIT_JOBS (make jobs, default nproc).
set -euo pipefail

# shellcheck source=tools/testing/kexec_x/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export KX_LOG_PREFIX=kunit

cache=$(kx_cache)
timeout=${KX_KUNIT_TIMEOUT:-1200}
jobs=${KX_KUNIT_JOBS:-$(nproc)}
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 arm64)

npass=0
nfail=0
nskip=0

# result STATUS NAME: one line to stdout and to $KX_RESULTS.
result() {
	local line="$1: kunit $2"

	echo "$line"
	if [ -n "${KX_RESULTS:-}" ]; then
		echo "$line" >>"$KX_RESULTS"
	fi
	case "$1" in
	PASS) npass=$((npass + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
}

# report ARCH JSON: one result line per test case from kunit.py --json.
report() {
	python3 - "$1" "$2" <<'EOF'
import json, re, sys

arch, path = sys.argv[1], sys.argv[2]
status = {"PASS": "PASS", "SKIP": "SKIP"}

def name(s):
    return re.sub(r"\s+", "_", s.strip())

def walk(group, prefix):
    for case in group.get("test_cases", []):
        print(status.get(case["status"], "FAIL"), prefix + name(case["name"]))
    for sub in group.get("sub_groups", []):
        walk(sub, prefix + name(sub["name"]) + ".")

with open(path) as f:
    root = json.load(f)
for suite in root.get("sub_groups", []):
    walk(suite, name(suite["name"]) + ".")
for case in root.get("test_cases", []):
    print(status.get(case["status"], "FAIL"), name(case["name"]))
EOF
}

# run_arch ARCH: build, boot and report one architecture.
run_arch() {
	local arch=$1 bdir=$cache/kunit-$1 log=$cache/kunit-$1.log
	local json=$cache/kunit-$1.json t0 st n=0 args=()

	case "$arch" in
	# The x86_64 build is also the hardening test kernel
	# (suite-harden.sh): testkernel.config adds modules, no kexec,
	# kmemleak, lockdep, fault injection and what the QEMU guest needs,
	# at little cost over the KUnit configuration alone (KASAN and UBSAN
	# dominate the build).  One build directory, built once, serves both.
	x86_64) args=(--kunitconfig="$KX_HERE/testkernel.config") ;;
	arm64) args=(--cross_compile=aarch64-linux-gnu-) ;;
	*) kx_die "unknown arch $arch (x86_64, arm64)" ;;
	esac

	if [ -n "${KX_KUNIT_BUILD_ONLY:-}" ]; then
		kx_log "$arch: kunit.py build (log: $log)"
		t0=$(kx_now)
		(cd "$ksrc" && ./tools/testing/kunit/kunit.py build --arch="$arch" \
			"${args[@]}" --kunitconfig=kernel/kexec_x \
			--build_dir="$bdir" --jobs="$jobs") >"$log" 2>&1 ||
			{ tail -n 20 "$log" >&2; kx_die "$arch: kunit.py build failed (see $log)"; }
		kx_log "$arch: built in $(kx_elapsed "$t0") s"
		return 0
	fi
	rm -f "$json"
	t0=$(kx_now)
	kx_log "$arch: kunit.py run (log: $log)"
	(cd "$ksrc" && ./tools/testing/kunit/kunit.py run --arch="$arch" \
		"${args[@]}" --kunitconfig=kernel/kexec_x \
		--build_dir="$bdir" --jobs="$jobs" --timeout="$timeout" \
		--json="$json") >"$log" 2>&1 || true
	kx_log "$arch: $(grep -m1 'Elapsed time' "$log" || echo "no result") (wall $(kx_elapsed "$t0") s)"

	if [ -s "$json" ]; then
		while read -r st name; do
			result "$st" "$arch $name"
			n=$((n + 1))
		done < <(report "$arch" "$json")
	fi
	if [ "$n" -eq 0 ]; then
		grep -E 'ERROR|error:|Error|Missing' "$log" | tail -n 20 >&2 || true
		result FAIL "$arch build-or-boot (see $log)"
	fi
}

mkdir -p "$cache"
ksrc=$("$KX_HERE/linux-source.sh")
kx_lock kunit
"$KX_HERE/overlay.sh" "$ksrc"

for arch in "${arches[@]}"; do
	run_arch "$arch"
done

[ -n "${KX_KUNIT_BUILD_ONLY:-}" ] && exit 0
echo "kunit: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
