// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_x - load and boot another kernel through /dev/kexec_x, with the
 * habits of kexec(8).
 *
 *   kexec_x -l KERNEL [--initrd=FILE] [--append=STR | --command-line=STR |
 *           --reuse-cmdline]     the module reads and places the kernel
 *                                (KEXEC_X_IOC_LOAD_FILE)
 *   kexec_x -c -l KERNEL ...     the loader places it and hands over
 *                                segments (KEXEC_X_IOC_LOAD_SEGMENTS)
 *   kexec_x -p ...               the same, into the crash slot
 *   kexec_x -e | -u [-p] | --status | --disable | --rehearse
 *
 * Exit status: 0 done, 1 failed (the cause printed), 2 bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "loader.h"

enum kx_action {
	KX_NONE,
	KX_LOAD,
	KX_EXEC,
	KX_UNLOAD,
	KX_STATUS,
	KX_DISABLE,
	KX_REHEARSE,
};

/**
 * struct kx_opts - the command line
 * @action:        what to do
 * @ld:            for KX_LOAD: files, command line, crash slot, debug
 * @segments:      -c: build segments here (LOAD_SEGMENTS)
 * @file_syscall:  -s: let the module build them (LOAD_FILE, the default)
 * @dry_run:       plan and print, do not open the device
 * @append:        --append strings, joined by blanks (malloc'ed)
 * @command_line:  --command-line, replaces everything else
 * @reuse:         --reuse-cmdline
 * @no_verify:     --no-verify: KEXEC_X_LOAD_NO_VERIFY
 * @stub_debug:    --stub-debug: set the stub_debug module parameter
 * @plain:         --plain: KEXEC_X_LOAD_PLAIN, the bzImage boots as it is
 * @device:        the device node
 * @save_dtb:      --save-dtb: write the new kernel's device tree here
 */
struct kx_opts {
	enum kx_action action;
	struct kx_load ld;
	bool segments;
	bool file_syscall;
	bool dry_run;
	char *append;
	const char *command_line;
	bool reuse;
	bool no_verify;
	bool stub_debug;
	bool plain;
	const char *device;
	const char *save_dtb;
};

static bool kx_debug;

void kx_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);		/* keep the order of --debug lines */
	fputs(KX_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kx_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!kx_debug)
		return;
	fputs(KX_PROG ": ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

const char *kx_size_str(u64 bytes, char *buf)
{
	static const char * const units[] = { "bytes", "KiB", "MiB", "GiB",
					      "TiB" };
	double v = bytes;
	unsigned int u = 0;

	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, 32, "%llu bytes", (unsigned long long)bytes);
	else
		snprintf(buf, 32, "%.1f %s", v, units[u]);
	return buf;
}

/* An architecture without a device tree passes nothing more. */
__attribute__((weak)) int kx_arch_file_args(const struct kx_load *ld,
					    struct kexec_x_load_file *arg,
					    struct kx_plan *plan)
{
	return 0;
}

__attribute__((weak)) int kx_arch_save_dtb(const struct kx_plan *plan,
					   const char *path)
{
	kx_err("--save-dtb: %s boots without a device tree", kx_arch_name());
	return -EOPNOTSUPP;
}

/* ---- usage ---- */

static void kx_usage_line(FILE *f)
{
	fprintf(f, "%s\n",
		"usage: kexec_x [-c] -l|-p KERNEL [--initrd=FILE] [--append=STR|--command-line=STR|--reuse-cmdline] | -e | -u [-p] | --status | --disable | --rehearse | -h");
}

