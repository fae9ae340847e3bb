// SPDX-License-Identifier: GPL-2.0
/*
 * refusals - every refusal of kexec_x's ioctls, through the real device.
 *
 * Run as root in a guest with kexec_x.ko loaded (it never executes an
 * image).  For each bad request it checks the documented errno, that
 * nothing is left loaded, and that a good load still works afterwards.
 * Output is KTAP; the last line is "# refusals: N passed, N failed".
 *
 *   refusals [--kernel BZIMAGE] [--no-crash-reservation]
 *
 * --kernel adds the file-load refusals (truncated and garbage kernels are
 * made from it); --no-crash-reservation says the guest was booted without
 * crashkernel=, so a crash load must fail with ENOENT.  The one-way
 * DISABLE latch is tried last: the module must be reloaded after a run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/kexec_x.h>

#define PAGE 4096ULL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int dev = -1;
static int passed, failed, tests;
static uint64_t ram_start;	/* a page-aligned System RAM area */
static uint64_t ram_size;	/* of at least 64 MiB */
static uint64_t mmio_addr;	/* a page that is not System RAM */
static char page[PAGE];

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %d %s", ok ? "ok" : "not ok", tests, name);
	if (!ok && fmt) {
		printf(" # ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
}

static int status(struct kexec_x_status *st)
{
	memset(st, 0, sizeof(*st));
	return ioctl(dev, KEXEC_X_IOC_STATUS, st);
}

static int nothing_loaded(void)
{
	struct kexec_x_status st;

	return !status(&st) && st.image.kind == KEXEC_X_KIND_NONE &&
	       st.crash.kind == KEXEC_X_KIND_NONE;
}

static int load_segs(struct kexec_x_segment *s, unsigned int nr,
		     uint64_t entry, uint64_t flags)
{
	struct kexec_x_load_segments req = {
		.flags = flags,
		.entry = entry,
		.segments = (uintptr_t)s,
		.nr_segments = nr,
	};

	return ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS, &req) ? errno : 0;
}

static int unload(uint64_t flags)
{
	struct kexec_x_unload u = { .flags = flags };

	return ioctl(dev, KEXEC_X_IOC_UNLOAD, &u) ? errno : 0;
}

/* A good one-page load, then unload: the module is still usable. */
static int still_usable(void)
{
	struct kexec_x_segment s = {
		.buf = (uintptr_t)page, .bufsz = PAGE,
		.mem = ram_start, .memsz = PAGE,
	};

	return !load_segs(&s, 1, ram_start, 0) && !unload(0) &&
	       nothing_loaded();
}

static void expect(const char *name, int err, int want)
{
	int clean = nothing_loaded();
	int usable = still_usable();

	if (err == want && clean && usable)
		result(1, name, NULL);
	else
		result(0, name, "errno %d (%s), want %d (%s)%s%s", err,
		       strerror(err), want, strerror(want),
		       clean ? "" : ", something left loaded",
		       usable ? "" : ", module no longer loads a good image");
}

/* ---- raw segment refusals ---- */

struct seg_case {
	const char *name;
	int want;
	unsigned int nr;
	uint64_t flags;
	int entry_outside;
	struct { int64_t mem_off; uint64_t memsz, bufsz; int bad_buf; } seg[2];
};

#define MB (1ULL << 20)

#define SEG(_off, _memsz, _bufsz) \
	{ .mem_off = (_off), .memsz = (_memsz), .bufsz = (_bufsz) }

