#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch.sh SERIES...   (6.1-amd64, 6.12-amd64, 6.1-arm64, 6.12-arm64)
#
# Download the Debian kernel of each series (image, headers, -common headers,
# kbuild) and the guest userland (kexec-tools with its shared-library
# closure, busybox-static) with `apt-get download`, and unpack them with
# `dpkg -x` under .cache/.  Nothing is installed on the host: installing
# kexec-tools would arm kexec on reboot, a kernel package would repoint
# /vmlinuz.
#
# The kernel version is resolved from the series' metapackage whenever apt's
# lists changed since the last resolution, so a Debian point release is
# picked up; once unpacked, a run does no network access at all.  KX_OFFLINE=1 skips the resolution and uses what the last
# fetch resolved; KX_REFRESH=1 forces the resolution even if apt's lists look
# unchanged.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=fetch

CACHE=$(kx_cache)
APT_OPTS=(-q)
# apt drops to the _apt user to download, which cannot write to our cache.
[ "$(id -u)" -eq 0 ] && APT_OPTS+=(-o APT::Sandbox::User=root)
APT_UPDATED=

apt_update() {
	[ -n "$APT_UPDATED" ] && return 0
	APT_UPDATED=1
	kx_log "refreshing apt lists"
	if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
}

# deps_of PKG REGEX: the Depends/PreDepends of PKG whose name matches REGEX
# (a foreign-architecture package names some as virtual <pkg:arch>).
deps_of() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$1" 2>/dev/null |
		awk -v re="$2" '$1 ~ /^\|?(Pre)?Depends:$/ { gsub(/[<>]/, "", $2); sub(/:.*/, "", $2) }
			$1 ~ /^\|?(Pre)?Depends:$/ && $2 ~ re { print $2 }'
}

# download DIR PKG...: apt-get download into DIR, refreshing stale lists once
# (the mirror drops old versions when a point release lands).
download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get download "${APT_OPTS[@]}" "$@" >/dev/null) && return 0
	apt_update
	(cd "$dir" && apt-get download "${APT_OPTS[@]}" "$@" >/dev/null)
}

# Turn the absolute symlinks of an unpacked root into relative ones, so the
# tree works where it is (and keeps working if .cache/ moves).
relativize_links() {
	local root=$1 link target
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
	done < <(find "$root" -type l -lname '/*' -print0)
}

# Point the headers' Makefile at the unpacked -common tree; Debian has
# `include /usr/src/linux-headers-<abi>-common/Makefile`.  Rerun every time
# (cheap) so a moved cache heals itself.
fix_headers() {
	local root=$1 kver=$2 mk
	mk=$root/usr/src/linux-headers-$kver/Makefile
	[ -f "$mk" ] || kx_die "$mk missing"
	grep -q "^include $root/usr/src/" "$mk" && return 0
	sed -i -E "s|^include .*/(linux-headers-[^/]+-common/Makefile)\$|include $root/usr/src/\\1|" "$mk"
	grep -q "^include $root/usr/src/" "$mk" || kx_die "cannot rewrite the include in $mk"
}

# True if apt's package lists changed since FILE was written: only then can
# a resolution differ.  apt-cache takes ~1 s a call here (no pkgcache.bin),
# so this keeps a fully cached run well under 2 s.
lists_changed_since() {
	[ -e "$1" ] || return 0
	[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -newer "$1" -print -quit 2>/dev/null)" ]
}

# resolve SERIES: print the kver (uname -r) of the series' current kernel.
resolve() {
	local series=$1 meta img cached
	meta=$(kx_series_meta "$series")
	cached="$CACHE/kernels/$series.kver"
	if [ -n "${KX_OFFLINE:-}" ] || { [ -z "${KX_REFRESH:-}" ] && [ -s "$cached" ] && ! lists_changed_since "$cached"; }; then
		[ -s "$cached" ] || kx_die "KX_OFFLINE set but $series was never fetched"
		cat "$cached"
		return
	fi
	img=$(deps_of "$(kx_apt_pkg "$meta" "$(kx_series_arch "$series")")" '^linux-image-' | head -n1)
	if [ -z "$img" ]; then
		apt_update
		img=$(deps_of "$(kx_apt_pkg "$meta" "$(kx_series_arch "$series")")" '^linux-image-' | head -n1)
	fi
	if [ -z "$img" ]; then
		# No apt lists and no mirror: fall back on what we have.
		[ -s "$cached" ] || kx_die "cannot resolve $meta (apt lists missing?)"
		kx_log "cannot resolve $meta, using cached $(cat "$cached")"
		cat "$cached"
		return
	fi
	echo "${img#linux-image-}"
}