static void kx_usage(void)
{
	kx_usage_line(stdout);
	printf("\n"
"Load and boot another kernel through " KEXEC_X_DEVICE " (kexec_x.ko),\n"
"as kexec(8) does through the kexec system calls.\n"
"\n"
"Actions:\n"
"  -l, --load KERNEL       load KERNEL for kexec_x -e; by default the module\n"
"                          reads and places it (KEXEC_X_IOC_LOAD_FILE)\n"
"  -p, --load-panic KERNEL load KERNEL into the crash slot, booted on panic\n"
"                          (with -u: unload the crash image)\n"
"  -e, --exec              sync file systems, then boot the loaded kernel;\n"
"                          nothing is unmounted or stopped first\n"
"  -u, --unload            unload the normal image (-u -p: the crash image)\n"
"  -S, --status            print what is loaded and the module's state\n"
"      --rehearse          run the relocation of the loaded image into\n"
"                          scratch pages and come back: no reboot; prints\n"
"                          pages copied, differences and timings\n"
"      --disable           refuse every later load until the module is\n"
"                          removed (loaded images stay loaded)\n"
"  -h, --help              this text\n"
"  -v, --version           the loader's ABI version\n"
"\n"
"Load options:\n"
"      --initrd=FILE       initial ramdisk (also --ramdisk=FILE)\n"
"      --append=STR        add STR to the command line (may be repeated)\n"
"      --command-line=STR  use STR as the whole command line\n"
"      --reuse-cmdline     start from the running kernel's /proc/cmdline,\n"
"                          without BOOT_IMAGE= (and crashkernel= for -p)\n"
"  -c, --kexec-syscall     place kernel, initrd and boot parameters here and\n"
"                          load them as segments (KEXEC_X_IOC_LOAD_SEGMENTS),\n"
"                          from /proc/iomem, /sys/firmware/memmap and\n"
"                          /sys/kernel/boot_params; same planner as the module\n"
"  -s, --kexec-file-syscall let the module place them (the default)\n"
"      --no-verify         take no checksum at load; by default -e checks\n"
"                          the image again and refuses a changed one\n"
"      --plain             file loads: boot the bzImage as it is (it\n"
"                          decompresses itself at boot); by default the\n"
"                          module unpacks it while loading and starts the\n"
"                          uncompressed kernel directly\n"
"      --dry-run           plan with the same planner and print the segments;\n"
"                          " KEXEC_X_DEVICE " is not opened\n"
"  -d, --debug             print the plan\n"
"\n"
"Debugging:\n"
"      --stub-debug        the relocation stub writes stage markers to the\n"
"                          serial port (x86: COM1; arm64: the first PL011)\n"
"                          through the stub_debug module parameter; may go\n"
"                          with any action\n"
"\n"
"Testing:\n"
"      --device=PATH       use PATH instead of " KEXEC_X_DEVICE "\n"
"      --sysroot=DIR       read /proc and /sys files under DIR\n"
"      --save-dtb=FILE     write the device tree built for the new kernel\n"
"                          (arm64) to FILE\n"
"\n"
"The new kernel (x86_64: a bzImage with boot protocol 2.12 or later)\n"
"inherits the console (screen_info) and the ACPI RSDP from the running\n"
"kernel; after a UEFI boot, a file load (-l) also keeps EFI runtime\n"
"services, while -c and -p start the new kernel without them.\n"
"On arm64 the new kernel is an Image or an Image.gz (inflated here); it\n"
"gets the running kernel's device tree (/sys/firmware/fdt) with /chosen\n"
"rewritten (bootargs, initrd, kaslr-seed, rng-seed; for -p elfcorehdr and\n"
"usable-memory-range).\n"
"\n"
"Exit status: 0 done, 1 failed (the cause is printed), 2 bad arguments.\n");
}

/* Does not return: exits with status 2. */
static void kx_bad_usage(const char *why)
{
	if (why)
		kx_err("%s", why);
	kx_usage_line(stderr);
	exit(2);
}

/* ---- command line of the new kernel ---- */

/* Append " @s" (or "@s" at the start) to the malloc'ed string *@dst. */
static int kx_strcat(char **dst, const char *s)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *p;

	if (!*s)
		return 0;
	p = realloc(*dst, old + strlen(s) + 2);
	if (!p)
		return -ENOMEM;
	if (old)
		p[old++] = ' ';
	memcpy(p + old, s, strlen(s) + 1);
	*dst = p;
	return 0;
}

/*
 * --command-line replaces; otherwise --reuse-cmdline's /proc/cmdline,
 * followed by every --append.
 */
static int kx_make_cmdline(struct kx_opts *o)
{
	char *line = NULL, *reused;
	int ret = 0;

	if (o->command_line) {
		ret = kx_strcat(&line, o->command_line);
	} else {
		if (o->reuse) {
			reused = kx_reuse_cmdline(o->ld.crash);
			if (!reused)
				return -EIO;
			ret = kx_strcat(&line, reused);
			free(reused);
		}
		if (!ret && o->append)
			ret = kx_strcat(&line, o->append);
	}
	if (!ret && !line)
		line = strdup("");
	if (ret || !line) {
		kx_err("out of memory");
		free(line);
		return -ENOMEM;
	}
	if (strlen(line) + 1 > KEXEC_X_CMDLINE_MAX) {
		kx_err("command line too long: %zu bytes, at most %d",
		       strlen(line), KEXEC_X_CMDLINE_MAX - 1);
		free(line);
		return -E2BIG;
	}
	o->ld.cmdline = line;
	return 0;
}

/* ---- the device ---- */