static const struct seg_case seg_cases[] = {
	{ .name = "segments: none", .want = EINVAL, .nr = 0 },
	{ .name = "segments: 17", .want = EINVAL, .nr = 17 },
	{ .name = "segments: unknown flag", .want = EINVAL, .nr = 1,
	  .flags = 1ULL << 40, .seg = { SEG(0, PAGE, PAGE) } },
	{ .name = "segments: mem not page aligned", .want = EADDRNOTAVAIL,
	  .nr = 1, .seg = { SEG(0x800, PAGE, PAGE) } },
	{ .name = "segments: memsz not page aligned", .want = EADDRNOTAVAIL,
	  .nr = 1, .seg = { SEG(0, PAGE + 1, PAGE) } },
	{ .name = "segments: memsz zero", .want = EINVAL, .nr = 1,
	  .seg = { SEG(0, 0, 0) } },
	{ .name = "segments: bufsz above memsz", .want = EINVAL, .nr = 1,
	  .seg = { SEG(0, PAGE, 2 * PAGE) } },
	{ .name = "segments: overlap", .want = EINVAL, .nr = 2,
	  .seg = { SEG(0, 2 * PAGE, PAGE), SEG(PAGE, PAGE, PAGE) } },
	{ .name = "segments: entry outside", .want = EINVAL, .nr = 1,
	  .entry_outside = 1, .seg = { SEG(0, PAGE, PAGE) } },
	{ .name = "segments: unreadable buffer", .want = EFAULT, .nr = 1,
	  .seg = { { .memsz = PAGE, .bufsz = PAGE, .bad_buf = 1 } } },
};

static void run_seg_case(const struct seg_case *c)
{
	struct kexec_x_segment s[17] = { 0 };
	unsigned int i;

	for (i = 0; i < 17; i++) {
		int k = i < 2 ? i : 0;

		s[i].mem = ram_start + c->seg[k].mem_off + (i >= 2 ? i * PAGE : 0);
		s[i].memsz = c->seg[k].memsz ? c->seg[k].memsz : (i ? PAGE : 0);
		s[i].bufsz = c->seg[k].bufsz;
		s[i].buf = c->seg[k].bad_buf ? 16 : (uintptr_t)page;
	}
	expect(c->name, load_segs(s, c->nr, c->entry_outside ?
				  ram_start + ram_size : ram_start, c->flags),
	       c->want);
}

static void seg_limits(void)
{
	struct kexec_x_segment s = { .buf = (uintptr_t)page, .bufsz = PAGE };
	struct kexec_x_load_segments req = { .nr_segments = 1 };
	long pages = sysconf(_SC_PHYS_PAGES);

	s.mem = 0xfffffffffffff000ULL;
	s.memsz = 2 * PAGE;
	expect("segments: mem + memsz wraps", load_segs(&s, 1, s.mem, 0),
	       EADDRNOTAVAIL);

	s.mem = 1ULL << 62;
	s.memsz = PAGE;
	expect("segments: above the physical address limit",
	       load_segs(&s, 1, s.mem, 0), EADDRNOTAVAIL);

	s.mem = mmio_addr;
	expect("segments: not System RAM", load_segs(&s, 1, s.mem, 0),
	       EADDRNOTAVAIL);

	s.mem = PAGE * 256;	/* 1 MiB: RAM starts below, whatever */
	s.memsz = ((uint64_t)pages * PAGE / 2 + 16 * MB) & ~(PAGE - 1);
	s.bufsz = 0;
	expect("segments: larger than half of RAM", load_segs(&s, 1, s.mem, 0),
	       EINVAL);

	req.segments = (uintptr_t)&s;
	req.reserved[2] = 1;
	s.mem = ram_start;
	s.memsz = PAGE;
	expect("segments: reserved field set",
	       ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS, &req) ? errno : 0, EINVAL);
	req.reserved[2] = 0;
	req.reserved0 = 1;
	expect("segments: reserved0 set",
	       ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS, &req) ? errno : 0, EINVAL);

	req.reserved0 = 0;
	req.segments = 16;
	expect("segments: unreadable segment array",
	       ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS, &req) ? errno : 0, EFAULT);
}

/* ---- valid edge cases: these must load ---- */

