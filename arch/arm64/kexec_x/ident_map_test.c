// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the arm64 identity map builder (ident_map.c).
 *
 * Tables are built in a simulated physical memory: an array of pages at a
 * made-up physical base.  Each case maps ranges, then walks the tables as
 * the MMU would (4K granule, 48-bit input, L0 to L3) and checks that every
 * page of a range maps to itself with the expected leaf size, that the
 * pages around it stay unmapped, the descriptor bits (access flag, MAIR
 * index, shareability, and bits [9:8] = 0 under LPA2) and the number of
 * tables used.
 */

#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "ident_map.h"

#define FAKE_PAGES	64
#define FAKE_BASE	0x7f000000ULL

struct fake_mem {
	u8 *pages;
	unsigned int used;
	unsigned int limit;
};

static void *fake_alloc(void *ctx, u64 *phys)
{
	struct fake_mem *m = ctx;
	void *p;

	if (m->used >= m->limit || m->used >= FAKE_PAGES)
		return NULL;
	p = m->pages + (size_t)m->used * KX_PAGE_SIZE;
	memset(p, 0, KX_PAGE_SIZE);
	*phys = FAKE_BASE + (u64)m->used * KX_PAGE_SIZE;
	m->used++;
	return p;
}

static void *fake_p2v(void *ctx, u64 phys)
{
	struct fake_mem *m = ctx;

	return m->pages + (phys - FAKE_BASE);
}

static struct kx_idmap *new_map(struct kunit *test, bool lpa2,
				unsigned int limit)
{
	struct fake_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct kx_idmap *map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, map);
	m->pages = kunit_kzalloc(test, FAKE_PAGES * KX_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->pages);
	m->limit = limit;
	map->alloc = fake_alloc;
	map->p2v = fake_p2v;
	map->ctx = m;
	map->attr_index = 0;
	map->lpa2 = lpa2;
	KUNIT_ASSERT_EQ(test, kx_idmap_init(map), 0);
	return map;
}

/* The leaf descriptor of @va and the bytes it maps; 0 when unmapped. */
static u64 leaf(const struct kx_idmap *map, u64 va, u64 *size)
{
	u64 phys = map->root_phys;
	unsigned int level;

	for (level = 0; level <= 3; level++) {
		const u64 *t = map->p2v(map->ctx, phys);
		unsigned int shift = 12 + 9 * (3 - level);
		u64 e = t[(va >> shift) & 511];

		if (!(e & KX_DESC_VALID))
			return 0;
		if (level == 3 || (e & KX_DESC_TYPE_MASK) == KX_DESC_BLOCK) {
			*size = 1ULL << shift;
			return e;
		}
		phys = e & KX_DESC_ADDR_MASK;
	}
	return 0;
}

struct idmap_case {
	const char *name;
	u64 ranges[3][2];	/* [start, end); end 0 closes the list */
	u64 probe;		/* an address inside: leaf size expected */
	u64 probe_size;
	unsigned int tables;	/* tables used, the root included */
};

static const struct idmap_case idmap_cases[] = {
	{ "one 1G block", { { SZ_1G, 2ULL * SZ_1G } }, SZ_1G + 0x1234,
	  SZ_1G, 2 },
	{ "2M blocks", { { SZ_1G, SZ_1G + 4 * SZ_2M } }, SZ_1G + SZ_2M,
	  SZ_2M, 3 },
	{ "4K pages only", { { 0x40001000, 0x40003000 } }, 0x40002000,
	  SZ_4K, 4 },
	{ "pages, blocks, pages", { { 0x401ff000, 0x40601000 } },
	  0x40400000, SZ_2M, 5 },
	{ "two ranges share tables",
	  { { 0x40000000, 0x40200000 }, { 0x40400000, 0x40401000 } },
	  0x40400000, SZ_4K, 4 },
	{ "across 512G", { { 0x7fffe00000ULL, 0x8000200000ULL } },
	  0x8000000000ULL, SZ_2M, 5 },
};

static void idmap_case_desc(const struct idmap_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(idmap, idmap_cases, idmap_case_desc);

static void kx_idmap_test_ranges(struct kunit *test)
{
	const struct idmap_case *c = test->param_value;
	struct kx_idmap *map = new_map(test, false, FAKE_PAGES);
	unsigned int i;
	u64 size = 0, a, d;

	for (i = 0; i < ARRAY_SIZE(c->ranges) && c->ranges[i][1]; i++)
		KUNIT_ASSERT_EQ(test, kx_idmap_map(map, c->ranges[i][0],
						   c->ranges[i][1]), 0);
	for (i = 0; i < ARRAY_SIZE(c->ranges) && c->ranges[i][1]; i++) {
		u64 s = c->ranges[i][0], e = c->ranges[i][1];

		/* Every page maps to itself; the neighbours do not map. */
		for (a = s; a < e; a += SZ_4K)
			KUNIT_EXPECT_EQ_MSG(test, kx_idmap_lookup(map, a + 8),
					    a + 8, "va %#llx", a);
		KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, s - SZ_4K), ~0ULL);
		KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, e), ~0ULL);
	}
	d = leaf(map, c->probe, &size);
	KUNIT_EXPECT_NE(test, d, 0ULL);
	KUNIT_EXPECT_EQ(test, size, c->probe_size);
	KUNIT_EXPECT_EQ(test, map->tables, c->tables);
	/* Mapping it all again changes nothing. */
	for (i = 0; i < ARRAY_SIZE(c->ranges) && c->ranges[i][1]; i++)
		KUNIT_EXPECT_EQ(test, kx_idmap_map(map, c->ranges[i][0],
						   c->ranges[i][1]), 0);
	KUNIT_EXPECT_EQ(test, map->tables, c->tables);
}

