// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the x86_64 kexec page-table builder (ident_map.c).
 *
 * Tables are built in a simulated physical memory: a small array of pages
 * at a made-up physical base.  Each test maps ranges, then walks the built
 * tables and checks that every requested page maps to itself (or to its
 * transition target) with the expected leaf size and attributes, and that
 * the pages around a range stay unmapped.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "ident_map.h"

#define FAKE_PAGES	64
#define FAKE_BASE	0x7f000000ULL	/* physical address of the first page */

struct fake_mem {
	u8 *pages;
	unsigned int used;
	unsigned int limit;	/* allocations allowed */
};

static void *fake_alloc(void *ctx, u64 *phys)
{
	struct fake_mem *m = ctx;
	void *p;

	if (m->used >= m->limit || m->used >= FAKE_PAGES)
		return NULL;
	p = m->pages + (size_t)m->used * KX_PAGE_SIZE;
	*phys = FAKE_BASE + (u64)m->used * KX_PAGE_SIZE;
	m->used++;
	return p;
}

static void *fake_p2v(void *ctx, u64 phys)
{
	struct fake_mem *m = ctx;

	return m->pages + (phys - FAKE_BASE);
}

static struct kx_pgt *new_pgt(struct kunit *test, unsigned int levels,
			      bool gbpages, unsigned int limit)
{
	struct fake_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct kx_pgt *pgt = kunit_kzalloc(test, sizeof(*pgt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, pgt);
	m->pages = kunit_kzalloc(test, FAKE_PAGES * KX_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->pages);
	m->limit = limit;
	pgt->alloc = fake_alloc;
	pgt->p2v = fake_p2v;
	pgt->ctx = m;
	pgt->levels = levels;
	pgt->gbpages = gbpages;
	KUNIT_ASSERT_EQ(test, kx_pgt_init(pgt), 0);
	return pgt;
}

static unsigned int pgt_pages_used(const struct kx_pgt *pgt)
{
	return ((const struct fake_mem *)pgt->ctx)->used;
}

/* Leaf size of the mapping of @va. */
static u64 leaf_size(struct kunit *test, const struct kx_pgt *pgt, u64 va)
{
	u64 pa, pte, size;

	KUNIT_ASSERT_EQ(test, kx_pgt_lookup(pgt, va, &pa, &pte, &size), 0);
	return size;
}

static void expect_identity(struct kunit *test, const struct kx_pgt *pgt,
			    u64 start, u64 end)
{
	u64 va;

	for (va = start; va < end; va += KX_PAGE_SIZE) {
		u64 pa = 0, pte = 0, size;

		KUNIT_ASSERT_EQ_MSG(test, kx_pgt_lookup(pgt, va, &pa, &pte, &size),
				    0,
				    "va %#llx unmapped", va);
		KUNIT_EXPECT_EQ_MSG(test, pa, va, "va %#llx", va);
		KUNIT_EXPECT_TRUE(test, pte & KX_PTE_PRESENT);
		KUNIT_EXPECT_TRUE(test, pte & KX_PTE_RW);
		KUNIT_EXPECT_FALSE(test, pte & KX_PTE_NX);
		/* write-back: neither PCD (bit 4) nor PWT (bit 3) */
		KUNIT_EXPECT_EQ(test, pte & 0x18ULL, 0ULL);
	}
}

static void expect_unmapped(struct kunit *test, const struct kx_pgt *pgt,
			    u64 va)
{
	u64 pa, pte, size;

	KUNIT_EXPECT_EQ_MSG(test, kx_pgt_lookup(pgt, va, &pa, &pte, &size),
			    -ENOENT,
			    "va %#llx should be unmapped", va);
}

struct range_case {
	const char *name;
	u64 start, end;		/* identity range to map */
	bool gbpages;
	unsigned int levels;
	u64 probe_leaf;		/* an address whose leaf size is checked */
	u64 want_leaf;
};

static const struct range_case range_cases[] = {
	{ "one 4K page", 0x1000, 0x2000, false, 4, 0x1000, 0x1000 },
	{ "2M aligned 2M", 0x200000, 0x400000, false, 4, 0x200000, 0x200000 },
	{ "low RAM below VGA hole", 0x1000, 0x9f000, false, 4, 0x9e000, 0x1000 },
	{ "1M to 6M mixes leaf sizes", 0x100000, 0x600000, false, 4,
	  0x400000, 0x200000 },
	{ "unaligned tail", 0x200000, 0x401000, false, 4, 0x400000, 0x1000 },
	{ "1G with gbpages", 0x40000000, 0x80000000, true, 4,
	  0x40000000, 0x40000000 },
	{ "1G without gbpages uses 2M", 0x40000000, 0x80000000, false, 4,
	  0x40000000, 0x200000 },
	{ "five levels", 0x100000, 0x600000, false, 5, 0x200000, 0x200000 },
	{ "above 4G", 0x100000000ULL, 0x100400000ULL, false, 4,
	  0x100200000ULL, 0x200000 },
};

static void range_case_desc(const struct range_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(range, range_cases, range_case_desc);

static void ident_map_range_test(struct kunit *test)
{
	const struct range_case *c = test->param_value;
	struct kx_pgt *pgt = new_pgt(test, c->levels, c->gbpages, FAKE_PAGES);
	u64 pa, pte, size, mid;

	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, c->start, c->start,
					 c->end - c->start, KX_PTE_LEAF), 0);
	/* Sample the range densely at its edges, sparsely inside. */
	expect_identity(test, pgt, c->start,
			min(c->end, c->start + 64 * KX_PAGE_SIZE));
	expect_identity(test, pgt, max(c->start, c->end - 64 * KX_PAGE_SIZE),
			c->end);
	mid = (c->start + (c->end - c->start) / 2) & KX_PAGE_MASK;
	expect_identity(test, pgt, mid, mid + KX_PAGE_SIZE);
	if (c->start)
		expect_unmapped(test, pgt, c->start - KX_PAGE_SIZE);
	expect_unmapped(test, pgt, c->end);

	KUNIT_ASSERT_EQ(test, kx_pgt_lookup(pgt, c->probe_leaf, &pa, &pte,
					    &size), 0);
	KUNIT_EXPECT_EQ(test, size, c->want_leaf);
	if (c->want_leaf == KX_PAGE_SIZE)
		KUNIT_EXPECT_FALSE(test, pte & KX_PTE_PS);
	else
		KUNIT_EXPECT_TRUE(test, pte & KX_PTE_PS);
	/* The leaf's own address is aligned to its size. */
	KUNIT_EXPECT_EQ(test, pte & KX_PTE_ADDR, c->probe_leaf &
			~(c->want_leaf - 1));
}

