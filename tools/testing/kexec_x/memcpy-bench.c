// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy-bench: memcpy bandwidth in the test guest, the yardstick for the
 * relocation copy's bandwidth (bench.sh).  Copies a buffer of SIZE MiB
 * (default 64) REPS times (default 8), both buffers touched first, and
 * prints one line:
 *   memcpy bytes=B reps=R best_ns=N median_ns=M best_mbs=X median_mbs=Y
 *          [stubloop_best_mbs=S] codepages_mbs=C
 * (MB/s = 10^6 bytes per second).
 *
 * stubloop (arm64): the relocation stub's own copy loop (relocate.S) over
 * the same buffers.  codepages: memcpy() onto 8 MiB of pages that held
 * code the CPU ran just before, once.  Under QEMU's TCG every write to a
 * page with translated code goes through the emulator's slow path until
 * no translated block is left on the page; a kexec copies the new kernel
 * over the old one's text, so its relocation copy pays the same.
 * Hardware has no such cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

#ifdef __aarch64__
/* The arm64 relocation stub's copy loop (relocate.S), for comparison. */
static void stub_copy(void *dst, const void *src, size_t len)
{
	asm volatile("1:	ldp	x7, x8, [%1], #16\n"
		     "	ldp	x9, x10, [%1], #16\n"
		     "	stp	x7, x8, [%0], #16\n"
		     "	stp	x9, x10, [%0], #16\n"
		     "	subs	%2, %2, #32\n"
		     "	b.ne	1b\n"
		     : "+r" (dst), "+r" (src), "+r" (len)
		     : : "x7", "x8", "x9", "x10", "memory", "cc");
}
#endif

static void memcpy_fn(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

/* @reps copies of @len bytes by @copy, their times sorted into @ns. */
static void time_copies(void (*copy)(void *, const void *, size_t),
			char *dst, char *src, size_t len, int reps,
			long long *ns)
{
	int i;

	for (i = 0; i < reps; i++) {
		long long t0 = now_ns();

		copy(dst, src, len);
		ns[i] = now_ns() - t0;
		/* Keep the copy from being optimised away. */
		src[(i * 4096) % len] ^= dst[len - 1 - i];
	}
	qsort(ns, reps, sizeof(*ns), cmp_ll);
}

#define CODE_LEN	(8 << 20)
#define CODE_STEP	64

/*
 * Bandwidth of one memcpy() onto CODE_LEN bytes of pages in which the CPU
 * has just run a return instruction every CODE_STEP bytes; 0 if the
 * system refuses writable and executable memory.
 */
static double codepages_mbs(const char *src)
{
	char *code = mmap(NULL, CODE_LEN, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long t0, ns;
	size_t off;

	if (code == MAP_FAILED)
		return 0;
	for (off = 0; off < CODE_LEN; off += CODE_STEP) {
#if defined(__aarch64__)
		static const unsigned char ret[] = { 0xc0, 0x03, 0x5f, 0xd6 };
#else
		static const unsigned char ret[] = { 0xc3 };
#endif
		memcpy(code + off, ret, sizeof(ret));
	}
	__builtin___clear_cache(code, code + CODE_LEN);
	for (off = 0; off < CODE_LEN; off += CODE_STEP)
		((void (*)(void))(code + off))();
	t0 = now_ns();
	memcpy(code, src, CODE_LEN);
	ns = now_ns() - t0;
	munmap(code, CODE_LEN);
	return CODE_LEN * 1e3 / ns;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	int reps = argc > 2 ? atoi(argv[2]) : 8;
	size_t len = mib << 20;
	long long *ns;
	char *src, *dst;

	if (!mib || reps < 1 || reps > 1000) {
		fprintf(stderr, "usage: memcpy-bench [MiB] [reps]\n");
		return 2;
	}
	src = malloc(len);
	dst = malloc(len);
	ns = calloc(reps, sizeof(*ns));
	if (!src || !dst || !ns) {
		fprintf(stderr, "memcpy-bench: out of memory\n");
		return 1;
	}
	memset(src, 0x5a, len);
	memset(dst, 0xa5, len);
	time_copies(memcpy_fn, dst, src, len, reps, ns);
	printf("memcpy bytes=%zu reps=%d best_ns=%lld median_ns=%lld ",
	       len, reps, ns[0], ns[reps / 2]);
	printf("best_mbs=%.0f median_mbs=%.0f", len * 1e3 / ns[0],
	       len * 1e3 / ns[reps / 2]);
#ifdef __aarch64__
	time_copies(stub_copy, dst, src, len, reps, ns);
	printf(" stubloop_best_mbs=%.0f", len * 1e3 / ns[0]);
#endif
	if (len >= CODE_LEN)
		printf(" codepages_mbs=%.0f", codepages_mbs(src));
	printf("\n");
	return 0;
}
