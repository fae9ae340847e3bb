// SPDX-License-Identifier: GPL-2.0
/*
 * kx-stress - load, unload and status loops on /dev/kexec_x, for the guest.
 *
 *   kx-stress cycles N [KERNEL]
 *       N rounds of LOAD_SEGMENTS (1 to 4 segments, up to 64 pages, in
 *       System RAM), STATUS, UNLOAD, one process; every 200th round loads
 *       KERNEL with LOAD_FILE instead when given.  Every call must succeed.
 *   kx-stress parallel LOADERS READERS ROUNDS [KERNEL]
 *       LOADERS processes each do ROUNDS load/unload rounds (EBUSY is
 *       allowed: they share one slot), READERS processes read STATUS in a
 *       loop until the loaders are done.  Every process must finish within
 *       120 s (a stuck lock) and see only documented errnos.
 *   kx-stress hold SECONDS [KERNEL]
 *       keep /dev/kexec_x open for SECONDS, loading KERNEL (or segments)
 *       over and over, for "rmmod while in use".
 *   kx-stress faults ROUNDS [KERNEL]
 *       with fault injection armed for this process (/proc/self/make-it-fail;
 *       the caller sets up failslab and fail_page_alloc in debugfs), load
 *       ROUNDS times: each load succeeds or fails with ENOMEM (EFAULT or
 *       EINTR when the failed allocation was the kernel's own), and a failed
 *       load leaves the slot as it was (empty).  Prints how many failed.
 *
 * The last line is "kx-stress: MODE ok ..." or "kx-stress: MODE FAIL ...";
 * the exit status says the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/kexec_x.h>

#define PAGE 4096ULL

static uint64_t ram_start, ram_end;
static const char *kernel;
static char buf[64 * PAGE];
static int dev = -1;
static unsigned int seed = 1;

static void die(const char *mode, const char *what, int err)
{
	printf("kx-stress: %s FAIL: %s: %s (errno %d)\n", mode, what,
	       strerror(err), err);
	fflush(stdout);
	exit(1);
}

static void find_ram(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	unsigned long long s, e;

	if (!f)
		die("init", "/proc/iomem", errno);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 &&
		    e + 1 - s > ram_end - ram_start) {
			ram_start = s;
			ram_end = e + 1;
		}
	}
	fclose(f);
	if (ram_end - ram_start < (256ULL << 20))
		die("init", "no System RAM range of 256 MiB", ENOENT);
}

static unsigned int rnd(unsigned int n)
{
	return rand_r(&seed) % n;
}

/* 1 to 4 segments of 1 to 16 pages, in the upper half of the RAM range. */
static int load_segments(void)
{
	struct kexec_x_segment s[4];
	struct kexec_x_load_segments req = { 0 };
	uint64_t at = ram_start + (ram_end - ram_start) / 2 +
		      (uint64_t)rnd(1024) * PAGE * 16;
	unsigned int i, nr = rnd(4) + 1;

	for (i = 0; i < nr; i++) {
		s[i].memsz = (rnd(16) + 1) * PAGE;
		s[i].bufsz = rnd(s[i].memsz + 1);
		s[i].buf = (uintptr_t)buf;
		s[i].mem = at;
		at += s[i].memsz + PAGE * rnd(2);
	}
	req.entry = s[0].mem;
	req.segments = (uintptr_t)s;
	req.nr_segments = nr;
	return ioctl(dev, KEXEC_X_IOC_LOAD_SEGMENTS, &req) ? errno : 0;
}

static int open_kernel(void)
{
	int fd = open(kernel, O_RDONLY);

	if (fd < 0)
		die("load", kernel, errno);
	return fd;
}

static int load_file_fd(int fd)
{
	static const char cmdline[] = "console=ttyS0 kx-stress";
	struct kexec_x_load_file req = { 0 };

	req.kernel_fd = fd;
	req.initrd_fd = -1;
	req.cmdline = (uintptr_t)cmdline;
	req.cmdline_len = sizeof(cmdline);
	return ioctl(dev, KEXEC_X_IOC_LOAD_FILE, &req) ? errno : 0;
}

static int load_file(void)
{
	int fd = open_kernel(), ret;

	ret = load_file_fd(fd);
	close(fd);
	return ret;
}

