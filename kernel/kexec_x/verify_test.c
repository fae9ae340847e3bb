// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kexec_x's image checksum and indirection list walk
 * (verify.c).  The checksum rows are worked out by hand from the
 * definition in verify.h; the walk runs over a hand-built list in a small
 * simulated physical memory.
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "verify.h"

#define W_MAX	8

struct csum_case {
	const char *desc;
	u64 w[W_MAX];
	unsigned int nr;
	u64 a, b;
};

static const struct csum_case csum_cases[] = {
	{ .desc = "nothing", .nr = 0, .a = 0, .b = 0 },
	{ .desc = "one word", .w = { 1 }, .nr = 1, .a = 1, .b = 1 },
	{ .desc = "b sums the running a", .w = { 1, 2, 3 }, .nr = 3,
	  .a = 6, .b = 1 + 3 + 6 },
	{ .desc = "unrolled round and tail agree", .w = { 1, 1, 1, 1, 1 },
	  .nr = 5, .a = 5, .b = 1 + 2 + 3 + 4 + 5 },
	{ .desc = "sums wrap modulo 2^64", .w = { ~0ULL, 1 }, .nr = 2,
	  .a = 0, .b = ~0ULL },
	{ .desc = "leading zeros add nothing", .w = { 0, 0, 7 }, .nr = 3,
	  .a = 7, .b = 7 },
	{ .desc = "order matters: 2 then 1", .w = { 2, 1 }, .nr = 2,
	  .a = 3, .b = 2 + 3 },
	{ .desc = "order matters: 1 then 2", .w = { 1, 2 }, .nr = 2,
	  .a = 3, .b = 1 + 3 },
	{ .desc = "eight words, two rounds",
	  .w = { 1, 2, 3, 4, 5, 6, 7, 8 }, .nr = 8, .a = 36,
	  .b = 1 + 3 + 6 + 10 + 15 + 21 + 28 + 36 },
};

static void csum_case_desc(const struct csum_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(csum, csum_cases, csum_case_desc);

static void csum_table_test(struct kunit *test)
{
	const struct csum_case *c = test->param_value;
	struct kx_csum s = { 0, 0 };
	unsigned int split;

	kx_csum_update(&s, c->w, c->nr * sizeof(u64));
	KUNIT_EXPECT_EQ(test, s.a, c->a);
	KUNIT_EXPECT_EQ(test, s.b, c->b);

	/* Any split into two updates gives the same sums. */
	for (split = 0; split <= c->nr; split++) {
		struct kx_csum t = { 0, 0 };

		kx_csum_update(&t, c->w, split * sizeof(u64));
		kx_csum_update(&t, c->w + split, (c->nr - split) * sizeof(u64));
		KUNIT_EXPECT_EQ(test, t.a, c->a);
		KUNIT_EXPECT_EQ(test, t.b, c->b);
	}
}

/* Every single-bit flip of a page changes the checksum. */
static void csum_bit_flip_test(struct kunit *test)
{
	u64 *page = kunit_kzalloc(test, KX_PAGE_SIZE, GFP_KERNEL);
	struct kx_csum ref = { 0, 0 };
	unsigned int i, bit;

	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < KX_PAGE_SIZE / 8; i++)
		page[i] = i * 0x9e3779b97f4a7c15ULL;
	kx_csum_update(&ref, page, KX_PAGE_SIZE);
	for (i = 0; i < KX_PAGE_SIZE / 8; i += 37) {
		for (bit = 0; bit < 64; bit += 9) {
			struct kx_csum s = { 0, 0 };

			page[i] ^= 1ULL << bit;
			kx_csum_update(&s, page, KX_PAGE_SIZE);
			page[i] ^= 1ULL << bit;
			KUNIT_EXPECT_TRUE(test, s.a != ref.a || s.b != ref.b);
		}
	}
}

/* ---- the list walk over a simulated physical memory ---- */

#define SIM_PAGES	8	/* physical pages 0x0000 .. 0x7000 */

struct sim {
	u64 *mem;	/* SIM_PAGES pages */
};

static void *sim_p2v(void *ctx, u64 phys)
{
	struct sim *sim = ctx;

	return (u8 *)sim->mem + phys;
}

static const struct kx_alloc_ops sim_ops = { .phys_to_virt = sim_p2v };

#define WALK_MAX	8

struct walk_rec {
	unsigned int n;
	u64 src[WALK_MAX];
	u64 dest[WALK_MAX];
	unsigned int stop_at;	/* return 1 on this call (1-based), 0: never */
};