enum kx_op {
	KX_OP_OPEN,
	KX_OP_LOAD_FILE,
	KX_OP_LOAD_SEGMENTS,
	KX_OP_UNLOAD,
	KX_OP_EXEC,
	KX_OP_STATUS,
	KX_OP_DISABLE,
	KX_OP_REHEARSE,
};

static const char * const kx_op_names[] = {
	[KX_OP_OPEN] = "open",
	[KX_OP_LOAD_FILE] = "KEXEC_X_IOC_LOAD_FILE",
	[KX_OP_LOAD_SEGMENTS] = "KEXEC_X_IOC_LOAD_SEGMENTS",
	[KX_OP_UNLOAD] = "KEXEC_X_IOC_UNLOAD",
	[KX_OP_EXEC] = "KEXEC_X_IOC_EXEC",
	[KX_OP_STATUS] = "KEXEC_X_IOC_STATUS",
	[KX_OP_DISABLE] = "KEXEC_X_IOC_DISABLE",
	[KX_OP_REHEARSE] = "KEXEC_X_IOC_REHEARSE",
};

#define KX_ANY	-1

/**
 * struct kx_hint - what to check after a failure
 * @err:   errno
 * @op:    enum kx_op, or KX_ANY
 * @crash: 1 for crash loads only, 0 for normal ones only, or KX_ANY
 * @hint:  the advice
 *
 * The first entry that matches wins; the errnos are those include/uapi
 * documents for each ioctl.
 */
struct kx_hint {
	int err;
	int op;
	int crash;
	const char *hint;
};

static const struct kx_hint kx_hints[] = {
	{ ENOENT, KX_OP_OPEN, KX_ANY,
	  "is kexec_x.ko loaded?",
	},
	{ ENOENT, KX_OP_REHEARSE, KX_ANY,
	  "no image is loaded: load one with kexec_x -l first",
	},
	{ EBADMSG, KX_ANY, KX_ANY,
	  "the loaded image changed since it was loaded (its checksum differs): unload it and load it again; see dmesg",
	},
	{ EOPNOTSUPP, KX_OP_REHEARSE, KX_ANY,
	  "this architecture has no rehearsal yet (x86_64 only)",
	},
	{ ENOENT, KX_OP_EXEC, KX_ANY,
	  "no image is loaded: load one with kexec_x -l first",
	},
	{ ENOENT, KX_ANY, 1,
	  "no crashkernel= reservation: boot with crashkernel=256M or so",
	},
	{ ENXIO, KX_OP_OPEN, KX_ANY,
	  "is kexec_x.ko loaded?",
	},
	{ ENODEV, KX_OP_OPEN, KX_ANY,
	  "is kexec_x.ko loaded?",
	},
	{ EACCES, KX_ANY, KX_ANY,
	  "run as root: the device is mode 0600",
	},
	{ EPERM, KX_OP_LOAD_FILE, KX_ANY,
	  "needs CAP_SYS_BOOT (run as root); or loads are disabled (kexec_x --disable or load_disabled=1: see kexec_x --status); or refused by lockdown or an LSM (see dmesg)",
	},
	{ EPERM, KX_OP_LOAD_SEGMENTS, KX_ANY,
	  "needs CAP_SYS_BOOT (run as root); or loads are disabled (kexec_x --disable or load_disabled=1: see kexec_x --status); or refused by lockdown (raw segments are never verified) or an LSM (see dmesg)",
	},
	{ EPERM, KX_ANY, KX_ANY,
	  "needs CAP_SYS_BOOT: run as root",
	},
	{ ENOTTY, KX_ANY, KX_ANY,
	  "kexec_x.ko speaks another ABI than this loader: build both from one tree (see kexec_x --version)",
	},
	{ EINVAL, KX_OP_LOAD_SEGMENTS, KX_ANY,
	  "the module refused the segments (overlap, size, entry outside them): run with --debug, see dmesg",
	},
	{ EINVAL, KX_OP_LOAD_FILE, KX_ANY,
	  "the module refused the request (command line, flags, device tree): see dmesg",
	},
	{ EINVAL, KX_ANY, KX_ANY,
	  "a flag or reserved field the module does not know: loader and module from different trees?",
	},
	{ EBUSY, KX_OP_EXEC, KX_ANY,
	  "another operation holds the image, or the machine cannot be brought down to one CPU; retry",
	},
	{ EBUSY, KX_ANY, KX_ANY,
	  "another load, unload or exec is in progress; retry",
	},
	{ EADDRNOTAVAIL, KX_ANY, 1,
	  "a piece does not fit in the crash reservation: is crashkernel= large enough?",
	},
	{ EADDRNOTAVAIL, KX_ANY, KX_ANY,
	  "no free System RAM fits a piece, or a segment is not page aligned or not in System RAM",
	},
	{ ENOMEM, KX_ANY, KX_ANY,
	  "not enough free memory to hold the image",
	},
	{ EINTR, KX_ANY, KX_ANY,
	  "interrupted by a signal",
	},
	{ EOPNOTSUPP, KX_ANY, 1,
	  "this kexec_x.ko cannot load crash images here",
	},
	{ EOPNOTSUPP, KX_ANY, KX_ANY,
	  "refused on this machine (confidential-computing host or guest?)",
	},
	{ EEXIST, KX_ANY, KX_ANY,
	  "the in-kernel kdump holds a crash image: unload it first (kexec -p -u)",
	},
	{ EBADF, KX_ANY, KX_ANY,
	  "the kernel or initrd is not readable",
	},
	{ ENOEXEC, KX_ANY, KX_ANY,
	  "not a bootable kernel image: x86_64 needs a bzImage with boot protocol 2.12+ and a 64-bit entry point, arm64 an Image (or Image.gz)",
	},
	{ EFBIG, KX_ANY, KX_ANY,
	  "the kernel or initrd is larger than the module accepts",
	},
	{ EFAULT, KX_ANY, KX_ANY,
	  "the module could not read the loader's memory (loader bug?)",
	},
};

