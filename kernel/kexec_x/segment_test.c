// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kx_check_segments(): every refusal of a segment list, with
 * its errno, the order in which the checks apply, and the valid edge cases
 * next to each refusal.
 *
 * The machine the tests describe (all numbers are physical addresses):
 *
 *   RAM    [0x00100000, 0x38000000)  [0x39000000, 0x40000000)
 *   limit  0x40000000 (dest_limit)
 *   crash  [0x20000000, 0x22000000) for the crash image cases
 *   max    64 MiB for one segment and for all of them together
 */

#include <kunit/test.h>

#include "kimage.h"

#define MIB			(1024ULL * 1024)
#define PG			KX_PAGE_SIZE
#define TEST_LIMIT		0x40000000ULL
#define TEST_MAX_BYTES		(64 * MIB)
#define TEST_HOLE		0x38000000ULL	/* [0x38000000, 0x39000000) */
#define TEST_CRASH_START	0x20000000ULL
#define TEST_CRASH_END		0x22000000ULL
#define BASE			0x01000000ULL	/* some RAM */

struct test_range {
	u64 start;
	u64 end;
};

static const struct test_range test_ram[] = {
	{ 0x00100000ULL, TEST_HOLE },
	{ 0x39000000ULL, TEST_LIMIT },
};

/* [start, end) is RAM when it lies inside one RAM range. */
static bool test_is_ram(void *ctx, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(test_ram); i++)
		if (start >= test_ram[i].start && end <= test_ram[i].end)
			return true;
	return false;
}

/**
 * struct seg_case - one segment list and what kx_check_segments() says
 * @name:  parameter name
 * @segs:  the list (room for one segment too many)
 * @nr:    number of segments passed
 * @gen:   if non-zero, @segs is @gen contiguous pages from BASE instead
 * @entry: entry point
 * @crash: check as a crash image
 * @no_ram_check: pass a NULL is_ram
 * @err:   expected return value
 */
struct seg_case {
	const char *name;
	struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX + 1];
	unsigned int nr;
	unsigned int gen;
	u64 entry;
	bool crash;
	bool no_ram_check;
	int err;
};

/*
 * A segment whose buffer fills it (run_case() sets bufsz to memsz), and one
 * with its own bufsz; the user address does not matter.
 */
#define BUF_FULL		(~0ULL)
#define SEG(m, sz)		{ .buf = 0x1000, .bufsz = BUF_FULL, .mem = (m), .memsz = (sz) }
#define SEGB(b, m, sz)		{ .buf = 0x1000, .bufsz = (b), .mem = (m), .memsz = (sz) }

