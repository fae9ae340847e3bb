// SPDX-License-Identifier: GPL-2.0
/*
 * libkexec_x_preload.so: run an unmodified kexec-tools on top of kexec_x.
 *
 *   LD_PRELOAD=/usr/lib/kexec_x/libkexec_x_preload.so kexec -l vmlinuz ...
 *   LD_PRELOAD=/usr/lib/kexec_x/libkexec_x_preload.so kexec -e
 *
 * kexec-tools (Debian's 2.0.25 as upstream) reaches the kernel in three
 * ways, all through the C library, and this library takes each over:
 *
 *   syscall(__NR_kexec_load, entry, nr, segments, flags)
 *	-> KEXEC_X_IOC_LOAD_SEGMENTS; nr == 0 -> KEXEC_X_IOC_UNLOAD.
 *	KEXEC_ON_CRASH -> KEXEC_X_LOAD_CRASH.  The architecture bits must be
 *	the native ones (or KEXEC_ARCH_DEFAULT), as the kernel demands;
 *	KEXEC_PRESERVE_CONTEXT and the hotplug flags are refused (EINVAL).
 *   syscall(__NR_kexec_file_load, kernel_fd, initrd_fd, len, cmdline, flags)
 *	-> KEXEC_X_IOC_LOAD_FILE; KEXEC_FILE_UNLOAD -> KEXEC_X_IOC_UNLOAD,
 *	KEXEC_FILE_ON_CRASH -> KEXEC_X_LOAD_CRASH, KEXEC_FILE_NO_INITRAMFS ->
 *	initrd_fd -1, KEXEC_FILE_DEBUG is ignored.
 *   reboot(LINUX_REBOOT_CMD_KEXEC), or syscall(__NR_reboot, ...) with it
 *	-> KEXEC_X_IOC_EXEC.
 *
 * and it reads /sys/kernel/kexec_loaded and /sys/kernel/kexec_crash_loaded
 * (kexec -e refuses to run with "Nothing has been loaded!" when the first
 * reads 0; kexec -S reads either), so fopen() and open() of those files,
 * and of /sys/kernel/kexec_crash_size, answer from KEXEC_X_IOC_STATUS
 * instead.  Everything else goes to the C library untouched.
 *
 * Errors keep the meaning the kexec-tools messages expect: kexec_x's
 * errnos are the in-kernel kexec's, except ENOTTY (a module of another
 * ABI: ENOSYS, "not implemented"), EEXIST (the in-kernel kdump holds a
 * crash image: EBUSY) and ENOENT at exec (nothing loaded: EINVAL, as
 * reboot() returns).  When /dev/kexec_x cannot be opened every call fails
 * with the open's errno and says so on stderr: the in-kernel kexec is never
 * used behind the caller's back.  KEXEC_X_PRELOAD_DEBUG=1 traces each call
 * on stderr.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kexec_x.h>

/* <linux/kexec.h> and <linux/reboot.h>, spelled out: old headers lack some. */
#define KX_KEXEC_ON_CRASH		0x00000001UL
#define KX_KEXEC_ARCH_MASK		0xffff0000UL
#define KX_KEXEC_ARCH_DEFAULT		(0UL << 16)
#if defined(__x86_64__)
#define KX_KEXEC_ARCH_NATIVE		(62UL << 16)
#elif defined(__aarch64__)
#define KX_KEXEC_ARCH_NATIVE		(183UL << 16)
#else
#define KX_KEXEC_ARCH_NATIVE		KX_KEXEC_ARCH_DEFAULT
#endif
#define KX_KEXEC_FILE_UNLOAD		0x00000001UL
#define KX_KEXEC_FILE_ON_CRASH		0x00000002UL
#define KX_KEXEC_FILE_NO_INITRAMFS	0x00000004UL
#define KX_KEXEC_FILE_DEBUG		0x00000008UL
#define KX_REBOOT_CMD_KEXEC		0x45584543

#ifndef __NR_kexec_file_load
#define __NR_kexec_file_load		(-1)
#endif

/* The C library's functions we wrap, by type. */
typedef int open_fn(const char *path, int flags, ...);
typedef FILE *fopen_fn(const char *path, const char *mode);
typedef long syscall_fn(long nr, ...);
typedef int reboot_fn(int cmd);

static int kx_debug = -1;

static void kx_trace(const char *fmt, ...)
{
	va_list ap;

	if (kx_debug < 0) {
		const char *e = getenv("KEXEC_X_PRELOAD_DEBUG");

		kx_debug = e && *e && strcmp(e, "0");
	}
	if (!kx_debug)
		return;
	va_start(ap, fmt);
	fputs("kexec_x preload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The C library's version of a symbol we override. */
static void *kx_next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		fprintf(stderr, "kexec_x preload: no %s in the C library\n", name);
		abort();
	}
	return p;
}