/* What to check after errno @err from @op, or NULL. */
static const char *kx_hint(enum kx_op op, int err, bool crash)
{
	const struct kx_hint *h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kx_hints); i++) {
		h = &kx_hints[i];
		if (h->err == err && (h->op == KX_ANY || h->op == (int)op) &&
		    (h->crash == KX_ANY || h->crash == crash))
			return h->hint;
	}
	return NULL;
}

/* Print the failure of @op with errno @err and what to check. */
static void kx_fail_op(enum kx_op op, const char *what, int err, bool crash)
{
	const char *hint = kx_hint(op, err, crash);

	if (op == KX_OP_OPEN)
		kx_err("%s: %s%s%s%s", what, strerror(err), hint ? " (" : "",
		       hint ? hint : "", hint ? ")" : "");
	else
		kx_err("%s%s%s: %s%s%s%s", what ? what : "",
		       what ? ": " : "", kx_op_names[op], strerror(err),
		       hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
}

/*
 * ioctl @cmd (@op) on a fresh descriptor of @device.  Returns 0 or -errno,
 * having printed the cause and what to check; @what (may be NULL) names
 * the image.
 */
static int kx_ioctl(const char *device, enum kx_op op, unsigned long cmd,
		    void *arg, const char *what, bool crash)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		ret = -errno;
		kx_fail_op(KX_OP_OPEN, device, -ret, crash);
		return ret;
	}
	ret = ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	close(fd);
	if (ret)
		kx_fail_op(op, what, -ret, crash);
	return ret;
}

/* ---- actions ---- */

static u64 kx_load_flags(const struct kx_load *ld)
{
	return ld->crash ? KEXEC_X_LOAD_CRASH : 0;
}

static void kx_print_plan(const struct kx_plan *plan)
{
	char sz[32];
	unsigned int i;

	for (i = 0; i < plan->nr_segs; i++) {
		const struct kexec_x_segment *s = &plan->segs[i];

		kx_dbg("segment %u %-11s mem [0x%llx, 0x%llx) %s, %llu bytes from the file",
		       i, plan->names[i] ? plan->names[i] : "",
		       (unsigned long long)s->mem,
		       (unsigned long long)(s->mem + s->memsz),
		       kx_size_str(s->memsz, sz),
		       (unsigned long long)s->bufsz);
	}
	kx_dbg("entry 0x%llx, argument 0x%llx",
	       (unsigned long long)plan->entry, (unsigned long long)plan->arg);
}

