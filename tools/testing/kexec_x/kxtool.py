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
"""
import os
import stat
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


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "ts":
        ts()
    elif len(sys.argv) >= 4 and sys.argv[1] == "cpio":
        cpio(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