static void seg_valid(void)
{
	struct kexec_x_segment s[2] = {
		{ (uintptr_t)page, PAGE, ram_start, PAGE },
		{ (uintptr_t)page, 0, ram_start + PAGE, 4 * PAGE },
	};
	int err = load_segs(s, 2, ram_start + PAGE, 0);
	struct kexec_x_status st;
	int ok = !err && !status(&st) && st.image.kind == KEXEC_X_KIND_SEGMENTS &&
		 st.image.nr_segments == 2 && st.image.entry == ram_start + PAGE &&
		 st.image.total_bytes == 5 * PAGE;

	result(ok, "segments: adjacent, bufsz 0, entry in the second", ok ?
	       NULL : "errno %d, kind %u, nr %u", err, st.image.kind,
	       st.image.nr_segments);
	result(!unload(0) && nothing_loaded(), "unload frees the image",
	       "still loaded");
	result(!unload(0), "unload of an empty slot succeeds", "failed");
}

/* ---- crash loads ---- */

static void crash_refusals(int have_reservation)
{
	struct kexec_x_segment s = {
		(uintptr_t)page, PAGE, ram_start, PAGE,
	};
	struct kexec_x_status st;

	if (!have_reservation) {
		expect("crash: no crashkernel= reservation",
		       load_segs(&s, 1, ram_start, KEXEC_X_LOAD_CRASH), ENOENT);
		return;
	}
	status(&st);
	/* A segment outside the reservation. */
	s.mem = st.crash_base >= ram_start + 2 * PAGE ? ram_start :
		st.crash_base + st.crash_size;
	expect("crash: segment outside the reservation",
	       load_segs(&s, 1, s.mem, KEXEC_X_LOAD_CRASH), EADDRNOTAVAIL);
}

/* ---- file loads ---- */

