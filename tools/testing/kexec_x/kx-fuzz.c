// SPDX-License-Identifier: GPL-2.0
/*
 * kx-fuzz - a structure-aware fuzzer of /dev/kexec_x, for the guest.
 *
 *   kx-fuzz [--seed S] [--calls N] [--procs P] [--kernel BZIMAGE]
 *           [--file-permille F]
 *
 * P processes (default 4) make N ioctl calls in all (default 10000), each
 * with its own PRNG seeded from S and its index, so a run is reproducible
 * as far as the scheduler allows (the seed of every process is printed;
 * --procs 1 replays one exactly).  Each call is one of:
 *
 *   - LOAD_SEGMENTS with mutated fields: 0..17 segments drawn around the
 *     guest's System RAM (from /proc/iomem) and around the edges that the
 *     checks care about (page alignment, overlap, wrap-around, 0 and huge
 *     sizes), good and bad user pointers (NULL, kernel addresses, a page
 *     that is not mapped, a structure that runs into it), random flags and
 *     reserved words;
 *   - LOAD_FILE with real and broken kernels (--kernel, a copy of it with
 *     its setup header mutated, truncated copies, random bytes, empty
 *     files, /dev/null, a directory, a pipe, closed and random fds) and
 *     mutated command line, DTB and reserved fields; F per mille of the
 *     calls (default 20) are LOAD_FILE;
 *   - UNLOAD, STATUS, and EXEC with a non-zero flags or reserved word (so
 *     that it must be refused: a fuzzer must not reboot its guest);
 *   - random ioctl numbers: kexec_x's magic with random number, size and
 *     direction, or 32 random bits, with random bytes or a random value as
 *     the argument (never DISABLE, which would end the run's coverage, and
 *     EXEC only with non-zero flags).
 *
 * A documented ioctl that fails must fail with an errno the uapi header
 * documents for it; anything else is counted as a finding and printed.
 * A load that succeeds must show in STATUS.  The last line is
 * "kx-fuzz: N calls, N findings" and the exit status is non-zero when
 * there were findings.  Kernel-side checks (KASAN, UBSAN, lockdep,
 * kmemleak, oopses) are the caller's: it scans the console.
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
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kexec_x.h>

#define PAGE 4096ULL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(e) (1ULL << (e))

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int permille)
{
	return below(1000) < permille;
}

/* An "interesting" 64-bit value: edges first, random bits otherwise. */
static uint64_t edge64(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 7, 8, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 1ULL << 20,
		1ULL << 21, 1ULL << 30, 1ULL << 31, 1ULL << 32, (1ULL << 32) - 1,
		1ULL << 46, 1ULL << 47, 1ULL << 52, 1ULL << 63, ~0ULL, ~0ULL - 1,
		~0ULL - PAGE + 1, 0x7fffffffffffffffULL, 0xffff800000000000ULL,
		0xffffffff80000000ULL,
	};

	if (chance(700))
		return v[below(ARRAY_SIZE(v))];
	return rnd() >> below(64);
}

static uint64_t ram_start, ram_end;	/* the largest System RAM range */
static int kernel_fd = -1;		/* --kernel, read only */
static size_t kernel_size;
static const char *kernel_path;
static char *mapped;			/* PAGE mapped, then PAGE unmapped */
static char *bigbuf;			/* 64 KiB of random bytes */
#define BIGBUF (64 * 1024)

static long ncalls, nfindings, nloaded;
static long nerr[256];

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void finding(const char *fmt, ...)
{
	va_list ap;

	nfindings++;
	printf("kx-fuzz: FINDING [pid %d]: ", getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Parse /proc/iomem for the largest top-level System RAM range. */
static void find_ram(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	unsigned long long s, e;

	if (!f) {
		perror("kx-fuzz: /proc/iomem");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) != 2)
			continue;
		if (e + 1 - s > ram_end - ram_start) {
			ram_start = s;
			ram_end = e + 1;
		}
	}
	fclose(f);
	if (ram_end - ram_start < (64ULL << 20)) {
		fprintf(stderr, "kx-fuzz: no System RAM range of 64 MiB (run as root?)\n");
		exit(2);
	}
}

