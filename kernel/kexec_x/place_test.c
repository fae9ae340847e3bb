// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kexec_x's hole placement (place.c).
 *
 * Each table row is one case: RAM ranges, busy ranges and a request, with
 * the expected return value and start address.
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "place.h"

#define MIB(x)		((u64)(x) << 20)
#define GIB(x)		((u64)(x) << 30)
#define TOP		(~0ULL)

#define MAX_RANGES	4

struct place_case {
	const char *desc;
	struct kx_range ram[MAX_RANGES];
	unsigned int nr_ram;
	struct kx_range busy[MAX_RANGES];
	unsigned int nr_busy;
	struct kx_hole req;
	int ret;
	u64 start;
};

static const struct place_case place_cases[] = {
	{
		.desc = "bottom-up takes the lowest start",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.req = { .size = MIB(4), .align = 1, .max = TOP },
		.start = MIB(1),
	},
	{
		.desc = "top-down takes the highest start",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.req = { .size = MIB(4), .align = 1, .max = TOP,
			 .top_down = true },
		.start = MIB(60),
	},
	{
		.desc = "bottom-up rounds an unaligned RAM start up",
		.ram = { { MIB(1) + 0x1000, MIB(64) } }, .nr_ram = 1,
		.req = { .size = MIB(2), .align = MIB(2), .max = TOP },
		.start = MIB(2),
	},
	{
		.desc = "top-down rounds an unaligned RAM end down",
		.ram = { { MIB(1), MIB(63) + 0x1000 } }, .nr_ram = 1,
		.req = { .size = MIB(2), .align = MIB(2), .max = TOP,
			 .top_down = true },
		.start = MIB(60),
	},
	{
		.desc = "min and max clip the RAM range",
		.ram = { { 0, GIB(8) } }, .nr_ram = 1,
		.req = { .size = MIB(1), .align = 0x1000, .min = MIB(16),
			 .max = GIB(4), .top_down = true },
		.start = GIB(4) - MIB(1),
	},
	{
		.desc = "bottom-up jumps past a busy range",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.busy = { { MIB(1), MIB(9) + 1 } }, .nr_busy = 1,
		.req = { .size = MIB(1), .align = MIB(1), .max = TOP },
		.start = MIB(10),
	},
	{
		.desc = "top-down jumps below a busy range",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.busy = { { MIB(60) - 1, MIB(64) } }, .nr_busy = 1,
		.req = { .size = MIB(2), .align = MIB(2), .max = TOP,
			 .top_down = true },
		.start = MIB(56),
	},
	{
		.desc = "a chain of busy ranges is walked in any order",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.busy = { { MIB(4), MIB(6) }, { MIB(1), MIB(3) },
			  { MIB(3), MIB(4) }, { MIB(7), MIB(8) } },
		.nr_busy = 4,
		.req = { .size = MIB(2), .align = MIB(1), .max = TOP },
		.start = MIB(8),
	},
	{
		.desc = "a hole between two busy ranges fits exactly",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.busy = { { MIB(1), MIB(8) }, { MIB(10), MIB(64) } },
		.nr_busy = 2,
		.req = { .size = MIB(2), .align = 0x1000, .max = TOP,
			 .top_down = true },
		.start = MIB(8),
	},
	{
		.desc = "no hole is large enough",
		.ram = { { MIB(1), MIB(8) }, { MIB(9), MIB(16) } },
		.nr_ram = 2,
		.req = { .size = MIB(8), .align = 0x1000, .max = TOP },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "busy ranges cover every hole",
		.ram = { { MIB(1), MIB(16) } }, .nr_ram = 1,
		.busy = { { 0, MIB(8) }, { MIB(8) + 0x1000, MIB(20) } },
		.nr_busy = 2,
		.req = { .size = 0x2000, .align = 0x1000, .max = TOP },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "alignment leaves no fitting start",
		.ram = { { MIB(1) + 0x1000, MIB(3) + 0x1000 } }, .nr_ram = 1,
		.req = { .size = MIB(2), .align = MIB(2), .max = TOP },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "size 0 is refused",
		.ram = { { MIB(1), MIB(16) } }, .nr_ram = 1,
		.req = { .size = 0, .align = 0x1000, .max = TOP },
		.ret = -EINVAL,
	},
	{
		.desc = "alignment not a power of two is refused",
		.ram = { { MIB(1), MIB(16) } }, .nr_ram = 1,
		.req = { .size = 0x1000, .align = 0x3000, .max = TOP },
		.ret = -EINVAL,
	},
	{
		.desc = "top-down picks the highest of unsorted RAM ranges",
		.ram = { { GIB(4), GIB(5) }, { MIB(1), GIB(2) },
			 { GIB(6), GIB(7) } },
		.nr_ram = 3,
		.req = { .size = MIB(1), .align = MIB(1), .max = TOP,
			 .top_down = true },
		.start = GIB(7) - MIB(1),
	},
	{
		.desc = "bottom-up picks the lowest of unsorted RAM ranges",
		.ram = { { GIB(4), GIB(5) }, { MIB(32), GIB(2) },
			 { MIB(1), MIB(2) } },
		.nr_ram = 3,
		.req = { .size = MIB(2), .align = MIB(2), .max = TOP },
		.start = MIB(32),
	},
	{
		.desc = "a hole never spans two adjacent RAM ranges",
		.ram = { { MIB(1), MIB(3) }, { MIB(3), MIB(5) } }, .nr_ram = 2,
		.req = { .size = MIB(3), .align = 0x1000, .max = TOP },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "the top of the address space does not wrap",
		.ram = { { TOP - MIB(3), TOP } }, .nr_ram = 1,
		.req = { .size = MIB(2), .align = GIB(1), .max = TOP },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "the highest page below an end of ~0 fits",
		.ram = { { TOP - MIB(3) + 1 - 0x1000, TOP } }, .nr_ram = 1,
		.req = { .size = 0x1000, .align = 0x1000, .max = TOP,
			 .top_down = true },
		.start = TOP - 0x1fff,
	},
	{
		.desc = "max at or below min finds nothing",
		.ram = { { 0, GIB(4) } }, .nr_ram = 1,
		.req = { .size = 0x1000, .align = 0x1000, .min = MIB(16),
			 .max = MIB(16) },
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "empty busy ranges are ignored",
		.ram = { { MIB(1), MIB(16) } }, .nr_ram = 1,
		.busy = { { MIB(2), MIB(2) }, { MIB(5), MIB(3) } },
		.nr_busy = 2,
		.req = { .size = MIB(4), .align = MIB(1), .min = MIB(2),
			 .max = TOP },
		.start = MIB(2),
	},
	{
		.desc = "a busy range touching the hole does not overlap it",
		.ram = { { MIB(1), MIB(16) } }, .nr_ram = 1,
		.busy = { { MIB(1), MIB(4) }, { MIB(8), MIB(16) } },
		.nr_busy = 2,
		.req = { .size = MIB(4), .align = MIB(4), .max = TOP },
		.start = MIB(4),
	},
};