/* A 1 GiB leaf must not appear where only part of the 1 GiB is wanted. */
static void ident_map_no_overmap_test(struct kunit *test)
{
	struct kx_pgt *pgt = new_pgt(test, 4, true, FAKE_PAGES);

	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x40000000, 0x40000000,
					 0x3fe00000, KX_PTE_LEAF), 0);
	expect_identity(test, pgt, 0x7fdff000, 0x7fe00000);
	expect_unmapped(test, pgt, 0x7fe00000);
	expect_unmapped(test, pgt, 0x7ffff000);
	KUNIT_EXPECT_EQ(test, leaf_size(test, pgt, 0x40000000), 0x200000ULL);
}

/* Overlapping identity ranges (RAM, then a segment inside it) are fine. */
static void ident_map_overlap_same_test(struct kunit *test)
{
	struct kx_pgt *pgt = new_pgt(test, 4, false, FAKE_PAGES);

	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x100000, 0x100000, 0x500000,
					 KX_PTE_LEAF), 0);
	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, 0x300000, 0x300000, 0x1000,
					 KX_PTE_LEAF), 0);
	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, 0x1ff000, 0x1ff000, 0x3000,
					 KX_PTE_LEAF), 0);
	expect_identity(test, pgt, 0x1fe000, 0x203000);
}

/* Mapping an address again to a different place is refused. */
static void ident_map_conflict_test(struct kunit *test)
{
	struct kx_pgt *pgt = new_pgt(test, 4, false, FAKE_PAGES);

	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x200000, 0x200000, 0x200000,
					 KX_PTE_LEAF), 0);
	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, 0x201000, 0x5000, 0x1000,
					 KX_PTE_LEAF), -EEXIST);
	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, 0x3000, 0x3000, 0x1000,
					 KX_PTE_LEAF), 0);
	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, 0x3000, 0x4000, 0x1000,
					 KX_PTE_LEAF), -EEXIST);
}

/* The stub's module address maps onto its copy in the control block. */
static void ident_map_transition_test(struct kunit *test)
{
	struct kx_pgt *pgt = new_pgt(test, 4, false, FAKE_PAGES);
	u64 va = 0xffffffffc0123000ULL;
	u64 pa, pte, size;

	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x100000, 0x100000, 0x100000,
					 KX_PTE_LEAF), 0);
	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, va, 0x105000, 0x2000,
					 KX_PTE_LEAF), 0);
	KUNIT_ASSERT_EQ(test, kx_pgt_lookup(pgt, va + 0x1234, &pa, &pte,
					    &size), 0);
	KUNIT_EXPECT_EQ(test, pa, 0x106234ULL);
	expect_unmapped(test, pgt, va + 0x2000);
	expect_unmapped(test, pgt, va - 0x1000);
	expect_identity(test, pgt, 0x105000, 0x107000);
}