/* A user pointer: mostly good, sometimes NULL, kernel, unmapped or random. */
static uint64_t user_ptr(void *good, size_t len)
{
	switch (below(20)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff81000000ULL;		/* kernel text */
	case 2:
		return (uintptr_t)mapped + PAGE;	/* unmapped page */
	case 3:
		/* Runs from the mapped page into the unmapped one. */
		return (uintptr_t)mapped + PAGE - (len ? below(len) + 1 : 1);
	case 4:
		return rnd();
	default:
		return (uintptr_t)good;
	}
}

/* A physical address around System RAM, or an edge value. */
static uint64_t phys_addr(void)
{
	uint64_t a;

	switch (below(10)) {
	case 0:
		return edge64();
	case 1:
		return ram_end - below(16) * PAGE;
	case 2:
		return ram_start + below(ram_end - ram_start);	/* unaligned */
	case 3:
		return below(1ULL << 20) & ~(PAGE - 1);		/* low MiB */
	default:
		a = ram_start + below((ram_end - ram_start) / PAGE) * PAGE;
		return a;
	}
}

static uint64_t seg_size(void)
{
	switch (below(8)) {
	case 0:
		return edge64();
	case 1:
		return below(3 * PAGE);
	default:
		return (below(16) + 1) * PAGE;
	}
}

/* The errnos the uapi header documents, per ioctl: bit n of a mask. */
enum {
	X_EPERM, X_EFAULT, X_EINVAL, X_EBUSY, X_EADDRNOTAVAIL, X_ENOMEM,
	X_EINTR, X_EOPNOTSUPP, X_ENOENT, X_EEXIST, X_EBADF, X_ENOEXEC, X_EFBIG,
	X_ETXTBSY,
};

static const int errno_of[] = {
	[X_EPERM] = EPERM, [X_EFAULT] = EFAULT, [X_EINVAL] = EINVAL,
	[X_EBUSY] = EBUSY, [X_EADDRNOTAVAIL] = EADDRNOTAVAIL,
	[X_ENOMEM] = ENOMEM, [X_EINTR] = EINTR, [X_EOPNOTSUPP] = EOPNOTSUPP,
	[X_ENOENT] = ENOENT, [X_EEXIST] = EEXIST, [X_EBADF] = EBADF,
	[X_ENOEXEC] = ENOEXEC, [X_EFBIG] = EFBIG, [X_ETXTBSY] = ETXTBSY,
};

#define E(x) BIT(X_##x)
static const uint64_t common_errs = E(EPERM) | E(EFAULT) | E(EINVAL) | E(EBUSY);
static const uint64_t load_errs = E(EADDRNOTAVAIL) | E(ENOMEM) | E(EINTR) |
				  E(EOPNOTSUPP) | E(ENOENT) | E(EEXIST);
static const uint64_t file_errs = E(EBADF) | E(ENOEXEC) | E(EFBIG) | E(ETXTBSY);

static int allowed_errno(int err, uint64_t allowed)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_of); i++)
		if ((allowed & BIT(i)) && errno_of[i] == err)
			return 1;
	return 0;
}

static void check_errno(const char *what, int ret, int err, uint64_t allowed)
{
	ncalls++;
	if (ret == 0)
		return;
	nerr[err & 255]++;
	if (!allowed_errno(err, allowed))
		finding("%s: undocumented errno %d (%s)", what, err, strerror(err));
}