/* Descriptor bits: AF, MAIR index, shareability; none in [9:8] for LPA2. */
static void kx_idmap_test_attrs(struct kunit *test)
{
	struct kx_idmap *map = new_map(test, false, FAKE_PAGES);
	struct kx_idmap *lpa2 = new_map(test, true, FAKE_PAGES);
	u64 size, d;

	map->attr_index = 3;
	KUNIT_ASSERT_EQ(test, kx_idmap_map(map, 0x40000000, 0x40201000), 0);
	KUNIT_ASSERT_EQ(test, kx_idmap_map(lpa2, 0x40000000, 0x40201000), 0);

	d = leaf(map, 0x40000000, &size);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, d & KX_DESC_TYPE_MASK, KX_DESC_BLOCK);
	KUNIT_EXPECT_TRUE(test, d & KX_DESC_AF);
	KUNIT_EXPECT_EQ(test, (d >> 2) & 7, 3ULL);
	KUNIT_EXPECT_EQ(test, d & (3ULL << 8), KX_DESC_SH_INNER);
	KUNIT_EXPECT_EQ(test, d & KX_DESC_ADDR_MASK, 0x40000000ULL);

	d = leaf(lpa2, 0x40200000, &size);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, d & KX_DESC_TYPE_MASK, KX_DESC_PAGE);
	KUNIT_EXPECT_TRUE(test, d & KX_DESC_AF);
	KUNIT_EXPECT_EQ(test, d & (3ULL << 8), 0ULL);
	d = leaf(lpa2, 0x40000000, &size);
	KUNIT_EXPECT_EQ(test, d & (3ULL << 8), 0ULL);
	/* Normal memory stays executable. */
	KUNIT_EXPECT_EQ(test, d & (KX_DESC_PXN | KX_DESC_UXN), 0ULL);
}

/* A device page (the UART): its own MAIR index, never executable. */
static void kx_idmap_test_device(struct kunit *test)
{
	struct kx_idmap *map = new_map(test, false, FAKE_PAGES);
	u64 size, d;

	map->attr_index = 4;
	KUNIT_ASSERT_EQ(test, kx_idmap_map(map, 0x40000000, 0x40200000), 0);
	map->attr_index = 0;
	map->xn = true;
	KUNIT_ASSERT_EQ(test, kx_idmap_map(map, 0x09000000, 0x09001000), 0);

	d = leaf(map, 0x09000000, &size);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, (d >> 2) & 7, 0ULL);
	KUNIT_EXPECT_EQ(test, d & (KX_DESC_PXN | KX_DESC_UXN),
			KX_DESC_PXN | KX_DESC_UXN);
	KUNIT_EXPECT_EQ(test, d & KX_DESC_ADDR_MASK, 0x09000000ULL);
	/* Nothing else of the page's 2 MiB is mapped. */
	KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, 0x09001000), ~0ULL);

	d = leaf(map, 0x40000000, &size);
	KUNIT_EXPECT_EQ(test, (d >> 2) & 7, 4ULL);
	KUNIT_EXPECT_EQ(test, d & (KX_DESC_PXN | KX_DESC_UXN), 0ULL);
}

static void kx_idmap_test_errors(struct kunit *test)
{
	struct kx_idmap *map = new_map(test, false, 2);

	/* Root + L1 fit, the L2 table does not. */
	KUNIT_EXPECT_EQ(test, kx_idmap_map(map, 0x40000000, 0x40200000),
			-ENOMEM);
	map = new_map(test, false, FAKE_PAGES);
	KUNIT_EXPECT_EQ(test, kx_idmap_map(map, 1ULL << 48,
					   (1ULL << 48) + SZ_4K), -ERANGE);
	KUNIT_EXPECT_EQ(test, kx_idmap_map(map, SZ_2M, SZ_1M), -ERANGE);
	KUNIT_EXPECT_EQ(test, kx_idmap_map(map, SZ_2M, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, map->tables, 1U);
	/* Unaligned ends round outward to whole pages. */
	KUNIT_EXPECT_EQ(test, kx_idmap_map(map, 0x40000123, 0x40001001), 0);
	KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, 0x40000000), 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, 0x40001fff), 0x40001fffULL);
	KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, 0x40002000), ~0ULL);
	KUNIT_EXPECT_EQ(test, kx_idmap_lookup(map, 1ULL << 50), ~0ULL);
}

static struct kunit_case kx_idmap_test_cases[] = {
	KUNIT_CASE_PARAM(kx_idmap_test_ranges, idmap_gen_params),
	KUNIT_CASE(kx_idmap_test_attrs),
	KUNIT_CASE(kx_idmap_test_device),
	KUNIT_CASE(kx_idmap_test_errors),
	{}
};

static struct kunit_suite kx_idmap_test_suite = {
	.name = "kexec_x_arm64_ident_map",
	.test_cases = kx_idmap_test_cases,
};

kunit_test_suite(kx_idmap_test_suite);
