#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py DIR SERIES...: the table and plot of a bench.sh run.

Reads DIR/<series>/chain.log and DIR/<series>/panic-*.log (serial logs,
each line "<host epoch seconds> <text>", see qemu.sh) and writes
DIR/results.md (also printed), DIR/data.json and, when gnuplot is there,
DIR/bench.png.  Every figure is the median and the minimum over the runs
of one tool: kx = kexec_x, kxp = kexec_x --plain, kt = the in-kernel kexec
through kexec-tools; the ratio is kexec_x's median over the in-kernel
median.  The rehearsal ioctl (x86), when the logs carry "KX: bench copy
..." lines, gives the relocation copy bandwidth against the kernel's
memcpy() of the same pages; on arm64 the stub's own "copy" and "copied"
markers on the console (--stub-debug) time the copy of the pages STATUS
counted, against memcpy-bench in the same guest.
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys

TOOLS = ("kx", "kxp", "kt")
NAMES = {"kx": "kexec_x", "kxp": "kexec_x --plain", "kt": "in-kernel"}
# figure -> (target ratio kx/kt, "le" or "ge"), ratios of medians.
TARGETS = {
    "exec->banner": (0.25, "le"),
    "exec->/init": (0.7, "le"),
    "panic->banner": (0.5, "le"),
}
LOAD_TARGET = 1.0  # kx load time / in-kernel load time: at most 1.0
MEMCPY_ROWS = {
    "memcpy MB/s": "memcpy in the guest",
    "memcpy stubloop MB/s": "the stub's copy loop in the guest's userspace",
    "memcpy codepages MB/s": "memcpy onto pages of code just run (TCG)",
}

BANNER = re.compile(r"\] Linux version |^Linux version ")
STUB_COPY = re.compile(r"kexec_x stub: copy\s*$")
STUB_COPIED = re.compile(r"kexec_x stub: copied\s*$")


def parse(path):
    out = []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            t, _, text = line.partition(" ")
            try:
                out.append((float(t), text))
            except ValueError:
                continue
    return out


def kv(text):
    return dict(re.findall(r"(\w+)=(\S+)", text))


def first_after(lines, t0, pred):
    for t, text in lines:
        if t > t0 and pred(text):
            return t
    return None


def chain(path, fig):
    lines = parse(path)
    begin = {}
    who_of = {}
    pages = {}
    for t, text in lines:
        if "KX: bench load-begin " in text:
            d = kv(text)
            begin[(d["stage"], d["mode"], d["size"])] = t
            who_of[d["stage"]] = d["who"]
        elif "KX: bench load-end " in text:
            d = kv(text)
            key = (d["stage"], d["mode"], d["size"])
            if key in begin and d["size"] != "0":
                name = "load %s %s MiB" % (d["mode"], d["size"])
                fig.setdefault(name, {}).setdefault(d["who"], []).append(
                    t - begin[key])
        elif "KX: bench pages " in text:
            d = kv(text)
            pages[d["stage"]] = int(d["copy"])
            fig.setdefault("pages copied at exec", {}).setdefault(
                d["who"], []).append(int(d["copy"]))
            fig.setdefault("pages placed directly", {}).setdefault(
                d["who"], []).append(int(d["direct"]))
        elif "KX: bench stage=" in text and " memcpy " in text:
            d = kv(text)
            fig.setdefault("memcpy MB/s", {}).setdefault("guest", []).append(
                float(d["best_mbs"]))
            # memcpy-bench.c: the stub's loop in userspace (arm64), and
            # memcpy() onto pages that held code just run (TCG's cost).
            for key, name in (("stubloop_best_mbs", "memcpy stubloop MB/s"),
                              ("codepages_mbs", "memcpy codepages MB/s")):
                if key in d:
                    fig.setdefault(name, {}).setdefault("guest", []).append(
                        float(d[key]))
        elif "KX: bench copy " in text:
            # kexec_x --rehearse: the stub's copy and the kernel's
            # memcpy() of the same pages, in the same guest.
            d = kv(text)
            b = float(d.get("bytes_copied", 0))
            if b and int(d.get("copy_ns", 0)) and int(d.get("memcpy_ns", 0)):
                fig.setdefault("relocation copy MB/s", {}).setdefault(
                    "kx", []).append(b * 1e3 / int(d["copy_ns"]))
                fig.setdefault("relocation copy MB/s", {}).setdefault(
                    "memcpy", []).append(b * 1e3 / int(d["memcpy_ns"]))
    for t, text in lines:
        m = re.search(r"KX: exec stage=(\d+) ", text)
        if not m:
            continue
        s = m.group(1)
        who = who_of.get(s)
        if not who:
            continue
        nxt = "KX: init stage=%d " % (int(s) + 1)
        b = first_after(lines, t, lambda x: BANNER.search(x))
        i = first_after(lines, t, lambda x: nxt in x)
        if b and i and b < i:
            fig.setdefault("exec->banner", {}).setdefault(who, []).append(b - t)
        if i:
            fig.setdefault("exec->/init", {}).setdefault(who, []).append(i - t)
        # arm64: the stub's markers, between the exec and the banner.
        c0 = first_after(lines, t, lambda x: STUB_COPY.search(x))
        c1 = first_after(lines, t, lambda x: STUB_COPIED.search(x))
        if who == "kx" and s in pages and c0 and c1 and b and c0 < c1 < b:
            fig.setdefault("stub copy MB/s", {}).setdefault("kx", []).append(
                pages[s] * 4096 / 1e6 / max(c1 - c0, 1e-6))