static void check_loaded(int dev, const char *what, uint64_t flags)
{
	struct kexec_x_status st;

	nloaded++;
	memset(&st, 0, sizeof(st));
	if (ioctl(dev, KEXEC_X_IOC_STATUS, &st)) {
		/* Another process may hold the slot: nothing to check. */
		if (errno != EBUSY && errno != EINTR)
			finding("STATUS after %s: errno %d", what, errno);
		return;
	}
	/*
	 * Another process may have unloaded it since: only a kind that is
	 * not one of the documented ones is wrong.
	 */
	if ((flags & KEXEC_X_LOAD_CRASH ? st.crash.kind : st.image.kind) > KEXEC_X_KIND_FILE)
		finding("STATUS after %s: kind %u", what,
			flags & KEXEC_X_LOAD_CRASH ? st.crash.kind : st.image.kind);
}

static uint64_t load_flags(void)
{
	if (chance(700))
		return 0;
	if (chance(500))
		return KEXEC_X_LOAD_CRASH;
	return BIT(below(64)) | (chance(300) ? rnd() : 0);
}

static void fuzz_load_segments(int dev)
{
	static struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX + 2];
	struct kexec_x_load_segments req;
	unsigned int i, nr;
	uint64_t base = phys_addr() & ~(PAGE - 1);
	int ret;

	nr = chance(800) ? below(4) + 1 : below(KEXEC_X_SEGMENT_MAX + 2);
	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		struct kexec_x_segment *s = &segs[i];

		s->memsz = seg_size();
		s->bufsz = chance(800) ? below(s->memsz + 1) : edge64();
		s->buf = user_ptr(bigbuf, s->bufsz < BIGBUF ? s->bufsz : BIGBUF);
		if (s->bufsz > BIGBUF && s->buf == (uintptr_t)bigbuf && chance(900))
			s->bufsz = BIGBUF;
		/* Mostly one after the other from base, sometimes anywhere. */
		s->mem = chance(700) ? base : phys_addr();
		base = s->mem + s->memsz;
		if (chance(50))
			base -= PAGE;			/* overlap */
	}
	memset(&req, 0, sizeof(req));
	req.flags = load_flags();
	req.nr_segments = nr;
	req.segments = user_ptr(segs, nr * sizeof(segs[0]));
	req.entry = chance(800) && nr ? segs[below(nr)].mem + below(PAGE) : phys_addr();
	req.arg = rnd();
	if (chance(30))
		req.reserved0 = rnd();
	if (chance(30))
		req.reserved[below(4)] = edge64();

	ret = ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS,
		    chance(980) ? (void *)&req : (void *)(uintptr_t)user_ptr(&req, sizeof(req)));
	check_errno("LOAD_SEGMENTS", ret, errno, common_errs | load_errs);
	if (!ret)
		check_loaded(dev, "LOAD_SEGMENTS", req.flags);
}

/* Files for LOAD_FILE, made once per process. */
static int fds[16];
static int nfds;
static int mutant_fd = -1;		/* a copy of --kernel, header mutated */
static unsigned int file_permille = 20;

static int tmpfile_with(const void *buf, size_t len)
{
	char name[] = "/tmp/kx-fuzz-XXXXXX";
	int fd = mkstemp(name);

	if (fd < 0) {
		perror("kx-fuzz: mkstemp");
		exit(2);
	}
	unlink(name);
	if (len && write(fd, buf, len) != (ssize_t)len) {
		perror("kx-fuzz: write");
		exit(2);
	}
	return fd;
}