static int kx_do_load_segments(const struct kx_opts *o)
{
	struct kx_plan plan = { 0 };
	struct kexec_x_load_segments arg = { 0 };
	int ret;

	ret = kx_arch_plan(&o->ld, &plan);
	if (ret)
		goto out;
	kx_dbg("command line: \"%s\"", o->ld.cmdline);
	kx_print_plan(&plan);
	if (o->save_dtb) {
		ret = kx_arch_save_dtb(&plan, o->save_dtb);
		if (ret)
			goto out;
	}
	if (o->dry_run) {
		printf(KX_PROG ": dry run: %s would be loaded with %s; %s not opened\n",
		       o->ld.kernel, o->segments ? "KEXEC_X_IOC_LOAD_SEGMENTS" :
		       "KEXEC_X_IOC_LOAD_FILE (the module plans the same way)",
		       o->device);
		goto out;
	}
	arg.flags = kx_load_flags(&o->ld);
	if (o->no_verify)
		arg.flags |= KEXEC_X_LOAD_NO_VERIFY;
	arg.entry = plan.entry;
	arg.arg = plan.arg;
	arg.segments = (u64)(uintptr_t)plan.segs;
	arg.nr_segments = plan.nr_segs;
	ret = kx_ioctl(o->device, KX_OP_LOAD_SEGMENTS,
		       KEXEC_X_IOC_LOAD_SEGMENTS, &arg, o->ld.kernel,
		       o->ld.crash);
out:
	kx_arch_free(&plan);
	return ret ? 1 : 0;
}

/* Open @path for LOAD_FILE; -1 with the cause printed. */
static int kx_open_input(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		kx_err("%s: %s", path, strerror(errno));
	return fd;
}

static int kx_do_load_file(const struct kx_opts *o)
{
	struct kexec_x_load_file arg = { 0 };
	struct kx_plan plan = { 0 };
	size_t len = strlen(o->ld.cmdline);
	int ret = -1, kfd, ifd = -1;

	kfd = kx_open_input(o->ld.kernel);
	if (kfd < 0)
		return 1;
	if (o->ld.initrd) {
		ifd = kx_open_input(o->ld.initrd);
		if (ifd < 0)
			goto out;
	}
	arg.flags = kx_load_flags(&o->ld);
	if (o->no_verify)
		arg.flags |= KEXEC_X_LOAD_NO_VERIFY;
	if (o->plain)
		arg.flags |= KEXEC_X_LOAD_PLAIN;
	arg.kernel_fd = kfd;
	arg.initrd_fd = ifd;
	arg.cmdline = len ? (u64)(uintptr_t)o->ld.cmdline : 0;
	arg.cmdline_len = len ? len + 1 : 0;
	kx_dbg("%s: kernel %s, initrd %s, command line \"%s\"",
	       kx_op_names[KX_OP_LOAD_FILE], o->ld.kernel,
	       o->ld.initrd ? o->ld.initrd : "none", o->ld.cmdline);
	ret = kx_arch_file_args(&o->ld, &arg, &plan);
	if (!ret && o->save_dtb)
		ret = kx_arch_save_dtb(&plan, o->save_dtb);
	if (ret)
		goto out;
	ret = kx_ioctl(o->device, KX_OP_LOAD_FILE, KEXEC_X_IOC_LOAD_FILE,
		       &arg, o->ld.kernel, o->ld.crash);
	if (ret == -ENOEXEC)
		kx_arch_explain(o->ld.kernel);
out:
	kx_arch_free(&plan);
	if (ifd >= 0)
		close(ifd);
	close(kfd);
	return ret ? 1 : 0;
}

static int kx_do_load(struct kx_opts *o)
{
	int ret;

	if (kx_make_cmdline(o))
		return 1;
	/* A dry run always plans here: that is all it can show. */
	if (o->segments || o->dry_run)
		ret = kx_do_load_segments(o);
	else
		ret = kx_do_load_file(o);
	free(o->ld.cmdline);
	return ret;
}

static int kx_do_simple(const struct kx_opts *o, enum kx_op op,
			unsigned long cmd, void *arg)
{
	return kx_ioctl(o->device, op, cmd, arg, NULL, o->ld.crash) ? 1 : 0;
}

static int kx_do_exec(const struct kx_opts *o)
{
	struct kexec_x_exec arg = { 0 };

	sync();
	kx_dbg("starting the new kernel");
	return kx_do_simple(o, KX_OP_EXEC, KEXEC_X_IOC_EXEC, &arg);
}

static int kx_do_unload(const struct kx_opts *o)
{
	struct kexec_x_unload arg = { .flags = kx_load_flags(&o->ld) };

	return kx_do_simple(o, KX_OP_UNLOAD, KEXEC_X_IOC_UNLOAD, &arg);
}

static double kx_mbps(u64 bytes, u64 ns)
{
	return ns ? (double)bytes * 1000.0 / (double)ns : 0.0;
}

/*
 * --rehearse: STATUS for the pages EXEC would copy, then REHEARSE.  Fails
 * when a scratch page differs from its source or the stub copied another
 * number of pages.  The last line is machine-readable (the benchmark in
 * tools/testing/kexec_x reads it).
 */