/* ioctl on /dev/kexec_x; -1 with errno set, after saying why on stderr. */
static int kx_ioctl(unsigned long cmd, void *arg, const char *what)
{
	open_fn *real_open = kx_next("open");
	int fd, ret, err;

	fd = real_open(KEXEC_X_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		fprintf(stderr, "kexec_x preload: cannot open %s: %s (is kexec_x.ko loaded?)\n",
			KEXEC_X_DEVICE, strerror(err));
		errno = err;
		return -1;
	}
	ret = ioctl(fd, cmd, arg);
	err = errno;
	close(fd);
	if (ret < 0) {
		kx_trace("%s: %s", what, strerror(err));
		if (err == ENOTTY)
			err = ENOSYS;
		else if (err == EEXIST)
			err = EBUSY;
		errno = err;
		return -1;
	}
	kx_trace("%s: ok", what);
	return 0;
}

static long kx_unload(uint64_t flags)
{
	struct kexec_x_unload req = { .flags = flags };

	return kx_ioctl(KEXEC_X_IOC_UNLOAD, &req, "unload");
}

/* kexec_load(2): struct kexec_segment is four native words. */
struct kx_user_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static long kx_kexec_load(unsigned long entry, unsigned long nr,
			  const struct kx_user_segment *segs, unsigned long flags)
{
	struct kexec_x_segment xs[KEXEC_X_SEGMENT_MAX];
	struct kexec_x_load_segments req = { 0 };
	unsigned long arch = flags & KX_KEXEC_ARCH_MASK;
	unsigned long i;

	kx_trace("kexec_load(entry %#lx, %lu segments, flags %#lx)", entry, nr,
		 flags);
	if (arch != KX_KEXEC_ARCH_DEFAULT && arch != KX_KEXEC_ARCH_NATIVE) {
		errno = EINVAL;
		return -1;
	}
	flags &= ~KX_KEXEC_ARCH_MASK;
	if (flags & ~KX_KEXEC_ON_CRASH) {
		fprintf(stderr, "kexec_x preload: kexec_load flags %#lx: %s\n",
			flags & ~KX_KEXEC_ON_CRASH, "not supported by kexec_x");
		errno = EINVAL;
		return -1;
	}
	if (!nr)
		return kx_unload(flags & KX_KEXEC_ON_CRASH ? KEXEC_X_LOAD_CRASH : 0);
	if (nr > KEXEC_X_SEGMENT_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nr; i++) {
		xs[i].buf = (uintptr_t)segs[i].buf;
		xs[i].bufsz = segs[i].bufsz;
		xs[i].mem = (uintptr_t)segs[i].mem;
		xs[i].memsz = segs[i].memsz;
	}
	req.flags = flags & KX_KEXEC_ON_CRASH ? KEXEC_X_LOAD_CRASH : 0;
	req.entry = entry;
	req.segments = (uintptr_t)xs;
	req.nr_segments = nr;
	return kx_ioctl(KEXEC_X_IOC_LOAD_SEGMENTS, &req, "LOAD_SEGMENTS");
}

static long kx_kexec_file_load(int kernel_fd, int initrd_fd,
			       unsigned long cmdline_len, const char *cmdline,
			       unsigned long flags)
{
	struct kexec_x_load_file req = { 0 };
	char *copy = NULL;
	long ret;

	kx_trace("kexec_file_load(kernel fd %d, initrd fd %d, cmdline %lu bytes, flags %#lx)",
		 kernel_fd, initrd_fd, cmdline_len, flags);
	if (flags & ~(KX_KEXEC_FILE_UNLOAD | KX_KEXEC_FILE_ON_CRASH |
		      KX_KEXEC_FILE_NO_INITRAMFS | KX_KEXEC_FILE_DEBUG)) {
		errno = EINVAL;
		return -1;
	}
	if (flags & KX_KEXEC_FILE_ON_CRASH)
		req.flags = KEXEC_X_LOAD_CRASH;
	if (flags & KX_KEXEC_FILE_UNLOAD)
		return kx_unload(req.flags);
	req.kernel_fd = kernel_fd;
	req.initrd_fd = flags & KX_KEXEC_FILE_NO_INITRAMFS ? -1 : initrd_fd;
	/* kexec_file_load() takes an unterminated command line too. */
	if (cmdline_len && cmdline && cmdline[cmdline_len - 1]) {
		copy = malloc(cmdline_len + 1);
		if (!copy) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(copy, cmdline, cmdline_len);
		copy[cmdline_len++] = '\0';
		cmdline = copy;
	}
	req.cmdline = (uintptr_t)cmdline;
	req.cmdline_len = cmdline ? cmdline_len : 0;
	ret = kx_ioctl(KEXEC_X_IOC_LOAD_FILE, &req, "LOAD_FILE");
	free(copy);
	return ret;
}

