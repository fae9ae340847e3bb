#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-static.sh: the static gates (static-checks.sh): build, W=1, sparse
# and objtool against Debian's 6.1 and 6.12 headers and in the 6.12 tree,
# checkpatch --strict on every source file.  One result line per gate.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec "$KX_HERE/static-checks.sh"