static int tmpfile_with(const void *buf, size_t len)
{
	int fd = memfd_create("kx", 0);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return -1;
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int load_file(int kfd, int ifd, const char *cmd, uint64_t cmdlen,
		     uint64_t flags)
{
	struct kexec_x_load_file req = {
		.flags = flags, .kernel_fd = kfd, .initrd_fd = ifd,
		.cmdline = (uintptr_t)cmd, .cmdline_len = cmdlen,
	};

	return ioctl(dev, KEXEC_X_IOC_LOAD_FILE, &req) ? errno : 0;
}

static int load_dtb(int kfd, int ifd, const char *cmd, uint64_t cmdlen,
		    uint64_t flags, const void *dtb, uint64_t dtb_len)
{
	struct kexec_x_load_file req = {
		.flags = flags, .kernel_fd = kfd, .initrd_fd = ifd,
		.cmdline = (uintptr_t)cmd, .cmdline_len = cmdlen,
		.dtb = (uintptr_t)dtb, .dtb_len = dtb_len,
	};

	return ioctl(dev, KEXEC_X_IOC_LOAD_FILE, &req) ? errno : 0;
}

/* The running kernel's device tree, malloc'ed; NULL if there is none. */
static void *read_fdt(size_t *len)
{
	static char buf[KEXEC_X_DTB_MAX];
	int fd = open("/sys/firmware/fdt", O_RDONLY);
	ssize_t n = 0, r;
	void *p;

	if (fd < 0)
		return NULL;
	while ((r = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += r;
	close(fd);
	p = n > 0 ? malloc(n) : NULL;
	if (p)
		memcpy(p, buf, n);
	*len = n;
	return p;
}

/*
 * Rename /chosen property @name in @fdt by changing the last letter of
 * its name in the strings block, so a lookup no longer finds it.
 */
static void hide_prop(char *fdt, size_t len, const char *name)
{
	size_t n = strlen(name) + 1;
	char *p = memmem(fdt, len, name, n);

	if (p)
		p[n - 2] ^= 0x20;
}

/*
 * KEXEC_X_LOAD_DTB: refused everywhere it does not belong; on arm64 the
 * module checks the tree the loader built.  Returns the running tree for
 * the good load (arm64), or NULL.
 */
static void *dtb_refusals(int kfd, int have_res, size_t *fdt_len)
{
	struct kexec_x_segment s = {
		(uintptr_t)page, PAGE, ram_start, PAGE,
	};
	struct kexec_x_unload u = { .flags = KEXEC_X_LOAD_DTB };
	char *fdt, *bad;
	size_t len;
	int ifd;

	expect("segments: KEXEC_X_LOAD_DTB",
	       load_segs(&s, 1, ram_start, KEXEC_X_LOAD_DTB), EINVAL);
	expect("unload: KEXEC_X_LOAD_DTB",
	       ioctl(dev, KEXEC_X_IOC_UNLOAD, &u) ? errno : 0, EINVAL);
	expect("file: dtb without KEXEC_X_LOAD_DTB",
	       load_dtb(kfd, -1, NULL, 0, 0, page, 0), EINVAL);
	expect("file: dtb_len without KEXEC_X_LOAD_DTB",
	       load_dtb(kfd, -1, NULL, 0, 0, NULL, 64), EINVAL);
	expect("file: KEXEC_X_LOAD_DTB with dtb_len 0",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, page, 0), EINVAL);
	expect("file: dtb_len above KEXEC_X_DTB_MAX",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, page,
			KEXEC_X_DTB_MAX + 1), EINVAL);
#ifndef __aarch64__
	expect("file: KEXEC_X_LOAD_DTB on x86_64",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, page, PAGE),
	       EINVAL);
	(void)have_res;
	(void)fdt_len;
	(void)fdt;
	(void)bad;
	(void)len;
	(void)ifd;
	(void)hide_prop;
	(void)read_fdt;
	return NULL;
#else
	expect("file: arm64 without KEXEC_X_LOAD_DTB",
	       load_file(kfd, -1, NULL, 0, 0), EINVAL);
	fdt = read_fdt(&len);
	if (!fdt) {
		result(0, "file: read /sys/firmware/fdt", "%s", strerror(errno));
		return NULL;
	}
	bad = malloc(len);
	memcpy(bad, fdt, len);
	bad[0] ^= 1;
	expect("file: DTB with a bad magic",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, bad, len), EINVAL);
	expect("file: DTB shorter than its totalsize",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, fdt, 64), EINVAL);
	expect("file: unreadable DTB",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB,
			(const void *)16, 64), EFAULT);
	memcpy(bad, fdt, len);
	/* The structure block's offset (big endian at 8) past the end. */
	bad[8] = 0x7f;
	expect("file: DTB structure block out of range",
	       load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, bad, len), EINVAL);
	expect("file: DTB bootargs differ from the command line",
	       load_dtb(kfd, -1, "kx-differs", 11, KEXEC_X_LOAD_DTB, fdt, len),
	       EINVAL);
	memcpy(bad, fdt, len);
	hide_prop(bad, len, "linux,initrd-start");
	ifd = tmpfile_with(page, PAGE);
	expect("file: initrd without a linux,initrd-start placeholder",
	       load_dtb(kfd, ifd, NULL, 0, KEXEC_X_LOAD_DTB, bad, len),
	       EINVAL);
	close(ifd);
	if (have_res)
		expect("file: crash load without a linux,elfcorehdr placeholder",
		       load_dtb(kfd, -1, NULL, 0,
				KEXEC_X_LOAD_DTB | KEXEC_X_LOAD_CRASH, fdt, len),
		       EINVAL);
	free(bad);
	*fdt_len = len;
	return fdt;
#endif
}

static void file_refusals(const char *kernel, int have_res)
{
	void *fdt = NULL;
	size_t fdt_len = 0;
	static char garbage[64 * 1024];
	static char longcmd[KEXEC_X_CMDLINE_MAX + 16];
	struct stat sb;
	char *img;
	int kfd, fd;

	memset(garbage, 0x5a, sizeof(garbage));
	fd = tmpfile_with(garbage, sizeof(garbage));
	expect("file: garbage kernel", load_file(fd, -1, NULL, 0, 0), ENOEXEC);
	close(fd);

	fd = tmpfile_with(garbage, 0);
	expect("file: empty kernel", load_file(fd, -1, NULL, 0, 0), ENOEXEC);
	close(fd);

	kfd = open(kernel, O_RDONLY);
	if (kfd < 0 || fstat(kfd, &sb)) {
		result(0, "file: open the test kernel", "%s", strerror(errno));
		return;
	}
	img = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, kfd, 0);
	if (img == MAP_FAILED) {
		result(0, "file: map the test kernel", "%s", strerror(errno));
		return;
	}