static void place_case_desc(const struct place_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(place, place_cases, place_case_desc);

static void place_find_test(struct kunit *test)
{
	const struct place_case *c = test->param_value;
	u64 start = 0xdead;
	int ret;

	ret = kx_find_hole(c->ram, c->nr_ram, c->busy, c->nr_busy, &c->req,
			   &start);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_EQ(test, start, 0xdead);
		return;
	}
	KUNIT_EXPECT_EQ(test, start, c->start);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(start, c->req.align));
	KUNIT_EXPECT_TRUE(test, kx_range_inside(c->ram, c->nr_ram, start,
						start + c->req.size));
}

/* Successive allocations never overlap and stop at KX_PLACE_TAKEN_MAX. */
static void place_alloc_test(struct kunit *test)
{
	static const struct kx_range ram[] = { { MIB(1), MIB(64) } };
	static const struct kx_range avoid[] = { { MIB(8), MIB(16) } };
	struct kx_hole req = { .size = MIB(1), .align = MIB(1), .max = TOP };
	struct kx_place p;
	unsigned int i, j;
	u64 start;

	kx_place_init(&p, ram, ARRAY_SIZE(ram), avoid, ARRAY_SIZE(avoid));
	for (i = 0; i < KX_PLACE_TAKEN_MAX; i++) {
		req.top_down = i & 1;
		KUNIT_ASSERT_EQ(test, kx_place_alloc(&p, &req, &start), 0);
		KUNIT_EXPECT_FALSE(test, kx_overlaps(start, start + MIB(1),
						     MIB(8), MIB(16)));
	}
	KUNIT_EXPECT_EQ(test, kx_place_alloc(&p, &req, &start), -ENOSPC);
	KUNIT_EXPECT_EQ(test, p.nr_taken, KX_PLACE_TAKEN_MAX);
	for (i = 0; i < p.nr_taken; i++)
		for (j = i + 1; j < p.nr_taken; j++)
			KUNIT_EXPECT_FALSE(test,
					   kx_overlaps(p.taken[i].start,
						       p.taken[i].end,
						       p.taken[j].start,
						       p.taken[j].end));
	/* The lowest and highest megabytes went first. */
	KUNIT_EXPECT_EQ(test, p.taken[0].start, MIB(1));
	KUNIT_EXPECT_EQ(test, p.taken[1].start, MIB(63));
}