static int kx_do_rehearse(const struct kx_opts *o)
{
	struct kexec_x_status st = { 0 };
	struct kexec_x_rehearse r = { 0 };
	unsigned long long want;

	if (kx_do_simple(o, KX_OP_STATUS, KEXEC_X_IOC_STATUS, &st))
		return 1;
	want = st.image.pages_copy;
	if (kx_do_simple(o, KX_OP_REHEARSE, KEXEC_X_IOC_REHEARSE, &r))
		return 1;
	printf("rehearsal: %llu pages copied (%llu expected), %llu in place, %llu differ from their source\n",
	       (unsigned long long)r.pages_copied, want,
	       (unsigned long long)r.pages_in_place,
	       (unsigned long long)r.pages_differ);
	printf("rehearsal: stub copy %llu us (%llu TSC cycles at %llu kHz), %.1f MB/s; memcpy %llu us, %.1f MB/s\n",
	       (unsigned long long)r.copy_ns / 1000,
	       (unsigned long long)r.copy_tsc, (unsigned long long)r.tsc_khz,
	       kx_mbps(r.bytes_copied, r.copy_ns),
	       (unsigned long long)r.memcpy_ns / 1000,
	       kx_mbps(r.bytes_copied, r.memcpy_ns));
	if (r.verify_bytes)
		printf("rehearsal: checksum %llu us over %llu bytes, %.1f MB/s\n",
		       (unsigned long long)r.verify_ns / 1000,
		       (unsigned long long)r.verify_bytes,
		       kx_mbps(r.verify_bytes, r.verify_ns));
	else
		printf("rehearsal: no checksum (loaded with --no-verify)\n");
	printf("rehearsal: %llu us with interrupts off in the stub, %llu us in all\n",
	       (unsigned long long)r.stub_ns / 1000,
	       (unsigned long long)r.total_ns / 1000);
	printf("kexec_x-rehearse: pages_copied=%llu pages_expected=%llu pages_in_place=%llu pages_differ=%llu bytes_copied=%llu copy_tsc=%llu tsc_khz=%llu copy_ns=%llu memcpy_ns=%llu stub_ns=%llu verify_ns=%llu verify_bytes=%llu total_ns=%llu\n",
	       (unsigned long long)r.pages_copied, want,
	       (unsigned long long)r.pages_in_place,
	       (unsigned long long)r.pages_differ,
	       (unsigned long long)r.bytes_copied,
	       (unsigned long long)r.copy_tsc, (unsigned long long)r.tsc_khz,
	       (unsigned long long)r.copy_ns, (unsigned long long)r.memcpy_ns,
	       (unsigned long long)r.stub_ns, (unsigned long long)r.verify_ns,
	       (unsigned long long)r.verify_bytes,
	       (unsigned long long)r.total_ns);
	if (r.pages_differ || r.pages_copied != want) {
		kx_err("rehearsal failed: %llu pages differ, %llu copied of %llu",
		       (unsigned long long)r.pages_differ,
		       (unsigned long long)r.pages_copied, want);
		return 1;
	}
	return 0;
}

/* --stub-debug: the module parameter, under --sysroot for tests. */
static int kx_set_stub_debug(void)
{
	const char *param = "/sys/module/kexec_x/parameters/stub_debug";
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", kx_sysroot ? kx_sysroot : "",
		 param);
	f = fopen(path, "w");
	if (!f || fputs("1\n", f) == EOF || fclose(f)) {
		kx_err("--stub-debug: cannot write %s: %s (is kexec_x.ko loaded?)",
		       path, strerror(errno));
		if (f)
			fclose(f);
		return 1;
	}
	return 0;
}

static const char *kx_kind_name(u32 kind)
{
	switch (kind) {
	case KEXEC_X_KIND_NONE:
		return "none";
	case KEXEC_X_KIND_SEGMENTS:
		return "loaded from segments (-c)";
	case KEXEC_X_KIND_FILE:
		return "loaded from a file";
	}
	return "unknown kind";
}

static void kx_print_slot(const char *name, const struct kexec_x_image_info *i)
{
	unsigned int n = min_t(unsigned int, i->nr_segments,
			       KEXEC_X_SEGMENT_MAX);
	char sz[32];
	unsigned int s;

	printf("%s image: %s\n", name, kx_kind_name(i->kind));
	if (i->kind == KEXEC_X_KIND_NONE)
		return;
	printf("  entry 0x%llx, argument 0x%llx\n",
	       (unsigned long long)i->entry, (unsigned long long)i->arg);
	printf("  %u segments, %s; at exec %llu pages to copy, %llu already in place\n",
	       i->nr_segments, kx_size_str(i->total_bytes, sz),
	       (unsigned long long)i->pages_copy,
	       (unsigned long long)i->pages_direct);
	for (s = 0; s < n; s++)
		printf("  segment %u: [0x%llx, 0x%llx) %s\n", s,
		       (unsigned long long)i->segments[s].mem,
		       (unsigned long long)(i->segments[s].mem +
					    i->segments[s].memsz),
		       kx_size_str(i->segments[s].memsz, sz));
}