static const struct seg_case refusals[] = {
	/* Count: checked before anything else is looked at. */
	{ "nr_zero", { SEG(BASE, PG) }, 0, 0, BASE, false, false, -EINVAL },
	{ "nr_above_max", {}, KEXEC_X_SEGMENT_MAX + 1, KEXEC_X_SEGMENT_MAX + 1,
	  BASE, false, false, -EINVAL },

	/* Alignment, wrap and limit: -EADDRNOTAVAIL. */
	{ "mem_unaligned", { SEG(BASE + 0x800, PG) }, 1, 0, BASE + 0x800,
	  false, false, -EADDRNOTAVAIL },
	{ "mem_off_by_one", { SEG(BASE + 1, PG) }, 1, 0, BASE + 1,
	  false, false, -EADDRNOTAVAIL },
	{ "memsz_unaligned", { SEGB(0x10, BASE, PG + 0x10) }, 1, 0, BASE,
	  false, false, -EADDRNOTAVAIL },
	{ "wraps", { SEG(0xfffffffffffff000ULL, 2 * PG) }, 1, 0,
	  0xfffffffffffff000ULL, false, false, -EADDRNOTAVAIL },
	{ "wraps_to_zero", { SEG(0xfffffffffffff000ULL, PG) }, 1, 0,
	  0xfffffffffffff000ULL, false, false, -EADDRNOTAVAIL },
	{ "ends_past_limit", { SEG(TEST_LIMIT - PG, 2 * PG) }, 1, 0,
	  TEST_LIMIT - PG, false, false, -EADDRNOTAVAIL },
	{ "starts_at_limit", { SEG(TEST_LIMIT, PG) }, 1, 0, TEST_LIMIT,
	  false, false, -EADDRNOTAVAIL },
	{ "second_above_limit", { SEG(BASE, PG), SEG(TEST_LIMIT + PG, PG) }, 2,
	  0, BASE, false, false, -EADDRNOTAVAIL },

	/* Sizes: -EINVAL. */
	{ "memsz_zero", { SEGB(0, BASE, 0) }, 1, 0, BASE, false, false,
	  -EINVAL },
	{ "bufsz_above_memsz", { SEGB(PG + 1, BASE, PG) }, 1, 0, BASE,
	  false, false, -EINVAL },

	/* Overlap: -EINVAL, whatever the order of the segments. */
	{ "overlap_partial", { SEG(BASE, 2 * PG), SEG(BASE + PG, 2 * PG) }, 2,
	  0, BASE, false, false, -EINVAL },
	{ "overlap_partial_reversed",
	  { SEG(BASE + PG, 2 * PG), SEG(BASE, 2 * PG) }, 2, 0, BASE,
	  false, false, -EINVAL },
	{ "overlap_contained", { SEG(BASE, 4 * PG), SEG(BASE + PG, PG) }, 2, 0,
	  BASE, false, false, -EINVAL },
	{ "overlap_identical", { SEG(BASE, PG), SEG(BASE, PG) }, 2, 0, BASE,
	  false, false, -EINVAL },
	{ "overlap_first_and_last",
	  { SEG(BASE, 2 * PG), SEG(BASE + 8 * PG, PG),
	    SEG(BASE + PG, PG) }, 3, 0, BASE, false, false, -EINVAL },

	/* Half of RAM, here max_bytes: -EINVAL. */
	{ "segment_above_max", { SEG(BASE, TEST_MAX_BYTES + PG) }, 1, 0, BASE,
	  false, false, -EINVAL },
	{ "total_above_max",
	  { SEG(BASE, TEST_MAX_BYTES / 2),
	    SEG(BASE + TEST_MAX_BYTES, TEST_MAX_BYTES / 2 + PG) }, 2, 0, BASE,
	  false, false, -EINVAL },

	/* Crash image outside the reservation: -EADDRNOTAVAIL. */
	{ "crash_below", { SEG(TEST_CRASH_START - PG, PG) }, 1, 0,
	  TEST_CRASH_START - PG, true, false, -EADDRNOTAVAIL },
	{ "crash_straddles_start", { SEG(TEST_CRASH_START - PG, 2 * PG) }, 1,
	  0, TEST_CRASH_START, true, false, -EADDRNOTAVAIL },
	{ "crash_straddles_end", { SEG(TEST_CRASH_END - PG, 2 * PG) }, 1, 0,
	  TEST_CRASH_END - PG, true, false, -EADDRNOTAVAIL },
	{ "crash_second_outside",
	  { SEG(TEST_CRASH_START, PG), SEG(BASE, PG) }, 2, 0,
	  TEST_CRASH_START, true, false, -EADDRNOTAVAIL },

	/* Not System RAM: -EADDRNOTAVAIL. */
	{ "not_ram_hole", { SEG(TEST_HOLE, PG) }, 1, 0, TEST_HOLE, false,
	  false, -EADDRNOTAVAIL },
	{ "not_ram_straddle", { SEG(TEST_HOLE - PG, 2 * PG) }, 1, 0,
	  TEST_HOLE - PG, false, false, -EADDRNOTAVAIL },
	{ "not_ram_low", { SEG(0, PG) }, 1, 0, 0, false, false,
	  -EADDRNOTAVAIL },

	/* Entry outside every segment: -EINVAL. */
	{ "entry_outside", { SEG(BASE, PG) }, 1, 0, BASE + 2 * PG, false,
	  false, -EINVAL },
	{ "entry_at_end", { SEG(BASE, PG) }, 1, 0, BASE + PG, false, false,
	  -EINVAL },
	{ "entry_below", { SEG(BASE, PG) }, 1, 0, BASE - 1, false, false,
	  -EINVAL },
	{ "entry_between", { SEG(BASE, PG), SEG(BASE + 2 * PG, PG) }, 2, 0,
	  BASE + PG, false, false, -EINVAL },

	/* Several faults at once: the first check in kimage.h's order wins. */
	{ "order_align_before_memsz_zero",
	  { SEGB(0, BASE, 0), SEG(BASE + 0x10 * PG + 8, PG) }, 2, 0, BASE,
	  false, false, -EADDRNOTAVAIL },
	{ "order_limit_before_bufsz",
	  { SEGB(2 * PG, BASE, PG), SEG(TEST_LIMIT, PG) }, 2, 0, BASE,
	  false, false, -EADDRNOTAVAIL },
	{ "order_overlap_before_ram",
	  { SEG(TEST_HOLE, PG), SEG(TEST_HOLE, PG) }, 2, 0, TEST_HOLE,
	  false, false, -EINVAL },
	{ "order_size_before_crash",
	  { SEG(BASE, TEST_MAX_BYTES + PG) }, 1, 0, BASE, true, false,
	  -EINVAL },
	{ "order_ram_before_entry", { SEG(TEST_HOLE, PG) }, 1, 0, BASE,
	  false, false, -EADDRNOTAVAIL },
};

