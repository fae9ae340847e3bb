#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-kunit.sh: the KUnit suites through kunit.py, in QEMU, on x86_64 and
# arm64, with KASAN and UBSAN (kernel/kexec_x/.kunitconfig).  One result
# line per test case (kunit.sh).  KX_KUNIT_ARCHES narrows the arches.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck disable=SC2086 # a list of words on purpose
exec "$KX_HERE/kunit.sh" ${KX_KUNIT_ARCHES:-x86_64 arm64}
