#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkpatches.sh [-o OUTDIR] [--git KERNEL_GIT] [--base REV]
#
# Write kexec_x as a `git format-patch` series against a Linux 6.12 git
# tree, ready for `git am` (or git send-email):
#
#   0000-cover-letter.patch
#   0001  the uapi header, include/uapi/linux/kexec_x.h
#   0002  the x86_64 code, arch/x86/kexec_x/ (built from kernel/kexec_x)
#   0003  the arm64 code, arch/arm64/kexec_x/ (idem; not selectable yet)
#   0004  the core, kernel/kexec_x/, its Kconfig under the kexec menu
#         (kernel/Kconfig.kexec) and its line in kernel/Makefile: from here
#         on CONFIG_KEXEC_X builds
#   0005  Documentation/admin-guide/kexec_x.rst and its index entry
#   0006  the MAINTAINERS entry
#
# Each patch builds on its own: the arch code is only compiled once patch
# 4 hooks kernel/kexec_x in.  The files are this project's working tree
# (git ls-files when it is a git checkout).  The commits are made with git
# plumbing in KERNEL_GIT (default .cache/linux-6.12-git, created from
# Debian's linux-source-6.12 when missing) without touching its work tree,
# on no branch: only the patch files remain.  OUTDIR defaults to
# .cache/patches.  BASE defaults to the tag kx-base (the unpacked Debian
# source, as committed when the repository was created).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=mkpatches

OUT=$(kx_cache)/patches
KGIT=$(kx_cache)/linux-6.12-git
BASE=kx-base
while [ $# -gt 0 ]; do
	case "$1" in
	-o) OUT=$2; shift 2 ;;
	--git) KGIT=$2; shift 2 ;;
	--base) BASE=$2; shift 2 ;;
	-h | --help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) kx_die "unknown argument '$1' (see --help)" ;;
	esac
done

kg() { git -C "$KGIT" "$@"; }

# The base repository: Debian's linux-source-6.12, pristine (not the
# overlaid .cache/linux-6.12: overlay.sh appends hooks and adds symlinks),
# committed once and tagged kx-base.
make_base_repo() {
	local deb tmp
	kx_lock linux-6.12-git
	[ -e "$KGIT/.git/refs/tags/kx-base" ] && return 0
	"$KX_HERE/linux-source.sh" >/dev/null
	deb=$(find "$(kx_cache)" -maxdepth 1 -name 'linux-source-6.12_*_all.deb' | sort | tail -n1)
	[ -n "$deb" ] || kx_die "no linux-source-6.12 .deb in $(kx_cache)"
	kx_log "creating $KGIT from $(basename "$deb") (once)"
	rm -rf "$KGIT" "$KGIT.tmp"
	tmp=$KGIT.tmp
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b debian-source
	# No auto gc: repacking the kernel takes minutes, and it would inherit
	# our lock.
	git -C "$tmp" config gc.auto 0
	git -C "$tmp" add -A -f .
	GIT_AUTHOR_DATE="2026-01-01 00:00:00 +0000" GIT_COMMITTER_DATE="2026-01-01 00:00:00 +0000" git -C "$tmp" \
		-c user.name=kexec_x -c user.email=kexec_x@localhost \
		commit -q -m "Linux $(make -s -C "$tmp" kernelversion) ($(basename "$deb"))"
	git -C "$tmp" tag kx-base
	mv "$tmp" "$KGIT"
}

[ "$KGIT" = "$(kx_cache)/linux-6.12-git" ] && make_base_repo
kg rev-parse -q --verify "$BASE^{commit}" >/dev/null || kx_die "$KGIT has no $BASE"

# Project files, from the working tree.
project_files() {
	if git -C "$KX_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		env -u GIT_INDEX_FILE git -C "$KX_ROOT" ls-files -- "$@"
	else
		(cd "$KX_ROOT" && find "$@" -type f ! -name '*.o' ! -name '*.ko' \
			! -name '*.mod*' ! -name '.*.cmd' ! -name '*.order' | sort)
	fi
}

