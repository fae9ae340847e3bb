#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# loader-libs.sh ARCH   (arm64)
#
# Print the directory that holds the static libraries the loader links for
# a foreign ARCH (libfdt.a and libz.a, with their headers), downloading
# Debian's libfdt-dev and zlib1g-dev for ARCH with `apt-get download` and
# unpacking them with `dpkg -x` under .cache/loader-libs/ARCH/root the first
# time.  Nothing is installed: an arm64 -dev package would replace the
# host's.  The host's own architecture needs nothing (deps.sh installs
# libfdt-dev and zlib1g-dev); this prints nothing for it.
#
#   make -C samples/kexec_x CC=aarch64-linux-gnu-gcc \
#        KX_LIBROOT=$(tools/testing/kexec_x/loader-libs.sh arm64)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KX_LOG_PREFIX=loader-libs

arch=${1:?usage: loader-libs.sh ARCH}
[ "$arch" = "$(dpkg --print-architecture)" ] && exit 0
cache=$(kx_cache)
dir=$cache/loader-libs/$arch
root=$dir/root
pkgs=(libfdt-dev libfdt1 zlib1g-dev)

if [ ! -f "$root/.done" ]; then
	kx_lock "loader-libs-$arch"
	if [ ! -f "$root/.done" ]; then
		opts=(-q)
		[ "$(id -u)" -eq 0 ] && opts+=(-o APT::Sandbox::User=root)
		dpkg --print-foreign-architectures | grep -qx "$arch" ||
			kx_die "apt does not know $arch: dpkg --add-architecture $arch && apt-get update"
		rm -rf "$dir/debs" "$root"
		mkdir -p "$dir/debs" "$root"
		(cd "$dir/debs" && apt-get download "${opts[@]}" "${pkgs[@]/%/:$arch}" >/dev/null) ||
			kx_die "apt-get download ${pkgs[*]} for $arch failed"
		for deb in "$dir/debs"/*.deb; do
			dpkg -x "$deb" "$root"
		done
		touch "$root/.done"
	fi
fi
echo "$root"