#ifdef __aarch64__
	/* An Image shorter than image_size is fine; its header is not. */
	fd = tmpfile_with(img, 32);
	expect("file: Image truncated in its header",
	       load_file(fd, -1, NULL, 0, 0), ENOEXEC);
	close(fd);
#else
	fd = tmpfile_with(img, 0x400);
	expect("file: kernel truncated in the setup header",
	       load_file(fd, -1, NULL, 0, 0), ENOEXEC);
	close(fd);
	fd = tmpfile_with(img, sb.st_size / 2);
	expect("file: kernel truncated in the payload",
	       load_file(fd, -1, NULL, 0, 0), ENOEXEC);
	close(fd);
#endif

	expect("file: bad kernel fd", load_file(1000, -1, NULL, 0, 0), EBADF);
	expect("file: bad initrd fd", load_file(kfd, 1000, NULL, 0, 0), EBADF);
	expect("file: initrd fd -2", load_file(kfd, -2, NULL, 0, 0), EBADF);
	expect("file: command line without NUL",
	       load_file(kfd, -1, "console", 7, 0), EINVAL);
	memset(longcmd, 'x', sizeof(longcmd));
	longcmd[sizeof(longcmd) - 1] = 0;
	expect("file: command line too long",
	       load_file(kfd, -1, longcmd, sizeof(longcmd), 0), EINVAL);
	expect("file: unknown flag", load_file(kfd, -1, NULL, 0, 1ULL << 9),
	       EINVAL);
	expect("file: unreadable command line",
	       load_file(kfd, -1, (const char *)16, 8, 0), EFAULT);

	fdt = dtb_refusals(kfd, have_res, &fdt_len);
	if (fdt)	/* arm64: with the running tree, bootargs as they are */
		result(!load_dtb(kfd, -1, NULL, 0, KEXEC_X_LOAD_DTB, fdt,
				 fdt_len) && !unload(0),
		       "file: a good kernel loads and unloads", "%s",
		       strerror(errno));
	else
		result(!load_file(kfd, -1, "quiet", 6, 0) && !unload(0),
		       "file: a good kernel loads and unloads", "%s",
		       strerror(errno));
	free(fdt);
	munmap(img, sb.st_size);
	close(kfd);
}

/* ---- everything else ---- */

static void misc_refusals(void)
{
	struct kexec_x_exec ex = { 0 };
	struct kexec_x_unload u = { .reserved = { 1 } };

	expect("exec: nothing loaded",
	       ioctl(dev, KEXEC_X_IOC_EXEC, &ex) ? errno : 0, ENOENT);
	ex.flags = 1;
	expect("exec: unknown flag",
	       ioctl(dev, KEXEC_X_IOC_EXEC, &ex) ? errno : 0, EINVAL);
	expect("unload: reserved field set",
	       ioctl(dev, KEXEC_X_IOC_UNLOAD, &u) ? errno : 0, EINVAL);
	expect("unknown ioctl", ioctl(dev, _IO(KEXEC_X_IOC_MAGIC, 0x7f)) ?
	       errno : 0, ENOTTY);
	expect("STATUS with a wrong size",
	       ioctl(dev, _IOR(KEXEC_X_IOC_MAGIC, 0x05, uint64_t), page) ?
	       errno : 0, ENOTTY);
}

