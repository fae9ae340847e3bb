#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the host packages the kexec_x build, demo and tests need on a
# Debian 12 machine.  Guest-side packages (Debian kernels, headers,
# kexec-tools, busybox) are never installed on the host: fetch.sh unpacks
# them into the cache instead.
set -euo pipefail

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves
	cpio xz-utils zstd lz4 kmod rsync python3 file git
	qemu-system-x86 qemu-system-arm qemu-utils ovmf
	gcc-aarch64-linux-gnu gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross
	sparse e2fsprogs
	libfdt-dev zlib1g-dev device-tree-compiler
	gnuplot-nox
	dkms python3-sphinx graphviz
)

SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# The arm64 series download Debian's arm64 kernels, kexec-tools and
# libraries with apt-get download (never installed): apt must know arm64.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "deps: adding the arm64 architecture to apt (downloads only)"
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -qq
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