fetch_kernel() {
	local series=$1 kver arch dir root hdr common kbuild deb
	kver=$(resolve "$series")
	arch=$(kx_series_arch "$series")
	dir=$CACHE/kernels/$kver
	root=$dir/root
	if [ ! -e "$dir/.done" ]; then
		hdr=linux-headers-$kver
		common=$(deps_of "$(kx_apt_pkg "$hdr" "$arch")" '^linux-headers-.*-common$' | head -n1)
		kbuild=$(deps_of "$(kx_apt_pkg "$hdr" "$arch")" '^linux-kbuild-' | head -n1)
		if [ -z "$common" ] || [ -z "$kbuild" ]; then
			kx_die "cannot find the -common/kbuild packages of $hdr"
		fi
		kx_log "$series: downloading $kver ($common, $kbuild)"
		rm -rf "$CACHE/debs/$kver"
		# kbuild runs on the build host: host architecture (Multi-Arch: foreign).
		download "$CACHE/debs/$kver" \
			"$(kx_apt_pkg "linux-image-$kver" "$arch")" \
			"$(kx_apt_pkg "$hdr" "$arch")" "$common" "$kbuild"
		kx_log "$series: unpacking"
		rm -rf "$root" "$root.tmp"
		mkdir -p "$root.tmp"
		for deb in "$CACHE/debs/$kver"/*.deb; do
			dpkg -x "$deb" "$root.tmp"
		done
		mv "$root.tmp" "$root"
		relativize_links "$root"
		# Debian generates modules.dep in postinst, which dpkg -x skips;
		# mkinitramfs.sh resolves module dependencies with it.
		depmod -b "$root" "$kver"
		touch "$dir/.done"
	fi
	fix_headers "$root" "$kver"
	[ -f "$root/boot/vmlinuz-$kver" ] || kx_die "$root/boot/vmlinuz-$kver missing"
	echo "$kver" >"$CACHE/kernels/$series.kver.tmp"
	mv "$CACHE/kernels/$series.kver.tmp" "$CACHE/kernels/$series.kver"
	echo "fetch: $series -> $kver"
}

# Library packages needed by PKG...: walk Depends, following lib* only
# (debconf and friends are install-time tools, not runtime libraries).
lib_closure() {
	local arch=$1
	shift
	local -A seen=()
	local queue=("$@") p d
	while [ ${#queue[@]} -gt 0 ]; do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		[ -n "${seen[$p]:-}" ] && continue
		seen[$p]=1
		echo "$p"
		for d in $(deps_of "$(kx_apt_pkg "$p" "$arch")" '^(lib|zlib1g)'); do
			[ -z "${seen[$d]:-}" ] && queue+=("$d")
		done
	done
}

# Candidate versions of the userland packages, empty if apt does not know them.
candidates() {
	apt-cache policy "$(kx_apt_pkg kexec-tools "$1")" "$(kx_apt_pkg busybox-static "$1")" \
		"$(kx_apt_pkg makedumpfile "$1")" 2>/dev/null |
		awk '/Candidate:/ && $2 != "(none)" { v = v $2 " "; n++ } END { if (n == 3) print v }'
}

# The guest tools every test image takes from the userland root.
userland_complete() {
	[ -x "$1/sbin/kexec" ] && [ -x "$1/sbin/vmcore-dmesg" ] &&
		[ -x "$1/usr/bin/makedumpfile" ] && [ -x "$1/bin/busybox" ]
}

fetch_userland() {
	local arch=$1 dir root want have p pkgs=() deb
	dir=$CACHE/userland/$arch
	root=$dir/root
	have=$(cat "$dir/.done" 2>/dev/null || true)
	# A cache from before a tool joined the list does not count.
	userland_complete "$root" || have=''
	[ -n "$have" ] && [ -z "${KX_REFRESH:-}" ] && ! lists_changed_since "$dir/.done" && return 0
	# Key the cache on the candidate versions: local, no network.
	want=$(candidates "$arch")
	if [ -n "${KX_OFFLINE:-}" ] || [ -z "$want" ]; then
		[ -n "$have" ] && return 0
		[ -n "${KX_OFFLINE:-}" ] && kx_die "KX_OFFLINE set but the $arch userland was never fetched"
		apt_update
		want=$(candidates "$arch")
		[ -n "$want" ] || kx_die "apt knows no kexec-tools/busybox-static for $arch"
	fi
	[ "$have" = "$want" ] && return 0
	kx_log "$arch userland: downloading kexec-tools, makedumpfile, their libraries, busybox-static"
	for p in busybox-static $(lib_closure "$arch" kexec-tools makedumpfile); do
		pkgs+=("$(kx_apt_pkg "$p" "$arch")")
	done
	rm -rf "$CACHE/debs/userland-$arch"
	download "$CACHE/debs/userland-$arch" "${pkgs[@]}"
	rm -rf "$root" "$root.tmp"
	mkdir -p "$root.tmp"
	for deb in "$CACHE/debs/userland-$arch"/*.deb; do
		dpkg -x "$deb" "$root.tmp"
	done
	mv "$root.tmp" "$root"
	userland_complete "$root" ||
		kx_die "kexec, vmcore-dmesg, makedumpfile or busybox missing from $root"

	echo "$want" >"$dir/.done"
}

main() {
	[ $# -gt 0 ] || set -- "${KX_SERIES_ALL[@]}"
	local s arches=()
	for s in "$@"; do kx_series_check "$s"; done
	kx_lock fetch
	for s in "$@"; do
		fetch_kernel "$s"
		case " ${arches[*]} " in
		*" $(kx_series_arch "$s") "*) ;;
		*) arches+=("$(kx_series_arch "$s")") ;;
		esac
	done
	for s in "${arches[@]}"; do fetch_userland "$s"; done
}

main "$@"