static void make_files(void)
{
	static const size_t cuts[] = { 1, 512, 0x1f1, 0x268, 4096, 65536 };
	int p[2];
	size_t i;

	fds[nfds++] = tmpfile_with(NULL, 0);			/* empty */
	fds[nfds++] = tmpfile_with(bigbuf, BIGBUF);		/* random */
	fds[nfds++] = open("/dev/null", O_RDONLY);
	fds[nfds++] = open("/", O_RDONLY | O_DIRECTORY);
	if (!pipe(p))
		fds[nfds++] = p[0];
	fds[nfds++] = open("/proc/self/status", O_RDONLY);
	fds[nfds++] = tmpfile_with(bigbuf, 100);		/* tiny "initrd" */
	if (kernel_fd < 0)
		return;
	/* Truncated copies of the kernel. */
	for (i = 0; i < ARRAY_SIZE(cuts) && nfds < (int)ARRAY_SIZE(fds) - 2; i++) {
		char buf[65536];
		ssize_t n = pread(kernel_fd, buf, cuts[i], 0);

		if (n > 0)
			fds[nfds++] = tmpfile_with(buf, n);
	}
	if (nfds < (int)ARRAY_SIZE(fds))
		fds[nfds++] = kernel_fd;
}

/* A fresh copy of --kernel with 1..8 bytes of its setup header changed. */
static int mutate_kernel(void)
{
	static char *copy;
	char name[] = "/tmp/kx-fuzz-k-XXXXXX";
	unsigned int i, n = below(8) + 1;
	int fd;

	if (kernel_fd < 0)
		return -1;
	if (!copy) {
		copy = malloc(kernel_size);
		if (!copy || pread(kernel_fd, copy, kernel_size, 0) != (ssize_t)kernel_size) {
			perror("kx-fuzz: reading --kernel");
			exit(2);
		}
	}
	if (mutant_fd >= 0)
		close(mutant_fd);
	fd = mkstemp(name);
	if (fd < 0)
		return -1;
	unlink(name);
	/* Mutate the copy in memory, write it, then undo the mutation. */
	{
		size_t off[8];
		char old[8];

		for (i = 0; i < n; i++) {
			off[i] = chance(800) ? 0x1f1 + below(0x268 - 0x1f1) : below(kernel_size);
			old[i] = copy[off[i]];
			copy[off[i]] = chance(500) ? (char)rnd() : (char)(old[i] ^ BIT(below(8)));
		}
		if (write(fd, copy, kernel_size) != (ssize_t)kernel_size) {
			close(fd);
			fd = -1;
		}
		while (i--)
			copy[off[i]] = old[i];
	}
	mutant_fd = fd;
	return fd;
}

static int pick_fd(int real_permille)
{
	if (kernel_fd >= 0 && chance(real_permille))
		return kernel_fd;
	switch (below(12)) {
	case 0:
		return -1;
	case 1:
		return (int)rnd();
	case 2:
		return 1000;				/* not open */
	case 3:
		return mutate_kernel();
	default:
		return fds[below(nfds)];
	}
}

static void fuzz_load_file(int dev)
{
	static char cmdline[KEXEC_X_CMDLINE_MAX + 16];
	struct kexec_x_load_file req;
	size_t len;
	int ret;

	memset(&req, 0, sizeof(req));
	req.flags = load_flags();
	req.kernel_fd = pick_fd(100);
	req.initrd_fd = chance(500) ? -1 : pick_fd(0);
	len = chance(800) ? below(64) : below(sizeof(cmdline));
	memset(cmdline, 'a' + below(26), len);
	cmdline[len] = 0;
	if (chance(50))
		cmdline[len] = 'x';			/* no NUL at cmdline_len - 1 */
	req.cmdline = user_ptr(cmdline, len + 1);
	req.cmdline_len = chance(800) ? len + 1 : edge64();
	if (chance(30))
		req.cmdline_len = 0;
	if (chance(50)) {
		req.flags |= KEXEC_X_LOAD_DTB;
		req.dtb = user_ptr(bigbuf, BIGBUF);
		req.dtb_len = chance(500) ? below(BIGBUF) : edge64();
	} else if (chance(30)) {
		req.dtb = rnd();
		req.dtb_len = edge64();
	}
	if (chance(30))
		req.reserved[below(2)] = edge64();

	ret = ioctl(dev, KEXEC_X_IOC_LOAD_FILE, &req);
	check_errno("LOAD_FILE", ret, errno, common_errs | load_errs | file_errs);
	if (!ret)
		check_loaded(dev, "LOAD_FILE", req.flags);
}