static int kx_do_status(const struct kx_opts *o)
{
	struct kexec_x_status st = { 0 };
	char sz[32];

	if (kx_do_simple(o, KX_OP_STATUS, KEXEC_X_IOC_STATUS, &st))
		return 1;
	printf("kexec_x.ko ABI %u (loader ABI %d)\n", st.abi_version,
	       KEXEC_X_ABI_VERSION);
	printf("loads: %s\n", st.flags & KEXEC_X_STATUS_LOAD_DISABLED ?
	       "disabled" : "enabled");
	if (st.flags & KEXEC_X_STATUS_CRASH_RESERVED)
		printf("crash reservation: [0x%llx, 0x%llx) %s\n",
		       (unsigned long long)st.crash_base,
		       (unsigned long long)(st.crash_base + st.crash_size),
		       kx_size_str(st.crash_size, sz));
	else
		printf("crash reservation: none\n");
	kx_print_slot("normal", &st.image);
	kx_print_slot("crash", &st.crash);
	return 0;
}

/* ---- arguments ---- */

enum {
	OPT_DISABLE = 0x100,
	OPT_INITRD,
	OPT_APPEND,
	OPT_COMMAND_LINE,
	OPT_REUSE,
	OPT_DRY_RUN,
	OPT_DEVICE,
	OPT_SYSROOT,
	OPT_REHEARSE,
	OPT_NO_VERIFY,
	OPT_STUB_DEBUG,
	OPT_PLAIN,
};

