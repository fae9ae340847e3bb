// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy-bench: memcpy bandwidth in the test guest, the yardstick for the
 * relocation copy's bandwidth (bench.sh).  Copies a buffer of SIZE MiB
 * (default 64) REPS times (default 8), both buffers touched first, and
 * prints one line:
 *   memcpy bytes=B reps=R best_ns=N median_ns=M best_mbs=X median_mbs=Y
 * (MB/s = 10^6 bytes per second).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	int reps = argc > 2 ? atoi(argv[2]) : 8, i;
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
	for (i = 0; i < reps; i++) {
		long long t0 = now_ns();

		memcpy(dst, src, len);
		ns[i] = now_ns() - t0;
		/* Keep the copy from being optimised away. */
		src[(i * 4096) % len] ^= dst[len - 1 - i];
	}
	qsort(ns, reps, sizeof(*ns), cmp_ll);
	printf("memcpy bytes=%zu reps=%d best_ns=%lld median_ns=%lld ",
	       len, reps, ns[0], ns[reps / 2]);
	printf("best_mbs=%.0f median_mbs=%.0f\n", len * 1e3 / ns[0],
	       len * 1e3 / ns[reps / 2]);
	return 0;
}