static int walk_fn(void *ctx, void *src, u64 src_phys, u64 dest)
{
	struct walk_rec *r = ctx;

	if (r->n < WALK_MAX) {
		r->src[r->n] = src_phys;
		r->dest[r->n] = dest;
	}
	r->n++;
	return r->stop_at && r->n == r->stop_at;
}

/*
 * head -> list page 0x1000: DEST 0x100000, SRC 0x3000, SRC 0x4000,
 *                           IND 0x2000
 *         list page 0x2000: DEST 0x200000, SRC 0x5000, DONE
 */
static struct kx_image *sim_image(struct kunit *test, struct sim *sim)
{
	struct kx_image *img = kunit_kzalloc(test, sizeof(*img), GFP_KERNEL);
	u64 *l1, *l2;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, img);
	sim->mem = kunit_kzalloc(test, SIM_PAGES * KX_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim->mem);
	l1 = sim_p2v(sim, 0x1000);
	l2 = sim_p2v(sim, 0x2000);
	l1[0] = 0x100000 | KX_IND_DESTINATION;
	l1[1] = 0x3000 | KX_IND_SOURCE;
	l1[2] = 0x4000 | KX_IND_SOURCE;
	l1[3] = 0x2000 | KX_IND_INDIRECTION;
	l2[0] = 0x200000 | KX_IND_DESTINATION;
	l2[1] = 0x5000 | KX_IND_SOURCE;
	l2[2] = KX_IND_DONE;
	for (i = 0; i < 3 * KX_PAGE_SIZE / 8; i++)
		((u64 *)sim_p2v(sim, 0x3000))[i] = i + 1;
	img->ops = &sim_ops;
	img->ctx = sim;
	img->head = 0x1000 | KX_IND_INDIRECTION;
	return img;
}

static void walk_order_test(struct kunit *test)
{
	struct sim sim;
	struct kx_image *img = sim_image(test, &sim);
	struct walk_rec r = { 0 };

	KUNIT_ASSERT_EQ(test, kx_image_walk_sources(img, walk_fn, &r), 0);
	KUNIT_ASSERT_EQ(test, r.n, 3U);
	KUNIT_EXPECT_EQ(test, r.src[0], 0x3000ULL);
	KUNIT_EXPECT_EQ(test, r.dest[0], 0x100000ULL);
	KUNIT_EXPECT_EQ(test, r.src[1], 0x4000ULL);
	KUNIT_EXPECT_EQ(test, r.dest[1], 0x101000ULL);
	KUNIT_EXPECT_EQ(test, r.src[2], 0x5000ULL);
	KUNIT_EXPECT_EQ(test, r.dest[2], 0x200000ULL);
}

static void walk_stop_test(struct kunit *test)
{
	struct sim sim;
	struct kx_image *img = sim_image(test, &sim);
	struct walk_rec r = { .stop_at = 2 };

	KUNIT_EXPECT_EQ(test, kx_image_walk_sources(img, walk_fn, &r), 1);
	KUNIT_EXPECT_EQ(test, r.n, 2U);
}

static void walk_bad_head_test(struct kunit *test)
{
	struct sim sim;
	struct kx_image *img = sim_image(test, &sim);
	struct walk_rec r = { 0 };

	img->head = 0x3000 | KX_IND_SOURCE;
	KUNIT_EXPECT_EQ(test, kx_image_walk_sources(img, walk_fn, &r),
			-EINVAL);
}

/* The image checksum is the checksum of the sources in list order. */
static void image_csum_test(struct kunit *test)
{
	struct sim sim;
	struct kx_image *img = sim_image(test, &sim);
	struct kx_csum got, want = { 0, 0 };
	u64 *src;

	kx_csum_update(&want, sim_p2v(&sim, 0x3000), 3 * KX_PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, kx_image_csum(img, &got), 0);
	KUNIT_EXPECT_EQ(test, got.a, want.a);
	KUNIT_EXPECT_EQ(test, got.b, want.b);

	/* A changed word in the last source page shows. */
	src = sim_p2v(&sim, 0x5000);
	src[100] ^= 0x40;
	KUNIT_ASSERT_EQ(test, kx_image_csum(img, &got), 0);
	KUNIT_EXPECT_TRUE(test, got.a != want.a || got.b != want.b);
}

static struct kunit_case verify_test_cases[] = {
	KUNIT_CASE_PARAM(csum_table_test, csum_gen_params),
	KUNIT_CASE(csum_bit_flip_test),
	KUNIT_CASE(walk_order_test),
	KUNIT_CASE(walk_stop_test),
	KUNIT_CASE(walk_bad_head_test),
	KUNIT_CASE(image_csum_test),
	{}
};

static struct kunit_suite verify_test_suite = {
	.name = "kexec_x_verify",
	.test_cases = verify_test_cases,
};
kunit_test_suite(verify_test_suite);