static const struct option kx_long_opts[] = {
	{ "load",		no_argument,		NULL, 'l' },
	{ "load-panic",		no_argument,		NULL, 'p' },
	{ "exec",		no_argument,		NULL, 'e' },
	{ "unload",		no_argument,		NULL, 'u' },
	{ "status",		no_argument,		NULL, 'S' },
	{ "disable",		no_argument,		NULL, OPT_DISABLE },
	{ "rehearse",		no_argument,		NULL, OPT_REHEARSE },
	{ "no-verify",		no_argument,		NULL, OPT_NO_VERIFY },
	{ "stub-debug",		no_argument,		NULL, OPT_STUB_DEBUG },
	{ "kexec-syscall",	no_argument,		NULL, 'c' },
	{ "kexec-file-syscall",	no_argument,		NULL, 's' },
	{ "initrd",		required_argument,	NULL, OPT_INITRD },
	{ "ramdisk",		required_argument,	NULL, OPT_INITRD },
	{ "append",		required_argument,	NULL, OPT_APPEND },
	{ "command-line",	required_argument,	NULL, OPT_COMMAND_LINE },
	{ "reuse-cmdline",	no_argument,		NULL, OPT_REUSE },
	{ "dry-run",		no_argument,		NULL, OPT_DRY_RUN },
	{ "plain",		no_argument,		NULL, OPT_PLAIN },
	{ "debug",		no_argument,		NULL, 'd' },
	{ "device",		required_argument,	NULL, OPT_DEVICE },
	{ "sysroot",		required_argument,	NULL, OPT_SYSROOT },
	{ "save-dtb",		required_argument,	NULL, 'D' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static void kx_set_action(struct kx_opts *o, enum kx_action a)
{
	if (o->action != KX_NONE && o->action != a)
		kx_bad_usage("choose one of -l, -p, -e, -u, --status, --disable, --rehearse");
	o->action = a;
}

/* Options that take effect at once; returns false when @c is not one. */
static bool kx_parse_action(struct kx_opts *o, int c)
{
	switch (c) {
	case 'l':
		kx_set_action(o, KX_LOAD);
		return true;
	case 'p':
		o->ld.crash = true;
		return true;
	case 'e':
		kx_set_action(o, KX_EXEC);
		return true;
	case 'u':
		kx_set_action(o, KX_UNLOAD);
		return true;
	case 'S':
		kx_set_action(o, KX_STATUS);
		return true;
	case OPT_DISABLE:
		kx_set_action(o, KX_DISABLE);
		return true;
	case OPT_REHEARSE:
		kx_set_action(o, KX_REHEARSE);
		return true;
	case 'h':
		kx_usage();
		exit(0);
	case 'v':
		printf(KX_PROG " (ABI %d, %s)\n", KEXEC_X_ABI_VERSION,
		       kx_arch_name());
		exit(0);
	}
	return false;
}

/* Load options; returns false when @c is not one. */
static bool kx_parse_load(struct kx_opts *o, int c)
{
	switch (c) {
	case 'c':
		o->segments = true;
		return true;
	case 's':
		o->file_syscall = true;
		return true;
	case OPT_INITRD:
		o->ld.initrd = optarg;
		return true;
	case OPT_APPEND:
		if (kx_strcat(&o->append, optarg)) {
			kx_err("out of memory");
			exit(1);
		}
		return true;
	case OPT_COMMAND_LINE:
		o->command_line = optarg;
		return true;
	case OPT_REUSE:
		o->reuse = true;
		return true;
	case OPT_NO_VERIFY:
		o->no_verify = true;
		return true;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return true;
	case OPT_PLAIN:
		o->plain = true;
		return true;
	}
	return false;
}

static bool kx_parse_other(struct kx_opts *o, int c)
{
	switch (c) {
	case 'd':
		o->ld.debug = true;
		kx_debug = true;
		return true;
	case OPT_DEVICE:
		o->device = optarg;
		return true;
	case OPT_SYSROOT:
		kx_sysroot = optarg;
		return true;
	case OPT_STUB_DEBUG:
		o->stub_debug = true;
		return true;
	case 'D':
		o->save_dtb = optarg;
		return true;
	}
	return false;
}

/* Check what the options say together. */
static void kx_check_opts(struct kx_opts *o, int argc, char **argv,
			  bool load_opts)
{
	int rest = argc - optind;

	if (o->action == KX_NONE && o->ld.crash)
		o->action = KX_LOAD;	/* -p KERNEL, as kexec -p */
	if (o->action == KX_NONE)
		kx_bad_usage("nothing to do");
	if (o->action == KX_LOAD) {
		if (rest != 1)
			kx_bad_usage(rest ? "one kernel image, please" :
				     "which kernel? (-l KERNEL)");
		o->ld.kernel = argv[optind];
	} else if (rest) {
		kx_bad_usage("unexpected argument");
	}
	if (o->action != KX_LOAD && load_opts)
		kx_bad_usage("load options go with -l or -p");
	if (o->ld.crash && (o->action == KX_EXEC || o->action == KX_STATUS ||
			    o->action == KX_DISABLE))
		kx_bad_usage("-p goes with loading or -u");
	if (o->segments && o->file_syscall)
		kx_bad_usage("-c and -s exclude each other");
	if (o->plain && o->segments)
		kx_bad_usage("--plain goes with file loads, not -c");
	if (o->command_line && (o->append || o->reuse))
		kx_err("warning: --command-line replaces --append and --reuse-cmdline");
	if (o->dry_run) {
		o->ld.debug = true;
		kx_debug = true;
	}
}

static void kx_parse(struct kx_opts *o, int argc, char **argv)
{
	bool load_opts = false;
	int c;

	o->device = KEXEC_X_DEVICE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "lpeuScsdhv", kx_long_opts,
				NULL)) != -1) {
		if (kx_parse_action(o, c))
			continue;
		if (kx_parse_load(o, c)) {
			load_opts = true;
			continue;
		}
		if (kx_parse_other(o, c))
			continue;
		if (c == '?' && optopt)
			fprintf(stderr, KX_PROG ": bad option -%c\n", optopt);
		else
			fprintf(stderr, KX_PROG ": bad option %s\n",
				argv[optind - 1]);
		kx_bad_usage(NULL);
	}
	kx_check_opts(o, argc, argv, load_opts);
}

int main(int argc, char **argv)
{
	struct kx_opts o = { 0 };
	int ret = 1;

	kx_parse(&o, argc, argv);
	if (o.stub_debug && kx_set_stub_debug())
		return 1;
	switch (o.action) {
	case KX_LOAD:
		ret = kx_do_load(&o);
		break;
	case KX_EXEC:
		ret = kx_do_exec(&o);
		break;
	case KX_UNLOAD:
		ret = kx_do_unload(&o);
		break;
	case KX_STATUS:
		ret = kx_do_status(&o);
		break;
	case KX_DISABLE:
		ret = kx_do_simple(&o, KX_OP_DISABLE, KEXEC_X_IOC_DISABLE,
				   NULL);
		break;
	case KX_REHEARSE:
		ret = kx_do_rehearse(&o);
		break;
	case KX_NONE:
		break;
	}
	free(o.append);
	return ret;
}