static int unload(void)
{
	struct kexec_x_unload u = { 0 };

	return ioctl(dev, KEXEC_X_IOC_UNLOAD, &u) ? errno : 0;
}

static int loaded_kind(void)
{
	struct kexec_x_status st;

	memset(&st, 0, sizeof(st));
	if (ioctl(dev, KEXEC_X_IOC_STATUS, &st))
		return -errno;
	return st.image.kind;
}

static void open_dev(void)
{
	dev = open(KEXEC_X_DEVICE, O_RDWR);
	if (dev < 0)
		die("open", KEXEC_X_DEVICE, errno);
}

static int run_cycles(long n)
{
	long i, files = 0;
	int err;

	for (i = 0; i < n; i++) {
		int file = kernel && i % 200 == 199;

		err = file ? load_file() : load_segments();
		if (err)
			die("cycles", file ? "LOAD_FILE" : "LOAD_SEGMENTS", err);
		files += file;
		if (loaded_kind() != (file ? KEXEC_X_KIND_FILE : KEXEC_X_KIND_SEGMENTS))
			die("cycles", "STATUS does not show the image", EPROTO);
		err = unload();
		if (err)
			die("cycles", "UNLOAD", err);
		if (loaded_kind() != KEXEC_X_KIND_NONE)
			die("cycles", "STATUS shows an image after UNLOAD", EPROTO);
	}
	printf("kx-stress: cycles ok: %ld load/unload cycles (%ld file loads)\n", n, files);
	return 0;
}

static int run_loader(long rounds, int id)
{
	long i, busy = 0;
	int err;

	seed = 1000 + id;
	open_dev();
	for (i = 0; i < rounds; i++) {
		err = kernel && rnd(50) == 0 ? load_file() : load_segments();
		if (err == EBUSY) {
			busy++;
			continue;
		}
		if (err)
			die("parallel", "load", err);
		err = unload();
		if (err && err != EBUSY)
			die("parallel", "UNLOAD", err);
	}
	printf("kx-stress: loader %d: %ld rounds, %ld EBUSY\n", id, rounds, busy);
	return 0;
}

static int run_reader(void)
{
	long n = 0;

	open_dev();
	for (;;) {
		int k = loaded_kind();

		if (k < 0 && k != -EBUSY && k != -EINTR)
			die("parallel", "STATUS", -k);
		if (k > KEXEC_X_KIND_FILE)
			die("parallel", "STATUS kind", EPROTO);
		n++;
		if (getppid() == 1)
			break;
		if (n % 64 == 0 && kill(getppid(), 0))
			break;
	}
	return 0;
}

