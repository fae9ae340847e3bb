#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# overlay.sh <linux source dir>
#
# Hook kexec_x into a kernel source tree as an in-tree subsystem, so that
# kunit.py (and sparse, W=1 builds) can build it with the kernel's own
# Kbuild.  The project's directories are symlinked into the tree, so an
# edit in the project is picked up by the next incremental build:
#
#   kernel/kexec_x                 -> <project>/kernel/kexec_x
#   arch/x86/kexec_x               -> <project>/arch/x86/kexec_x
#   arch/arm64/kexec_x             -> <project>/arch/arm64/kexec_x
#   include/uapi/linux/kexec_x.h   -> <project>/include/uapi/linux/kexec_x.h
#
# and one hook line is appended to each of
#
#   kernel/Kconfig.kexec   source "kernel/kexec_x/Kconfig"
#   kernel/Makefile        obj-y += kexec_x/
#   arch/x86/Kbuild        obj-y += kexec_x/
#   arch/arm64/Kbuild      obj-y += kexec_x/
#
# Running it again changes nothing.  Tested against Linux 6.12.
set -euo pipefail

die() { echo "overlay: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 <linux source dir>"
ksrc=$(cd "$1" && pwd) || die "no such directory: $1"
proj=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

for f in kernel/Kconfig.kexec kernel/Makefile arch/x86/Kbuild arch/arm64/Kbuild; do
	[ -f "$ksrc/$f" ] || die "$ksrc has no $f: not a Linux 6.x source tree?"
done

# link <path inside both trees>: make $ksrc/<path> a symlink to $proj/<path>.
link() {
	local dst="$ksrc/$1" src="$proj/$1"

	[ -e "$src" ] || die "missing $src"
	if [ -L "$dst" ]; then
		[ "$(readlink "$dst")" = "$src" ] && return 0
		rm -f "$dst"
	elif [ -e "$dst" ]; then
		die "$dst exists and is not a symlink; refusing to replace it"
	fi
	ln -s "$src" "$dst"
}

# hook <file> <line>: append <line> to <file> unless it is already there.
hook() {
	local file="$ksrc/$1" line="$2"

	grep -qxF -- "$line" "$file" || printf '%s\n' "$line" >>"$file"
}

link kernel/kexec_x
link arch/x86/kexec_x
link arch/arm64/kexec_x
link include/uapi/linux/kexec_x.h

hook kernel/Kconfig.kexec 'source "kernel/kexec_x/Kconfig"'
hook kernel/Makefile 'obj-y += kexec_x/'
hook arch/x86/Kbuild 'obj-y += kexec_x/'
hook arch/arm64/Kbuild 'obj-y += kexec_x/'