static const struct seg_case accepted[] = {
	{ "one_page", { SEG(BASE, PG) }, 1, 0, BASE, false, false, 0 },
	{ "adjacent", { SEG(BASE, PG), SEG(BASE + PG, PG) }, 2, 0, BASE + PG,
	  false, false, 0 },
	{ "adjacent_reversed", { SEG(BASE + PG, PG), SEG(BASE, PG) }, 2, 0,
	  BASE, false, false, 0 },
	{ "ends_at_limit", { SEG(TEST_LIMIT - 2 * PG, 2 * PG) }, 1, 0,
	  TEST_LIMIT - 1, false, false, 0 },
	{ "ends_at_hole", { SEG(TEST_HOLE - PG, PG) }, 1, 0, TEST_HOLE - PG,
	  false, false, 0 },
	{ "bufsz_zero", { SEGB(0, BASE, 4 * PG) }, 1, 0, BASE, false, false,
	  0 },
	{ "bufsz_partial", { SEGB(PG + 17, BASE, 2 * PG) }, 1, 0, BASE + 5,
	  false, false, 0 },
	{ "bufsz_equals_memsz", { SEGB(2 * PG, BASE, 2 * PG) }, 1, 0, BASE,
	  false, false, 0 },
	{ "segment_exactly_max", { SEG(BASE, TEST_MAX_BYTES) }, 1, 0, BASE,
	  false, false, 0 },
	{ "total_exactly_max",
	  { SEG(BASE, TEST_MAX_BYTES / 2),
	    SEG(BASE + TEST_MAX_BYTES, TEST_MAX_BYTES / 2) }, 2, 0, BASE,
	  false, false, 0 },
	{ "max_segments", {}, KEXEC_X_SEGMENT_MAX, KEXEC_X_SEGMENT_MAX,
	  BASE + (KEXEC_X_SEGMENT_MAX - 1) * PG, false, false, 0 },
	{ "entry_last_byte", { SEG(BASE, 2 * PG) }, 1, 0, BASE + 2 * PG - 1,
	  false, false, 0 },
	{ "entry_in_last_segment",
	  { SEG(BASE, PG), SEG(BASE + 4 * PG, PG), SEG(BASE + 8 * PG, PG) },
	  3, 0, BASE + 8 * PG + 0x123, false, false, 0 },
	{ "crash_whole_reservation",
	  { SEG(TEST_CRASH_START, TEST_CRASH_END - TEST_CRASH_START) }, 1, 0,
	  TEST_CRASH_START, true, false, 0 },
	{ "crash_inside", { SEG(TEST_CRASH_START + PG, PG),
			    SEG(TEST_CRASH_END - PG, PG) }, 2, 0,
	  TEST_CRASH_END - 1, true, false, 0 },
	{ "normal_outside_crash", { SEG(BASE, PG) }, 1, 0, BASE, false, false,
	  0 },
	{ "ram_unchecked", { SEG(TEST_HOLE, PG) }, 1, 0, TEST_HOLE, false,
	  true, 0 },
};

static void seg_case_desc(const struct seg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refusals, refusals, seg_case_desc);
KUNIT_ARRAY_PARAM(accepted, accepted, seg_case_desc);

static void run_case(struct kunit *test, const struct seg_case *c)
{
	struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX + 1];
	struct kx_seg_limits lim = {
		.dest_limit = TEST_LIMIT,
		.max_bytes = TEST_MAX_BYTES,
		.is_ram = c->no_ram_check ? NULL : test_is_ram,
	};
	unsigned int i;

	memcpy(segs, c->segs, sizeof(segs));
	for (i = 0; i < ARRAY_SIZE(segs); i++)
		if (segs[i].bufsz == BUF_FULL)
			segs[i].bufsz = segs[i].memsz;
	for (i = 0; i < c->gen; i++) {
		segs[i].buf = 0x1000;
		segs[i].bufsz = PG;
		segs[i].mem = BASE + i * PG;
		segs[i].memsz = PG;
	}
	if (c->crash) {
		lim.crash_start = TEST_CRASH_START;
		lim.crash_end = TEST_CRASH_END;
	}

	KUNIT_EXPECT_EQ(test, kx_check_segments(segs, c->nr, c->entry, &lim),
			c->err);
}