static int run_parallel(int loaders, int readers, long rounds)
{
	pid_t lp[64], rp[64];
	int i, status, bad = 0;
	time_t t0 = time(NULL);

	if (loaders > 64 || readers > 64)
		die("parallel", "at most 64 of each", EINVAL);
	for (i = 0; i < readers; i++) {
		rp[i] = fork();
		if (!rp[i])
			_exit(run_reader());
	}
	for (i = 0; i < loaders; i++) {
		lp[i] = fork();
		if (!lp[i])
			_exit(run_loader(rounds, i));
	}
	for (i = 0; i < loaders; i++) {
		/* A stuck lock shows as a loader that never finishes. */
		for (;;) {
			pid_t r = waitpid(lp[i], &status, WNOHANG);

			if (r == lp[i])
				break;
			if (time(NULL) - t0 > 120) {
				printf("kx-stress: parallel FAIL: loader %d still running after 120 s (stuck lock?)\n", i);
				return 1;
			}
			usleep(100000);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	for (i = 0; i < readers; i++) {
		kill(rp[i], SIGTERM);
		waitpid(rp[i], &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status))
			bad++;
	}
	open_dev();
	if (loaded_kind() != KEXEC_X_KIND_NONE)
		unload();
	if (bad) {
		printf("kx-stress: parallel FAIL: %d processes failed\n", bad);
		return 1;
	}
	printf("kx-stress: parallel ok: %d loaders x %ld rounds, %d status readers, %ld s\n",
	       loaders, rounds, readers, (long)(time(NULL) - t0));
	return 0;
}

static int run_hold(int seconds)
{
	time_t t0 = time(NULL);
	long n = 0;

	open_dev();
	printf("kx-stress: hold: device open\n");
	fflush(stdout);
	while (time(NULL) - t0 < seconds) {
		int err = kernel ? load_file() : load_segments();

		if (err && err != EBUSY)
			die("hold", "load", err);
		n++;
	}
	unload();
	printf("kx-stress: hold ok: %ld loads in %d s\n", n, seconds);
	return 0;
}

/*
 * /proc/self/make-it-fail, opened once before anything is armed: opening it
 * allocates, and would fail itself once armed.
 */
static int fail_fd = -1;

static int make_it_fail(int on)
{
	int tries;

	if (fail_fd < 0)
		fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
	if (fail_fd < 0)
		return -1;
	/* Disarming must not give up because of the faults it ends. */
	for (tries = 0; tries < 1000; tries++)
		if (pwrite(fail_fd, on ? "1" : "0", 1, 0) == 1)
			return 0;
	return -1;
}

static int run_faults(long rounds)
{
	long i, failed = 0, okays = 0;
	int err, file, fd;

	open_dev();
	if (make_it_fail(0))
		die("faults", "/proc/self/make-it-fail (CONFIG_FAULT_INJECTION_DEBUG_FS?)", errno);
	for (i = 0; i < rounds; i++) {
		file = kernel && i % 4 == 3;
		/* Armed for the ioctl only: open() allocates too. */
		fd = file ? open_kernel() : -1;
		if (make_it_fail(1))
			die("faults", "/proc/self/make-it-fail (CONFIG_FAULT_INJECTION_DEBUG_FS?)", errno);
		err = file ? load_file_fd(fd) : load_segments();
		if (make_it_fail(0))
			die("faults", "cannot disarm /proc/self/make-it-fail", errno);
		if (fd >= 0)
			close(fd);
		if (!err) {
			okays++;
			if (loaded_kind() <= KEXEC_X_KIND_NONE)
				die("faults", "a successful load is not in STATUS", EPROTO);
			err = unload();
			if (err)
				die("faults", "UNLOAD", err);
			continue;
		}
		if (err != ENOMEM && err != EFAULT && err != EINTR)
			die("faults", file ? "LOAD_FILE: undocumented errno under fault injection" :
			    "LOAD_SEGMENTS: undocumented errno under fault injection", err);
		failed++;
		if (loaded_kind() != KEXEC_X_KIND_NONE)
			die("faults", "a failed load left an image behind", EPROTO);
	}
	if (!failed) {
		printf("kx-stress: faults FAIL: no load failed: fault injection is not armed\n");
		return 1;
	}
	/* Disarmed, a load works again. */
	err = load_segments();
	if (err || unload())
		die("faults", "a load after the faults", err);
	printf("kx-stress: faults ok: %ld loads, %ld failed cleanly, %ld succeeded\n",
	       rounds, failed, okays);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: kx-stress cycles N [KERNEL] | parallel LOADERS READERS ROUNDS [KERNEL] | hold SECONDS [KERNEL] | faults ROUNDS [KERNEL]\n");
		return 2;
	}
	find_ram();
	memset(buf, 0x5a, sizeof(buf));
	if (!strcmp(argv[1], "cycles")) {
		kernel = argc > 3 ? argv[3] : NULL;
		open_dev();
		ret = run_cycles(atol(argv[2]));
	} else if (!strcmp(argv[1], "parallel") && argc >= 5) {
		kernel = argc > 5 ? argv[5] : NULL;
		ret = run_parallel(atoi(argv[2]), atoi(argv[3]), atol(argv[4]));
	} else if (!strcmp(argv[1], "hold")) {
		kernel = argc > 3 ? argv[3] : NULL;
		ret = run_hold(atoi(argv[2]));
	} else if (!strcmp(argv[1], "faults")) {
		kernel = argc > 3 ? argv[3] : NULL;
		ret = run_faults(atol(argv[2]));
	} else {
		fprintf(stderr, "kx-stress: unknown mode %s\n", argv[1]);
		return 2;
	}
	fflush(stdout);
	return ret;
}