struct bad_case {
	const char *name;
	unsigned int levels;
	u64 va, pa, size;
	int want;
};

static const struct bad_case bad_cases[] = {
	{ "misaligned va", 4, 0x1001, 0x1000, 0x1000, -EINVAL },
	{ "misaligned pa", 4, 0x1000, 0x1800, 0x1000, -EINVAL },
	{ "misaligned size", 4, 0x1000, 0x1000, 0x800, -EINVAL },
	{ "zero size", 4, 0x1000, 0x1000, 0, -EINVAL },
	{ "wraps", 4, 0xfffffffffffff000ULL, 0x1000, 0x2000, -EINVAL },
	{ "non-canonical, 4 levels", 4, 0x0000800000000000ULL,
	  0x1000, 0x1000, -EINVAL },
	{ "crosses the canonical hole", 4, 0x00007ffffffff000ULL,
	  0x1000, 0x2000, -EINVAL },
	{ "canonical with 5 levels", 5, 0x0000800000000000ULL,
	  0x1000, 0x1000, 0 },
	{ "non-canonical, 5 levels", 5, 0x0100000000000000ULL,
	  0x1000, 0x1000, -EINVAL },
};

static void bad_case_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_case_desc);

static void ident_map_bad_args_test(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct kx_pgt *pgt = new_pgt(test, c->levels, false, FAKE_PAGES);

	KUNIT_EXPECT_EQ(test, kx_pgt_map(pgt, c->va, c->pa, c->size,
					 KX_PTE_LEAF), c->want);
}

/* Running out of table pages fails cleanly at every point. */
static void ident_map_enomem_test(struct kunit *test)
{
	unsigned int limit;

	for (limit = 1; limit < 8; limit++) {
		struct kx_pgt *pgt = new_pgt(test, 4, false, limit);
		int ret = kx_pgt_map(pgt, 0x100000, 0x100000, 0x600000,
				     KX_PTE_LEAF);

		/*
		 * [1M, 7M): root + PUD + PMD, a PTE table for 1M-2M and one
		 * for 6M-7M (2M-6M are two 2M leaves): 5 pages.
		 */
		KUNIT_EXPECT_EQ(test, ret, limit >= 5 ? 0 : -ENOMEM);
		KUNIT_EXPECT_LE(test, pgt_pages_used(pgt), limit);
	}
}

/* Table count: the builder shares tables between neighbouring ranges. */
static void ident_map_table_count_test(struct kunit *test)
{
	struct kx_pgt *pgt = new_pgt(test, 4, true, FAKE_PAGES);

	/* 0-1M in 4K pages, 1M-2M in 4K pages, 2M-3G in 2M/1G leaves */
	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x1000, 0x1000, 0xff000,
					 KX_PTE_LEAF), 0);
	KUNIT_ASSERT_EQ(test, kx_pgt_map(pgt, 0x100000, 0x100000,
					 0xbff00000ULL, KX_PTE_LEAF), 0);
	/* root, one PUD, one PMD (first GiB), one PTE table (first 2M) */
	KUNIT_EXPECT_EQ(test, pgt_pages_used(pgt), 4U);
	expect_identity(test, pgt, 0xbffff000ULL, 0xc0000000ULL);
	expect_unmapped(test, pgt, 0xc0000000ULL);
	expect_unmapped(test, pgt, 0);
}

static struct kunit_case ident_map_test_cases[] = {
	KUNIT_CASE_PARAM(ident_map_range_test, range_gen_params),
	KUNIT_CASE(ident_map_no_overmap_test),
	KUNIT_CASE(ident_map_overlap_same_test),
	KUNIT_CASE(ident_map_conflict_test),
	KUNIT_CASE(ident_map_transition_test),
	KUNIT_CASE_PARAM(ident_map_bad_args_test, bad_gen_params),
	KUNIT_CASE(ident_map_enomem_test),
	KUNIT_CASE(ident_map_table_count_test),
	{}
};

static struct kunit_suite ident_map_test_suite = {
	.name = "kexec_x_ident_map",
	.test_cases = ident_map_test_cases,
};
kunit_test_suite(ident_map_test_suite);

MODULE_DESCRIPTION("KUnit tests for kexec_x's x86_64 page tables");
MODULE_LICENSE("GPL");