def panic(path, fig):
    lines = parse(path)
    for t, text in lines:
        if "KX: bench panic " in text:
            who = kv(text)["who"]
            b = first_after(lines, t, lambda x: BANNER.search(x))
            i = first_after(lines, t, lambda x: "KX: init stage=2 " in x)
            if b and i and b < i:
                fig.setdefault("panic->banner", {}).setdefault(who, []).append(b - t)
            if i:
                fig.setdefault("panic->/init", {}).setdefault(who, []).append(i - t)


def fmt(v, name):
    if v is None:
        return "-"
    if name.startswith("pages") or "MB/s" in name:
        return "%.0f" % v
    return "%.2f" % v


def order(name):
    keys = ["load file", "load raw", "exec->banner", "exec->/init",
            "panic->banner", "panic->/init", "relocation", "stub copy",
            "memcpy", "pages"]
    for i, k in enumerate(keys):
        if name.startswith(k):
            m = re.search(r"(\d+) MiB", name)
            return (i, int(m.group(1)) if m else 0)
    return (len(keys), 0)


def verdict(name, ratio):
    if ratio is None:
        return ""
    if name.startswith("load"):
        return "met" if ratio <= LOAD_TARGET else "NOT met"
    if name in TARGETS:
        lim, how = TARGETS[name]
        ok = ratio <= lim if how == "le" else ratio >= lim
        return "met" if ok else "NOT met"
    return ""


def target_text(name):
    if name.startswith("load"):
        return "<= %.1f" % LOAD_TARGET
    if name in TARGETS:
        return "<= %.2f" % TARGETS[name][0]
    return ""


def copy_row(label, name, stub, ref_name, ref, tools):
    """The stub's copy bandwidth against a memcpy one, target >= 0.5x."""
    def cell(what, v):
        return "%s %s / %s (%d)" % (what, fmt(statistics.median(v), name),
                                    fmt(max(v), name), len(v))
    cells = [cell("stub", stub), cell(ref_name, ref) if ref else "-"]
    cells = (cells + [""] * len(tools))[:max(len(tools), 2)]
    r = "-"
    if ref:
        ratio = statistics.median(stub) / statistics.median(ref)
        r = "%.2f %s" % (ratio, "met" if ratio >= 0.5 else "NOT met")
    return "| %s, MB/s (median / best) | %s | %s | >= 0.50 |" % (
        label, " | ".join(cells), r)


def load_plus_init(fig, tools):
    """A kexec reboot from the load on: for each file load size, the sum
    of that load's median and exec->/init's median, per tool (a derived
    row, not a measurement of its own)."""
    rows = []
    init = fig.get("exec->/init", {})
    for name in sorted(fig, key=order):
        if not name.startswith("load file"):
            continue
        sums = {t: statistics.median(fig[name][t]) + statistics.median(init[t])
                for t in tools if fig[name].get(t) and init.get(t)}
        if not sums:
            continue
        cells = ["%.2f" % sums[t] if t in sums else "-" for t in tools]
        r = "%.2f" % (sums["kx"] / sums["kt"]) if "kx" in sums and "kt" in sums else "-"
        rows.append("| %s + exec->/init (sum of medians) | %s | %s |  |" %
                    (name, " | ".join(cells), r))
    return rows


