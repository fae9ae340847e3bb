#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small helpers for the kexec_x QEMU harness that bash does badly.

  kxtool.py ts                 stdin -> stdout, each line prefixed with the
                               host time it arrived ("%.6f " epoch seconds)
  kxtool.py cpio DIR OUT [NODE...]
                               write DIR as a newc cpio archive (owner root,
                               mtime 0, sorted), plus device nodes given as
                               "path:c|b:major:minor:mode" (octal mode), so
                               no root privileges are needed for mknod; the
                               list of archived paths goes to DIR/kx/manifest
                               first, so the guest can repack itself.
  kxtool.py repack BZIMAGE gzip|lz4 OUT
                               BZIMAGE with its payload (xz, zstd or gzip)
                               recompressed as the kernel's build would in
                               that format and appended, the setup header's
                               payload_offset and payload_length pointing at
                               the new one.  Only a loader that unpacks the
                               payload itself (kexec_x) boots the result:
                               its decompressor still expects the old format.
"""
import gzip
import lzma
import os
import stat
import struct
import subprocess
import sys
import time


def ts():
    out = sys.stdout.buffer
    # Read raw bytes: a guest can print anything, and a partial line at exit
    # must still be written.
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\r\n").replace(b"\r", b"")
        out.write(b"%.6f " % time.time() + line + b"\n")
        out.flush()


def newc_header(ino, mode, nlink, size, rdevmajor, rdevminor, namesize):
    fields = (ino, mode, 0, 0, nlink, 0, size, 0, 0, rdevmajor, rdevminor,
              namesize, 0)
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return (4 - n % 4) % 4


def cpio(src, dst, nodes):
    entries = []  # (name, lstat or None, node spec)
    for root, dirs, files in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(root, src)
        if rel != ".":
            entries.append((rel, None))
        for f in sorted(files):
            entries.append((os.path.normpath(os.path.join(rel, f)), None))
        # os.walk lists symlinks to directories among dirs: archive them as
        # links, do not descend.
        for d in list(dirs):
            p = os.path.join(root, d)
            if os.path.islink(p):
                entries.append((os.path.normpath(os.path.join(rel, d)), None))
                dirs.remove(d)
    node_specs = []
    for spec in nodes:
        path, kind, major, minor, mode = spec.split(":")
        node_specs.append((path.strip("/"), kind, int(major), int(minor),
                           int(mode, 8)))
    names = [e[0] for e in entries] + [n[0] for n in node_specs]
    manifest = os.path.join(src, "kx", "manifest")
    os.makedirs(os.path.dirname(manifest), exist_ok=True)
    if "kx/manifest" not in names:
        entries.append(("kx/manifest", None))
        names.append("kx/manifest")
    with open(manifest, "w") as f:
        f.write("\n".join(names) + "\n")

    ino = 1
    with open(dst + ".tmp", "wb") as out:
        def emit(name, mode, data=b"", rdev=(0, 0)):
            nonlocal ino
            bname = name.encode() + b"\0"
            out.write(newc_header(ino, mode, 2 if stat.S_ISDIR(mode) else 1,
                                  len(data), rdev[0], rdev[1], len(bname)))
            out.write(bname + b"\0" * pad4(110 + len(bname)))
            out.write(data + b"\0" * pad4(len(data)))
            ino += 1

        for name, _ in entries:
            p = os.path.join(src, name)
            st = os.lstat(p)
            perm = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                emit(name, stat.S_IFLNK | 0o777, os.readlink(p).encode())
            elif stat.S_ISDIR(st.st_mode):
                emit(name, stat.S_IFDIR | perm)
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    emit(name, stat.S_IFREG | perm, f.read())
            else:
                sys.exit("kxtool cpio: unsupported file type: " + p)
        for path, kind, major, minor, mode in node_specs:
            ftype = stat.S_IFCHR if kind == "c" else stat.S_IFBLK
            emit(path, ftype | mode, rdev=(major, minor))
        emit("TRAILER!!!", 0)
        # Pad to 512 like cpio(1): the next concatenated archive, if any,
        # starts aligned.
        out.write(b"\0" * ((512 - out.tell() % 512) % 512))
    os.replace(dst + ".tmp", dst)


def repack(src, fmt, dst):
    with open(src, "rb") as f:
        b = bytearray(f.read())
    setup = ((b[0x1f1] or 4) + 1) * 512
    off, plen = struct.unpack_from("<II", b, 0x248)
    p = bytes(b[setup + off:setup + off + plen])
    if p[:6] == b"\xfd7zXZ\x00":
        raw = lzma.decompress(p[:-4])
    elif p[:4] == b"\x28\xb5\x2f\xfd":
        raw = subprocess.run(["zstd", "-q", "-d", "-c"], input=p[:-4],
                             stdout=subprocess.PIPE, check=True).stdout
    elif p[:2] == b"\x1f\x8b":
        raw = gzip.decompress(p)
    else:
        sys.exit("kxtool repack: %s: payload in a format not handled" % src)
    if len(raw) != struct.unpack("<I", p[-4:])[0]:
        sys.exit("kxtool repack: %s: payload size does not match" % src)
    # scripts/Makefile.lib: gzip -n -9 (its trailer holds the size);
    # lz4 -l -9, then size_append.
    if fmt == "gzip":
        new = gzip.compress(raw, compresslevel=9, mtime=0)
    elif fmt == "lz4":
        new = subprocess.run(["lz4", "-q", "-l", "-9", "-c"], input=raw,
                             stdout=subprocess.PIPE, check=True).stdout
        new += struct.pack("<I", len(raw))
    else:
        sys.exit("kxtool repack: unknown format %s" % fmt)
    b += b"\0" * ((16 - len(b) % 16) % 16)
    struct.pack_into("<II", b, 0x248, len(b) - setup, len(new))
    b += new
    with open(dst + ".tmp", "wb") as f:
        f.write(b)
    os.replace(dst + ".tmp", dst)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "ts":
        ts()
    elif len(sys.argv) >= 4 and sys.argv[1] == "cpio":
        cpio(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "repack":
        repack(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
