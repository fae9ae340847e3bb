// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the x86 crash kernel's memory map (crash_e820.c).
 *
 * Each table row is a firmware map, crash reservations and exclusions,
 * with the map expected.  Besides the exact entries, every map built is
 * checked for the rules the crash kernel relies on: sorted, RAM only below
 * 1 MiB or inside a reservation, never over an exclusion.
 *
 * The machine most rows use, a QEMU q35 guest with 6 GiB:
 *   RAM [0, 0x9fc00)  RES [0x9fc00, 0xa0000)  RES [0xf0000, 1 MiB)
 *   RAM [1 MiB, 0x7fee0000)  ACPI [0x7fee0000, 0x7fef0000)
 *   NVS [0x7fef0000, 0x7ff00000)  RES [0x7ff00000, 2 GiB)
 *   RES [0xb0000000, 0xc0000000)  RES [0xfffc0000, 4 GiB)
 *   RAM [4 GiB, 8 GiB)
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "place.h"
#include "bootparam.h"
#include "elfcore.h"
#include "crash_e820.h"

#define MIB(x)		((u64)(x) << 20)
#define GIB(x)		((u64)(x) << 30)

#define RAM		KX_E820_RAM
#define RES		KX_E820_RESERVED
#define ACPI		KX_E820_ACPI
#define NVS		KX_E820_NVS

#define MAX_FW		12
#define MAX_R		4
#define MAX_OUT		16