def main():
    out, series = sys.argv[1], sys.argv[2:]
    data = {}
    md = []
    for s in series:
        fig = {}
        d = os.path.join(out, s)
        if os.path.exists(os.path.join(d, "chain.log")):
            chain(os.path.join(d, "chain.log"), fig)
        for p in sorted(glob.glob(os.path.join(d, "panic-*.log"))):
            panic(p, fig)
        data[s] = fig
        tools = [t for t in TOOLS if any(t in v for v in fig.values())]
        sums = load_plus_init(fig, tools)
        md.append("### %s\n" % s)
        md.append("Seconds unless stated; median / minimum (n runs).\n")
        head = "| figure | " + " | ".join(NAMES[t] for t in tools) + \
            " | kexec_x / in-kernel (medians) | target |"
        md.append(head)
        md.append("|" + "---|" * (head.count("|") - 1))
        for name in sorted(fig, key=order):
            vals = fig[name]
            if name == "relocation copy MB/s":
                md.append(copy_row("relocation copy vs memcpy of the same "
                                   "pages", name, vals.get("kx", []),
                                   "memcpy", vals.get("memcpy", []), tools))
                continue
            if name == "stub copy MB/s":
                md.append(copy_row("relocation copy (stub markers on the "
                                   "console) vs memcpy in the guest", name,
                                   vals["kx"], "memcpy-bench",
                                   fig.get("memcpy MB/s", {}).get("guest", []),
                                   tools))
                continue
            if name in MEMCPY_ROWS:
                v = vals["guest"]
                cells = ["%s / %s (%d)" % (fmt(statistics.median(v), name),
                                           fmt(max(v), name), len(v))]
                md.append("| %s, MB/s (median / best) | " % MEMCPY_ROWS[name] +
                          " | ".join(cells + [""] * (len(tools) - 1)) + " | | |")
                continue
            cells = []
            for t in tools:
                v = vals.get(t)
                if not v:
                    cells.append("-")
                    continue
                cells.append("%s / %s (%d)" % (fmt(statistics.median(v), name),
                                               fmt(min(v), name), len(v)))
            ratio = None
            if vals.get("kx") and vals.get("kt"):
                ratio = statistics.median(vals["kx"]) / statistics.median(vals["kt"])
            r = "%.2f %s" % (ratio, verdict(name, ratio)) if ratio is not None else "-"
            md.append("| %s | %s | %s | %s |" % (name, " | ".join(cells), r,
                                                 target_text(name)))
        md.extend(sums)
        md.append("")
    text = "\n".join(md)
    print(text)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(out, "data.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    plot(out, data)
    return 0


def plot(out, data):
    rows = []
    present = [t for t in TOOLS
               if any(t in v for fig in data.values() for v in fig.values())]
    for s, fig in data.items():
        for name in sorted(fig, key=order):
            if name.startswith("pages") or "MB/s" in name:
                continue
            vals = fig[name]
            rows.append((("%s %s" % (s, name)).replace(" ", "_"),
                         [statistics.median(vals[t]) if vals.get(t) else 0
                          for t in present]))
    if not rows:
        return
    dat = os.path.join(out, "bench.dat")
    with open(dat, "w") as f:
        f.write("figure " + " ".join(present) + "\n")
        for name, v in rows:
            f.write("%s %s\n" % (name, " ".join("%.3f" % x for x in v)))
    cols = ", ".join("'%s' using %d%s title '%s'" %
                     (dat if i == 0 else "", i + 2,
                      ":xtic(1)" if i == 0 else "", NAMES[t])
                     for i, t in enumerate(present))
    script = """
set terminal pngcairo size 1600,800 noenhanced
set output '%s'
set title 'kexec_x vs the in-kernel kexec, medians (s), QEMU TCG'
set style data histogram
set style histogram cluster gap 1
set style fill solid border -1
set xtics rotate by -60 font ',8'
set bmargin 12
set key top left
set grid ytics
plot %s
""" % (os.path.join(out, "bench.png"), cols)
    try:
        subprocess.run(["gnuplot"], input=script.encode(), check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench-report: no plot: %s" % e, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