static long kx_exec(void)
{
	struct kexec_x_exec req = { 0 };

	kx_trace("reboot(LINUX_REBOOT_CMD_KEXEC)");
	fflush(NULL);
	if (kx_ioctl(KEXEC_X_IOC_EXEC, &req, "EXEC") && errno == ENOENT)
		errno = EINVAL;
	return -1;
}

long syscall(long nr, ...)
{
	syscall_fn *real = kx_next("syscall");
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr == __NR_kexec_load)
		return kx_kexec_load(a[0], a[1], (const void *)a[2], a[3]);
	if (nr == __NR_kexec_file_load)
		return kx_kexec_file_load(a[0], a[1], a[2], (const char *)a[3],
					  a[4]);
	if (nr == __NR_reboot && (int)a[2] == KX_REBOOT_CMD_KEXEC)
		return kx_exec();
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int reboot(int cmd)
{
	reboot_fn *real = kx_next("reboot");

	if (cmd == KX_REBOOT_CMD_KEXEC)
		return kx_exec();
	return real(cmd);
}

/* ---- the sysfs files kexec-tools reads ---- */

enum { KX_F_LOADED, KX_F_CRASH_LOADED, KX_F_CRASH_SIZE, KX_F_NONE };

static int kx_file_of(const char *path)
{
	if (!path)
		return KX_F_NONE;
	if (!strcmp(path, "/sys/kernel/kexec_loaded"))
		return KX_F_LOADED;
	if (!strcmp(path, "/sys/kernel/kexec_crash_loaded"))
		return KX_F_CRASH_LOADED;
	if (!strcmp(path, "/sys/kernel/kexec_crash_size"))
		return KX_F_CRASH_SIZE;
	return KX_F_NONE;
}

/*
 * A read-only file descriptor holding what kexec_x says for @which, or -1
 * if kexec_x cannot be asked (the caller then opens the real file).
 */
static int kx_fake_fd(int which)
{
	open_fn *real_open = kx_next("open");
	struct kexec_x_status st;
	char text[32];
	int dev, fd, len;

	dev = real_open(KEXEC_X_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	memset(&st, 0, sizeof(st));
	if (ioctl(dev, KEXEC_X_IOC_STATUS, &st) < 0) {
		close(dev);
		return -1;
	}
	close(dev);
	switch (which) {
	case KX_F_LOADED:
		len = snprintf(text, sizeof(text), "%d\n",
			       st.image.kind != KEXEC_X_KIND_NONE);
		break;
	case KX_F_CRASH_LOADED:
		len = snprintf(text, sizeof(text), "%d\n",
			       st.crash.kind != KEXEC_X_KIND_NONE);
		break;
	default:
		len = snprintf(text, sizeof(text), "%llu\n",
			       (unsigned long long)st.crash_size);
		break;
	}
	fd = memfd_create("kexec_x-status", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != len || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return -1;
	}
	kx_trace("answered %s", text);
	return fd;
}

static FILE *kx_fopen(const char *real_name, const char *path,
		      const char *mode)
{
	fopen_fn *real = kx_next(real_name);
	int which = kx_file_of(path), fd;
	FILE *f;

	if (which == KX_F_NONE || strpbrk(mode, "wa+"))
		return real(path, mode);
	fd = kx_fake_fd(which);
	if (fd < 0)
		return real(path, mode);
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	return kx_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	return kx_fopen("fopen64", path, mode);
}

static int kx_open(const char *real_name, const char *path, int flags,
		   va_list ap)
{
	open_fn *real = kx_next(real_name);
	int which = kx_file_of(path), fd;
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	if (which != KX_F_NONE && (flags & O_ACCMODE) == O_RDONLY) {
		fd = kx_fake_fd(which);
		if (fd >= 0)
			return fd;
	}
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int ret;

	va_start(ap, flags);
	ret = kx_open("open", path, flags, ap);
	va_end(ap);
	return ret;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int ret;

	va_start(ap, flags);
	ret = kx_open("open64", path, flags, ap);
	va_end(ap);
	return ret;
}