static void fuzz_unload(int dev)
{
	struct kexec_x_unload req;
	int ret;

	memset(&req, 0, sizeof(req));
	req.flags = chance(800) ? (chance(500) ? KEXEC_X_LOAD_CRASH : 0) : edge64();
	if (chance(50))
		req.reserved[below(3)] = edge64();
	ret = ioctl(dev, KEXEC_X_IOC_UNLOAD,
		    chance(950) ? (void *)&req : (void *)(uintptr_t)user_ptr(&req, sizeof(req)));
	check_errno("UNLOAD", ret, errno, common_errs);
}

static void fuzz_status(int dev)
{
	static struct kexec_x_status st;
	int ret;

	ret = ioctl(dev, KEXEC_X_IOC_STATUS,
		    chance(800) ? (void *)&st : (void *)(uintptr_t)user_ptr(&st, sizeof(st)));
	check_errno("STATUS", ret, errno, common_errs | E(ENOMEM) | E(EINTR));
	if (!ret && st.abi_version != KEXEC_X_ABI_VERSION)
		finding("STATUS: abi_version %u", st.abi_version);
}

/* EXEC, always with something non-zero: it must be refused. */
static void fuzz_exec(int dev)
{
	struct kexec_x_exec req;
	int ret;

	memset(&req, 0, sizeof(req));
	if (chance(500))
		req.flags = edge64() | BIT(below(64));
	else
		req.reserved[below(3)] = edge64() | BIT(below(64));
	ret = ioctl(dev, KEXEC_X_IOC_EXEC,
		    chance(900) ? (void *)&req : (void *)((uintptr_t)mapped + PAGE));
	if (!ret) {
		finding("EXEC with non-zero flags/reserved returned 0");
		return;
	}
	check_errno("EXEC", ret, errno, E(EINVAL) | E(EFAULT) | E(EPERM));
}

/* Any ioctl number; never DISABLE, EXEC only with non-zero fields. */
static void fuzz_random(int dev)
{
	static uint64_t buf[512];
	unsigned long cmd;
	size_t i;
	void *arg;

	if (chance(700))
		cmd = _IOC(below(4), KEXEC_X_IOC_MAGIC, below(16),
			   chance(500) ? below(512) : below(1 << 14));
	else
		cmd = (unsigned int)rnd();
	if (cmd == KEXEC_X_IOC_DISABLE)
		return;
	for (i = 0; i < ARRAY_SIZE(buf); i++)
		buf[i] = chance(500) ? 0 : edge64();
	buf[0] |= 1;	/* flags: EXEC is refused, loads are refused too */
	arg = chance(800) ? (void *)buf : (void *)(uintptr_t)user_ptr(buf, sizeof(buf));
	if (cmd == KEXEC_X_IOC_EXEC)
		arg = buf;
	errno = 0;
	if (!ioctl(dev, cmd, arg) && cmd == KEXEC_X_IOC_EXEC)
		finding("random EXEC returned 0");
	ncalls++;
	nerr[errno & 255]++;
}