/* The q35 machine, as its firmware reports it. */
static const struct kx_e820 t_q35[] = {
	{ 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
	{ 0xf0000, MIB(1), RES }, { MIB(1), 0x7fee0000, RAM },
	{ 0x7fee0000, 0x7fef0000, ACPI }, { 0x7fef0000, 0x7ff00000, NVS },
	{ 0x7ff00000, GIB(2), RES }, { 0xb0000000, 0xc0000000, RES },
	{ 0xfffc0000, GIB(4), RES }, { GIB(4), GIB(8), RAM },
};

/**
 * struct crash_e820_case - one crash memory map
 * @desc:   what the case shows
 * @q35:    the firmware map is t_q35, not @fw
 * @fw:     firmware map
 * @nr_fw:  entries at @fw
 * @crash:  crash reservations
 * @nr_crash: entries at @crash
 * @ex:     exclusions
 * @nr_ex:  entries at @ex
 * @max:    room in the output, 0 for MAX_OUT
 * @ret:    expected return value, the entry count when non-negative
 * @out:    expected map when @ret >= 0
 */
struct crash_e820_case {
	const char *desc;
	bool q35;
	struct kx_e820 fw[MAX_FW];
	unsigned int nr_fw;
	struct kx_range crash[MAX_R];
	unsigned int nr_crash;
	struct kx_range ex[MAX_R];
	unsigned int nr_ex;
	unsigned int max;
	int ret;
	struct kx_e820 out[MAX_OUT];
};

static const struct crash_e820_case crash_e820_cases[] = {
	{
		.desc = "q35, crashkernel=256M, elfcorehdr at its top",
		.q35 = true,
		.crash = { { MIB(1776), MIB(2032) } }, .nr_crash = 1,
		.ex = { { MIB(2032) - 0x10000, MIB(2032) } }, .nr_ex = 1,
		.ret = 9,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(1776), MIB(2032) - 0x10000, RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "crashkernel high and low both become RAM",
		.q35 = true,
		.crash = { { GIB(7), GIB(8) }, { MIB(256), MIB(512) } },
		.nr_crash = 2,
		.ex = { { GIB(7), GIB(7) + 0x2000 } }, .nr_ex = 1,
		.ret = 10,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(512), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES },
			 { GIB(7) + 0x2000, GIB(8), RAM } },
	},
	{
		.desc = "an elfcorehdr in the middle splits the reservation",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(300), MIB(300) + 0x3000 } }, .nr_ex = 1,
		.ret = 10,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(300), RAM },
			 { MIB(300) + 0x3000, MIB(512), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "an elfcorehdr at the start trims the reservation",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(256), MIB(256) + 0x1000 } }, .nr_ex = 1,
		.ret = 9,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256) + 0x1000, MIB(512), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "an exclusion covering the reservation leaves no RAM",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(128), MIB(1024) } }, .nr_ex = 1,
		.ret = 8,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "an exclusion over two reservations trims both",
		.q35 = true,
		.crash = { { MIB(512), MIB(640) }, { MIB(256), MIB(384) } },
		.nr_crash = 2,
		.ex = { { MIB(320), MIB(576) } }, .nr_ex = 1,
		.ret = 10,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(320), RAM },
			 { MIB(576), MIB(640), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "overlapping exclusions, and sub-page pieces dropped",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(256) + 0xfff, MIB(300) },
			{ MIB(290), MIB(512) - 0x800 } },
		.nr_ex = 2,
		.ret = 8,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "a piece of exactly one page is kept",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(256) + 0x1000, MIB(512) } }, .nr_ex = 1,
		.ret = 9,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(256) + 0x1000, RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "RAM across 1 MiB is clipped, RAM above is dropped",
		.fw = { { 0x1000, MIB(8), RAM }, { MIB(8), MIB(9), RES },
			{ MIB(9), GIB(2), RAM } },
		.nr_fw = 3,
		.crash = { { MIB(16), MIB(32) } }, .nr_crash = 1,
		.ret = 3,
		.out = { { 0x1000, MIB(1), RAM }, { MIB(8), MIB(9), RES },
			 { MIB(16), MIB(32), RAM } },
	},
	{
		.desc = "unusable, pmem, pram and soft reserved are left out",
		.fw = { { 0, 0x9f000, RAM }, { MIB(1), GIB(2), RAM },
			{ GIB(2), GIB(3), KX_E820_UNUSABLE },
			{ GIB(3), GIB(4), KX_E820_SOFT_RESERVED },
			{ GIB(4), GIB(5), KX_E820_PMEM },
			{ GIB(5), GIB(6), KX_E820_PRAM },
			{ GIB(6), GIB(7), 20 } },
		.nr_fw = 7,
		.crash = { { MIB(64), MIB(128) } }, .nr_crash = 1,
		.ret = 2,
		.out = { { 0, 0x9f000, RAM }, { MIB(64), MIB(128), RAM } },
	},
	{
		.desc = "a firmware map in any order comes out sorted",
		.fw = { { GIB(4), GIB(8), RAM }, { 0x7ff00000, GIB(2), RES },
			{ 0xf0000, MIB(1), RES },
			{ 0x7fee0000, 0x7fef0000, ACPI },
			{ MIB(1), 0x7fee0000, RAM }, { 0x9fc00, 0xa0000, RES },
			{ 0xfffc0000, GIB(4), RES }, { 0, 0x9fc00, RAM },
			{ 0x7fef0000, 0x7ff00000, NVS },
			{ 0xb0000000, 0xc0000000, RES } },
		.nr_fw = 10,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ret = 9,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(512), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "same types merge, different types never do",
		.fw = { { 0, 0x9f000, RAM }, { 0x9f000, 0xa0000, RES },
			{ 0xa0000, 0xc0000, RES }, { MIB(1), MIB(64), RAM },
			{ MIB(64), MIB(65), RES } },
		.nr_fw = 5,
		.crash = { { MIB(65), MIB(128) }, { MIB(32), MIB(64) },
			   { MIB(128), MIB(160) } },
		.nr_crash = 3,
		.ret = 5,
		.out = { { 0, 0x9f000, RAM }, { 0x9f000, 0xc0000, RES },
			 { MIB(32), MIB(64), RAM }, { MIB(64), MIB(65), RES },
			 { MIB(65), MIB(160), RAM } },
	},
	{
		.desc = "exactly enough room",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.max = 9, .ret = 9,
		.out = { { 0, 0x9fc00, RAM }, { 0x9fc00, 0xa0000, RES },
			 { 0xf0000, MIB(1), RES },
			 { MIB(256), MIB(512), RAM },
			 { 0x7fee0000, 0x7fef0000, ACPI },
			 { 0x7fef0000, 0x7ff00000, NVS },
			 { 0x7ff00000, GIB(2), RES },
			 { 0xb0000000, 0xc0000000, RES },
			 { 0xfffc0000, GIB(4), RES } },
	},
	{
		.desc = "one entry short of room",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.max = 8, .ret = -E2BIG,
	},
	{
		.desc = "no reservation",
		.q35 = true,
		.nr_crash = 0, .ret = -EINVAL,
	},
	{
		.desc = "an empty reservation",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) }, { GIB(5), GIB(5) } },
		.nr_crash = 2, .ret = -EINVAL,
	},
	{
		.desc = "overlapping reservations",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) }, { MIB(500), MIB(600) } },
		.nr_crash = 2, .ret = -EINVAL,
	},
	{
		.desc = "an empty exclusion",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(300), MIB(300) } }, .nr_ex = 1,
		.ret = -EINVAL,
	},
	{
		.desc = "an exclusion ending before it starts",
		.q35 = true,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ex = { { MIB(300), MIB(299) } }, .nr_ex = 1,
		.ret = -EINVAL,
	},
	{
		.desc = "a firmware entry ending before it starts",
		.fw = { { 0, 0x9f000, RAM }, { MIB(2), MIB(1), RES } },
		.nr_fw = 2,
		.crash = { { MIB(256), MIB(512) } }, .nr_crash = 1,
		.ret = -EINVAL,
	},
};

