#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh: build Documentation/admin-guide/kexec_x.rst with the
# kernel's own Sphinx configuration (Documentation/conf.py of Debian's
# linux-source-6.12, with its extensions and theme settings; nitpicky),
# warnings fatal.  A full `make htmldocs` takes far too long; this builds a
# two-page tree, an index whose toctree holds kexec_x as
# Documentation/admin-guide/index.rst does once mkpatches.sh's series is
# applied, and the page itself.  Output in .cache/docs/html.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sphinx-build >/dev/null || kx_die "sphinx-build missing (python3-sphinx, deps.sh)"
KSRC=$("$KX_HERE/linux-source.sh")
OUT=$(kx_cache)/docs
rm -rf "$OUT"
mkdir -p "$OUT/src"
cp "$KX_ROOT/Documentation/admin-guide/kexec_x.rst" "$OUT/src/"
cat >"$OUT/src/index.rst" <<'RST'
.. SPDX-License-Identifier: GPL-2.0

=====================
kexec_x documentation
=====================

.. toctree::
   :maxdepth: 1

   kexec_x
RST
# The kernel's conf.py, run from Documentation/ where its relative paths
# (sphinx/, ../Makefile) hold; the one change: no 'translations'
# extension, which links every page to translated ones this two-page tree
# does not have.
cat >"$OUT/src/conf.py" <<'PY'
# SPDX-License-Identifier: GPL-2.0
import os
import sys

_kdoc = os.environ['KX_KDOC']
_here = os.getcwd()
os.chdir(_kdoc)
sys.path.insert(0, os.path.join(_kdoc, 'sphinx'))
exec(compile(open('conf.py').read(), os.path.join(_kdoc, 'conf.py'), 'exec'))
os.chdir(_here)
extensions.remove('translations')
# Its paths relative to Documentation/, made absolute.
html_static_path = [os.path.join(_kdoc, p) for p in html_static_path]
templates_path = [os.path.join(_kdoc, p) for p in templates_path]
if globals().get('html_logo'):
    html_logo = os.path.join(_kdoc, html_logo)
PY
KX_KDOC=$KSRC/Documentation sphinx-build -W --keep-going -n -b html \
	-d "$OUT/doctrees" "$OUT/src" "$OUT/html"
[ -s "$OUT/html/kexec_x.html" ] || kx_die "no kexec_x.html"
echo "docs: $OUT/html/kexec_x.html"