/* Without CAP_SYS_BOOT, in a child: open and every ioctl give EPERM. */
static void no_cap(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	struct kexec_x_status st;
	int pipefd[2], res[2] = { -1, -1 };
	pid_t pid;

	if (pipe(pipefd))
		return;
	pid = fork();
	if (!pid) {
		syscall(SYS_capget, &hdr, data);
		data[CAP_SYS_BOOT / 32].effective &= ~(1U << (CAP_SYS_BOOT % 32));
		data[CAP_SYS_BOOT / 32].permitted &= ~(1U << (CAP_SYS_BOOT % 32));
		if (syscall(SYS_capset, &hdr, data))
			_exit(2);
		res[0] = ioctl(dev, KEXEC_X_IOC_STATUS, &st) ? errno : 0;
		res[1] = open(KEXEC_X_DEVICE, O_RDWR) < 0 ? errno : 0;
		if (write(pipefd[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	if (read(pipefd[0], res, sizeof(res)) != sizeof(res))
		res[0] = res[1] = -1;
	result(res[0] == EPERM, "no CAP_SYS_BOOT: ioctl", "errno %d", res[0]);
	result(res[1] == EPERM, "no CAP_SYS_BOOT: open", "errno %d", res[1]);
}

/* The one-way latch; last, since only rmmod clears it. */
static void disabled(void)
{
	struct kexec_x_segment s = {
		(uintptr_t)page, PAGE, ram_start, PAGE,
	};
	struct kexec_x_status st;

	result(!load_segs(&s, 1, ram_start, 0), "latch: load before DISABLE",
	       "failed");
	result(!ioctl(dev, KEXEC_X_IOC_DISABLE), "latch: DISABLE", "%s",
	       strerror(errno));
	result(load_segs(&s, 1, ram_start, 0) == EPERM,
	       "latch: load refused with EPERM", "not refused");
	result(!status(&st) && (st.flags & KEXEC_X_STATUS_LOAD_DISABLED) &&
	       st.image.kind == KEXEC_X_KIND_SEGMENTS,
	       "latch: STATUS shows it, the image stays", "flags %#x", st.flags);
	result(!unload(0) && nothing_loaded(), "latch: unload still works",
	       "failed");
	result(system("echo 0 > /sys/module/kexec_x/parameters/load_disabled 2>/dev/null") != 0,
	       "latch: load_disabled cannot be cleared", "it was cleared");
}

/* A System RAM range of 64 MiB or more, and an address outside RAM. */
static int find_memory(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uint64_t s, e;

		if (line[0] == ' ' || sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2)
			continue;
		if (strstr(line, "System RAM") && e - s + 1 >= 64 * MB &&
		    !ram_size) {
			ram_start = (s + 16 * MB) & ~(PAGE - 1);
			ram_size = 32 * MB;
		} else if (!strstr(line, "System RAM") && !mmio_addr &&
			   s >= 0xc0000000ULL && e - s + 1 >= PAGE) {
			mmio_addr = (s + PAGE - 1) & ~(PAGE - 1);
		}
	}
	fclose(f);
	return ram_size && mmio_addr ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *kernel = NULL;
	int have_res = 1, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
			kernel = argv[++i];
		else if (!strcmp(argv[i], "--no-crash-reservation"))
			have_res = 0;
	}
	printf("KTAP version 1\n");
	dev = open(KEXEC_X_DEVICE, O_RDWR);
	if (dev < 0 || find_memory()) {
		printf("Bail out! %s: %s\n", KEXEC_X_DEVICE,
		       dev < 0 ? strerror(errno) : "no usable memory layout");
		return 1;
	}
	memset(page, 0xa5, sizeof(page));
	if (!still_usable()) {
		printf("Bail out! a good one-page image does not load\n");
		return 1;
	}
	for (i = 0; i < (int)ARRAY_SIZE(seg_cases); i++)
		run_seg_case(&seg_cases[i]);
	seg_limits();
	seg_valid();
	crash_refusals(have_res);
	if (kernel)
		file_refusals(kernel, have_res);
	misc_refusals();
	no_cap();
	disabled();
	printf("1..%d\n", tests);
	printf("# refusals: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