static void crash_e820_case_desc(const struct crash_e820_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(crash_e820, crash_e820_cases, crash_e820_case_desc);

static void make_in(const struct crash_e820_case *c,
		    struct kx_crash_e820_in *in)
{
	in->fw = c->q35 ? t_q35 : c->fw;
	in->nr_fw = c->q35 ? ARRAY_SIZE(t_q35) : c->nr_fw;
	in->crash = c->crash;
	in->nr_crash = c->nr_crash;
	in->exclude = c->ex;
	in->nr_exclude = c->nr_ex;
}

/* The range of @r (or the low 1 MiB) holding @x, or NULL. */
static const struct kx_range *holder(const struct kx_range *r,
				     unsigned int nr, u64 x)
{
	static const struct kx_range low = { 0, KX_CRASH_LOW_END };
	unsigned int i;

	if (x < low.end)
		return &low;
	for (i = 0; i < nr; i++)
		if (r[i].start <= x && x < r[i].end)
			return &r[i];
	return NULL;
}

/*
 * True when the low 1 MiB and the reservations @r cover @e: merged RAM
 * entries may span touching reservations.
 */
static bool covered(const struct kx_range *r, unsigned int nr,
		    const struct kx_e820 *e)
{
	const struct kx_range *h;
	u64 x;

	for (x = e->start; x < e->end; x = h->end) {
		h = holder(r, nr, x);
		if (!h)
			return false;
	}
	return true;
}

/* The rules of any crash map, whatever the expected entries say. */
static void check_rules(struct kunit *test, const struct crash_e820_case *c,
			const struct kx_e820 *out, unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_LT(test, out[i].start, out[i].end);
		if (i)
			KUNIT_EXPECT_LE(test, out[i - 1].start, out[i].start);
		KUNIT_EXPECT_TRUE(test,
				  out[i].type == RAM || out[i].type == RES ||
				  out[i].type == ACPI || out[i].type == NVS);
		if (out[i].type != RAM)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test,
				      covered(c->crash, c->nr_crash, &out[i]),
				      "RAM %#llx-%#llx", out[i].start,
				      out[i].end);
		/* Reservation pieces below a page are dropped. */
		if (out[i].start >= KX_CRASH_LOW_END)
			KUNIT_EXPECT_GE(test, out[i].end - out[i].start,
					KX_PAGE_SIZE);
		for (j = 0; j < c->nr_ex; j++)
			KUNIT_EXPECT_FALSE(test,
					   kx_overlaps(out[i].start, out[i].end,
						       c->ex[j].start,
						       c->ex[j].end));
	}
}

static void crash_e820_build_test(struct kunit *test)
{
	const struct crash_e820_case *c = test->param_value;
	unsigned int max = c->max ? c->max : MAX_OUT, i;
	struct kx_e820 out[MAX_OUT + 1];
	struct kx_crash_e820_in in;
	int ret;

	make_in(c, &in);
	memset(out, 0xa5, sizeof(out));
	ret = kx_crash_e820_build(&in, out, max);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	/* Never a byte past the room given. */
	KUNIT_EXPECT_NULL(test, memchr_inv(&out[max], 0xa5,
					   sizeof(out) - max * sizeof(*out)));
	if (ret < 0)
		return;
	for (i = 0; i < (unsigned int)ret; i++) {
		KUNIT_EXPECT_EQ_MSG(test, out[i].start, c->out[i].start,
				    "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, out[i].end, c->out[i].end,
				    "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, out[i].type, c->out[i].type,
				    "entry %u", i);
	}
	check_rules(test, c, out, ret);
}

/* Every room smaller than the map is -E2BIG, every larger one the map. */
static void crash_e820_room_test(struct kunit *test)
{
	const struct crash_e820_case *c = &crash_e820_cases[1];
	struct kx_e820 out[MAX_OUT];
	struct kx_crash_e820_in in;
	unsigned int max;

	make_in(c, &in);
	for (max = 0; max <= MAX_OUT; max++)
		KUNIT_EXPECT_EQ_MSG(test, kx_crash_e820_build(&in, out, max),
				    max < c->ret ? -E2BIG : c->ret,
				    "max %u", max);
}

static struct kunit_case crash_e820_test_cases[] = {
	KUNIT_CASE_PARAM(crash_e820_build_test, crash_e820_gen_params),
	KUNIT_CASE(crash_e820_room_test),
	{}
};

static struct kunit_suite crash_e820_test_suite = {
	.name = "kexec_x_crash_e820",
	.test_cases = crash_e820_test_cases,
};

kunit_test_suite(crash_e820_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