# Commit plumbing on a private index: nothing is checked out.
IDX=$(mktemp)
trap 'rm -f "$IDX"' EXIT
export GIT_INDEX_FILE=$IDX
kg read-tree "$BASE"
TIP=$(kg rev-parse "$BASE^{commit}")
AUTHOR=$(git -C "$KX_ROOT" log -1 --format='%an <%ae>' 2>/dev/null || true)
AUTHOR=${AUTHOR:-kexec_x developers <kexec_x@localhost>}
export GIT_AUTHOR_NAME=${AUTHOR% <*} GIT_AUTHOR_EMAIL=${AUTHOR##*<}
GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE="2026-01-01 00:00:00 +0000" GIT_COMMITTER_DATE="2026-01-01 00:00:00 +0000"

# add_files PATH...: the project's files under PATH into the index.
add_files() {
	local f mode n=0
	while read -r f; do
		mode=100644
		[ -x "$KX_ROOT/$f" ] && mode=100755
		kg update-index --add --cacheinfo "$mode,$(kg hash-object -w "$KX_ROOT/$f"),$f"
		n=$((n + 1))
	done < <(project_files "$@")
	[ "$n" -gt 0 ] || kx_die "no project files under $*"
}

# edit PATH PYTHON-EXPR: replace a kernel file in the index by
# PYTHON-EXPR applied to its text (bound to s).
edit() {
	local path=$1 expr=$2 blob
	blob=$(kg cat-file blob ":$path" |
		python3 -c "import sys; s = sys.stdin.read(); sys.stdout.write($expr)" |
		kg hash-object -w --stdin)
	kg update-index --cacheinfo "100644,$blob,$path"
}

# commit SUBJECT BODY: commit the index on top of TIP.
commit() {
	local tree msg
	tree=$(kg write-tree)
	msg=$(printf '%s\n\n%s\n\nSigned-off-by: %s\n' "$1" "$2" "$AUTHOR")
	TIP=$(kg commit-tree "$tree" -p "$TIP" -m "$msg")
}

add_files include/uapi/linux/kexec_x.h
commit "kexec_x: add the userspace ABI" \
"kexec_x is kexec as a loadable module: /dev/kexec_x takes ioctls to load
an image from raw segments or from a kernel file, unload it, boot it and
report what is loaded.  Every structure uses fixed-width fields only and
every error is documented in the header.

Nothing builds this header yet; the module comes with the next patches."

add_files arch/x86/kexec_x
commit "x86/kexec_x: add the x86_64 machine code" \
"The relocation stub and its identity page tables, the bzImage loader and
boot_params, the crash memory map and the shutdown sequence.

kexec_x.ko is one module whose objects span kernel/kexec_x and this
directory; kernel/kexec_x/Makefile lists them by path, so nothing is
built from here until the core is added."

add_files arch/arm64/kexec_x
commit "arm64/kexec_x: add the arm64 machine code" \
"The arm64 relocation, identity map and Image loader.  Like the x86_64
part, it is built from kernel/kexec_x/Makefile; KEXEC_X is not selectable
on arm64 yet."

add_files kernel/kexec_x
# Under the kexec menu, before its endmenu.
edit kernel/Kconfig.kexec \
	's[:s.rindex("endmenu")] + "source \"kernel/kexec_x/Kconfig\"\n\n" + s[s.rindex("endmenu"):]'
# shellcheck disable=SC2016 # $(...) is for make, in a python string
edit kernel/Makefile \
	's.replace("obj-$(CONFIG_KEXEC_ELF) += kexec_elf.o\n", "obj-$(CONFIG_KEXEC_ELF) += kexec_elf.o\nobj-y += kexec_x/\n", 1)'
commit "kexec_x: add the core and hook it into the kexec menu" \
"The device and its ioctls, the segment checks, the image pages and the
indirection list, the crash kernel support, the shutdown and the
run-time lookups of unexported internals, with their KUnit suites.

CONFIG_KEXEC_X (tristate, modules only) appears in the 'Kexec and crash
features' menu; CONFIG_KEXEC_X_KUNIT_TEST builds the tests."

add_files Documentation/admin-guide/kexec_x.rst
edit Documentation/admin-guide/index.rst \
	's.replace("   kdump/index\n", "   kdump/index\n   kexec_x\n", 1)'
commit "Documentation: admin-guide: add kexec_x" \
"Usage, the ioctl ABI and its errors, crash kernels, /sys/kernel/kexec_x,
running kexec-tools on top of kexec_x, and how it differs from the
in-kernel kexec."

edit MAINTAINERS \
	"s.replace('KEYS-ENCRYPTED\n', '''KEXEC_X (KEXEC AS A LOADABLE MODULE)
M:	$AUTHOR
L:	kexec@lists.infradead.org
S:	Maintained
F:	Documentation/admin-guide/kexec_x.rst
F:	arch/arm64/kexec_x/
F:	arch/x86/kexec_x/
F:	include/uapi/linux/kexec_x.h
F:	kernel/kexec_x/

KEYS-ENCRYPTED\n''', 1)"
commit "MAINTAINERS: add kexec_x" "Who looks after kexec_x."

# Every edit must have landed: a replace() that found nothing is a no-op.
for f in kernel/Kconfig.kexec kernel/Makefile Documentation/admin-guide/index.rst MAINTAINERS; do
	[ -n "$(kg diff --name-only "$BASE" "$TIP" -- "$f")" ] ||
		kx_die "the hook in $f did not apply: has the base changed?"
done

rm -rf "$OUT"
mkdir -p "$OUT"
kg format-patch -q --cover-letter -o "$OUT" "$BASE..$TIP" >/dev/null
# The cover letter's placeholders.
sed -i -e 's/\*\*\* SUBJECT HERE \*\*\*/kexec_x: kexec as a loadable module/' \
	-e '/\*\*\* BLURB HERE \*\*\*/{
r /dev/stdin
d
}' "$OUT/0000-cover-letter.patch" <<'EOF'
kexec_x loads a new kernel and boots it without the firmware, like
kexec_load() and kexec_file_load(), from a module: for kernels where kexec
is missing, locked away by policy, or too slow and too quiet when it fails.
It leaves the in-kernel kexec and its state alone; both work side by side.

The userspace loader (samples/kexec_x in the out-of-tree project), an
LD_PRELOAD library that runs kexec-tools on top of it, and the QEMU tests
are not part of this series.
EOF
ls "$OUT"