static void kx_segment_refused(struct kunit *test)
{
	run_case(test, test->param_value);
}

static void kx_segment_accepted(struct kunit *test)
{
	run_case(test, test->param_value);
}

/* The list is never modified, even when refused. */
static void kx_segment_const(struct kunit *test)
{
	struct kexec_x_segment segs[2] = {
		SEGB(PG, BASE, PG), SEGB(PG, BASE, PG),
	};
	struct kexec_x_segment copy[2];
	struct kx_seg_limits lim = {
		.dest_limit = TEST_LIMIT, .max_bytes = TEST_MAX_BYTES,
		.is_ram = test_is_ram,
	};

	memcpy(copy, segs, sizeof(copy));
	KUNIT_EXPECT_EQ(test, kx_check_segments(segs, 2, BASE, &lim), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, segs, copy, sizeof(copy));
}

struct ram_calls {
	unsigned int n;
	u64 start[KEXEC_X_SEGMENT_MAX];
	u64 end[KEXEC_X_SEGMENT_MAX];
};

static bool record_is_ram(void *ctx, u64 start, u64 end)
{
	struct ram_calls *calls = ctx;

	if (calls->n < KEXEC_X_SEGMENT_MAX) {
		calls->start[calls->n] = start;
		calls->end[calls->n] = end;
	}
	calls->n++;
	return true;
}

/* is_ram sees each whole destination [mem, mem + memsz), with its context. */
static void kx_segment_ram_ranges(struct kunit *test)
{
	struct kexec_x_segment segs[] = {
		SEGB(0, BASE + 8 * PG, 3 * PG), SEGB(PG, BASE, PG),
	};
	struct ram_calls calls = {};
	struct kx_seg_limits lim = {
		.dest_limit = TEST_LIMIT, .max_bytes = TEST_MAX_BYTES,
		.is_ram = record_is_ram, .ram_ctx = &calls,
	};

	KUNIT_ASSERT_EQ(test, kx_check_segments(segs, 2, BASE, &lim), 0);
	KUNIT_ASSERT_EQ(test, calls.n, 2U);
	KUNIT_EXPECT_EQ(test, calls.start[0], BASE + 8 * PG);
	KUNIT_EXPECT_EQ(test, calls.end[0], BASE + 11 * PG);
	KUNIT_EXPECT_EQ(test, calls.start[1], BASE);
	KUNIT_EXPECT_EQ(test, calls.end[1], BASE + PG);
}

/* A refused list never reaches the RAM walk, which may be expensive. */
static void kx_segment_ram_not_called(struct kunit *test)
{
	struct kexec_x_segment segs[] = { SEGB(2 * PG, BASE, PG) };
	struct ram_calls calls = {};
	struct kx_seg_limits lim = {
		.dest_limit = TEST_LIMIT, .max_bytes = TEST_MAX_BYTES,
		.is_ram = record_is_ram, .ram_ctx = &calls,
	};

	KUNIT_EXPECT_EQ(test, kx_check_segments(segs, 1, BASE, &lim), -EINVAL);
	KUNIT_EXPECT_EQ(test, calls.n, 0U);
}

/* Sizes near 2^64 are compared without overflowing. */
static void kx_segment_size_huge(struct kunit *test)
{
	struct kexec_x_segment segs[] = {
		SEGB(0, 0, 0x8000000000000000ULL),
		SEGB(0, 0x8000000000000000ULL, 0x7ffffffffffff000ULL),
	};
	struct kx_seg_limits lim = {
		.dest_limit = ~0ULL, .max_bytes = 0x8000000000000000ULL,
	};

	KUNIT_EXPECT_EQ(test, kx_check_segments(segs, 2, 0, &lim), -EINVAL);
	lim.max_bytes = ~0ULL;
	KUNIT_EXPECT_EQ(test, kx_check_segments(segs, 2, 0, &lim), 0);
}

static struct kunit_case kx_segment_cases[] = {
	KUNIT_CASE_PARAM(kx_segment_refused, refusals_gen_params),
	KUNIT_CASE_PARAM(kx_segment_accepted, accepted_gen_params),
	KUNIT_CASE(kx_segment_const),
	KUNIT_CASE(kx_segment_ram_ranges),
	KUNIT_CASE(kx_segment_ram_not_called),
	KUNIT_CASE(kx_segment_size_huge),
	{}
};

static struct kunit_suite kx_segment_suite = {
	.name = "kexec_x_segment",
	.test_cases = kx_segment_cases,
};

kunit_test_suite(kx_segment_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