/* kx_place_find() leaves the placement as it was. */
static void place_find_takes_nothing_test(struct kunit *test)
{
	static const struct kx_range ram[] = { { MIB(1), MIB(4) } };
	struct kx_hole req = { .size = MIB(3), .align = 0x1000, .max = TOP };
	struct kx_place p;
	u64 a, b;

	kx_place_init(&p, ram, ARRAY_SIZE(ram), NULL, 0);
	KUNIT_ASSERT_EQ(test, kx_place_find(&p, &req, &a), 0);
	KUNIT_ASSERT_EQ(test, kx_place_find(&p, &req, &b), 0);
	KUNIT_EXPECT_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, p.nr_taken, 0);
	KUNIT_ASSERT_EQ(test, kx_place_alloc(&p, &req, &a), 0);
	KUNIT_EXPECT_EQ(test, kx_place_find(&p, &req, &b), -EADDRNOTAVAIL);
}

static void place_helpers_test(struct kunit *test)
{
	static const struct kx_range r[] = { { 0x1000, 0x3000 },
					     { 0x3000, 0x5000 } };

	KUNIT_EXPECT_TRUE(test, kx_overlaps(0, 2, 1, 3));
	KUNIT_EXPECT_FALSE(test, kx_overlaps(0, 2, 2, 3));
	KUNIT_EXPECT_FALSE(test, kx_overlaps(1, 1, 0, 3));
	KUNIT_EXPECT_TRUE(test, kx_range_inside(r, 2, 0x1000, 0x3000));
	KUNIT_EXPECT_TRUE(test, kx_range_inside(r, 2, 0x3800, 0x4000));
	KUNIT_EXPECT_FALSE(test, kx_range_inside(r, 2, 0x2000, 0x4000));
	KUNIT_EXPECT_FALSE(test, kx_range_inside(r, 2, 0x2000, 0x2000));
	KUNIT_EXPECT_FALSE(test, kx_range_inside(r, 2, 0, 0x1000));
}

static struct kunit_case place_test_cases[] = {
	KUNIT_CASE_PARAM(place_find_test, place_gen_params),
	KUNIT_CASE(place_alloc_test),
	KUNIT_CASE(place_find_takes_nothing_test),
	KUNIT_CASE(place_helpers_test),
	{}
};

static struct kunit_suite place_test_suite = {
	.name = "kexec_x_place",
	.test_cases = place_test_cases,
};

kunit_test_suite(place_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
