#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux-source.sh: print the path of Debian's Linux 6.12 source tree,
# .cache/linux-6.12, after fetching it the first time: `apt-get download
# linux-source-6.12` into .cache/ and unpack the tarball it carries.  The
# package is never installed.  kunit.sh builds in this tree, and
# static-checks.sh takes checkpatch.pl from it.
set -euo pipefail
# shellcheck source=tools/testing/kexec_x/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export KX_LOG_PREFIX=linux-source

cache=$(kx_cache)
ksrc=$cache/linux-6.12

find_deb() {
	find "$cache" -maxdepth 1 -name 'linux-source-6.12_*_all.deb' | sort | tail -n1
}

if [ ! -f "$ksrc/Makefile" ]; then
	kx_lock linux-source
fi
if [ ! -f "$ksrc/Makefile" ]; then
	deb=$(find_deb)
	if [ -z "$deb" ]; then
		kx_log "downloading linux-source-6.12"
		(cd "$cache" && apt-get download -q linux-source-6.12 >/dev/null)
		deb=$(find_deb)
		[ -n "$deb" ] || kx_die "apt-get download linux-source-6.12 failed"
	fi
	kx_log "unpacking $(basename "$deb")"
	tmp=$(mktemp -d "$cache/linux-6.12.tmp.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$tmp"
	mv "$tmp/linux-source-6.12" "$ksrc"
	rmdir "$tmp"
fi
echo "$ksrc"