static void child(int dev_shared, uint64_t seed, long calls)
{
	int dev = dev_shared;
	long i;

	rng_state = seed ? seed : 1;
	for (i = 0; i < BIGBUF; i++)
		bigbuf[i] = (char)rnd();
	make_files();
	for (i = 0; i < calls; i++) {
		unsigned int r = below(1000);

		/* Now and then a fresh fd of our own. */
		if (chance(5)) {
			if (dev != dev_shared)
				close(dev);
			dev = open(KEXEC_X_DEVICE, O_RDWR);
			if (dev < 0) {
				finding("open: errno %d", errno);
				dev = dev_shared;
			}
		}
		if (r < file_permille)
			fuzz_load_file(dev);
		else if (r < 450)
			fuzz_load_segments(dev);
		else if (r < 600)
			fuzz_unload(dev);
		else if (r < 700)
			fuzz_status(dev);
		else if (r < 750)
			fuzz_exec(dev);
		else
			fuzz_random(dev);
	}
	printf("kx-fuzz: pid %d errnos:", getpid());
	for (i = 0; i < 256; i++)
		if (nerr[i])
			printf(" %ld=%ld", i, nerr[i]);
	printf("\n");
	fflush(stdout);
	/* Leave nothing loaded. */
	{
		struct kexec_x_unload u = { 0 };

		ioctl(dev, KEXEC_X_IOC_UNLOAD, &u);
		u.flags = KEXEC_X_LOAD_CRASH;
		ioctl(dev, KEXEC_X_IOC_UNLOAD, &u);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	long calls = 10000;
	int procs = 4, dev, i, status, bad = 0;
	long total = 0, findings = 0, loaded = 0;
	int pipes[64][2];
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			calls = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
			kernel_path = argv[++i];
		else if (!strcmp(argv[i], "--file-permille") && i + 1 < argc)
			file_permille = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: kx-fuzz [--seed S] [--calls N] [--procs P] [--kernel BZIMAGE] [--file-permille F]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 64 || calls < 1) {
		fprintf(stderr, "kx-fuzz: bad --procs or --calls\n");
		return 2;
	}
	find_ram();
	if (kernel_path) {
		kernel_fd = open(kernel_path, O_RDONLY);
		if (kernel_fd < 0 || fstat(kernel_fd, &st)) {
			perror(kernel_path);
			return 2;
		}
		kernel_size = st.st_size;
	}
	mapped = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bigbuf = malloc(BIGBUF);
	if (mapped == MAP_FAILED || !bigbuf || munmap(mapped + PAGE, PAGE)) {
		perror("kx-fuzz: memory");
		return 2;
	}
	dev = open(KEXEC_X_DEVICE, O_RDWR);
	if (dev < 0) {
		perror("kx-fuzz: " KEXEC_X_DEVICE);
		return 2;
	}
	printf("kx-fuzz: seed %" PRIu64 ", %ld calls, %d processes, RAM %#" PRIx64 "-%#" PRIx64 ", kernel %s\n",
	       seed, calls, procs, ram_start, ram_end, kernel_path ? kernel_path : "(none)");
	fflush(stdout);

	for (i = 0; i < procs; i++) {
		long n = calls / procs + (i < calls % procs);
		uint64_t s = seed * 1000003ULL + i;
		pid_t pid;

		if (pipe(pipes[i])) {
			perror("kx-fuzz: pipe");
			return 2;
		}
		pid = fork();
		if (pid < 0) {
			perror("kx-fuzz: fork");
			return 2;
		}
		if (!pid) {
			long res[3];

			close(pipes[i][0]);
			printf("kx-fuzz: process %d: seed %" PRIu64 ", %ld calls\n", i, s, n);
			fflush(stdout);
			child(dev, s, n);
			res[0] = ncalls;
			res[1] = nfindings;
			res[2] = nloaded;
			if (write(pipes[i][1], res, sizeof(res)) != sizeof(res))
				_exit(3);
			_exit(0);
		}
		close(pipes[i][1]);
	}
	for (i = 0; i < procs; i++) {
		long res[3] = { 0 };

		if (read(pipes[i][0], res, sizeof(res)) != sizeof(res))
			bad++;
		total += res[0];
		findings += res[1];
		loaded += res[2];
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	if (bad) {
		printf("kx-fuzz: FINDING: %d processes did not finish cleanly\n", bad);
		findings += bad;
	}
	printf("kx-fuzz: %ld successful loads\n", loaded);
	printf("kx-fuzz: %ld calls, %ld findings\n", total, findings);
	return findings ? 1 : 0;
}
