// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kimage.c: page allocation around destinations, control
 * blocks and the indirection list.
 *
 * The image is built over a simulated physical memory: an array of pages
 * with a page allocator whose order of hand-out each case chooses, so that
 * it returns destination pages (the current one, later ones, already
 * filled ones) at the worst moments, and that can be made to fail after K
 * allocations.  The built list is then run through a model of the
 * relocation walk - exactly what the assembly stubs do - over the
 * simulated memory, and the result is checked: every destination holds
 * its bytes, tails are zero, no source was overwritten before it was
 * copied, list and control pages are outside every destination, pages in
 * place were not copied, and freeing the image gives every page back.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/vmalloc.h>

#include "kimage.h"

#define PG		KX_PAGE_SIZE
#define SIM_BASE	0x40000000ULL	/* physical address of simulated page 0 */
#define SIM_FREE	0xff		/* sim.order[] of a page not allocated */
#define POISON_FREE	0x6b
#define POISON_DIRTY	0x5a

/* ------------------------------------------------------------------------
 * Simulated physical memory and its page allocator.
 */

/**
 * struct sim - simulated physical memory
 * @test:        the running test, for failures inside callbacks
 * @nr_pages:    size of the memory
 * @mem:         its bytes; page i is at physical SIM_BASE + i * PG
 * @order:       order of the block starting at each page, SIM_FREE if the
 *               page is free, SIM_FREE - 1 inside a block
 * @prefer:      pages to hand out first, in this order, while free
 * @nr_prefer:   entries in @prefer
 * @top_down:    after @prefer, hand out the highest free block first
 * @fail_after:  succeed this many allocations, then fail (-1: never)
 * @dirty:       hand out pages full of junk instead of zeroed
 * @nr_allocs:   allocations that succeeded
 * @outstanding: pages allocated and not freed
 * @claimed:     pages handed out by sim_claim()
 */
struct sim {
	struct kunit *test;
	unsigned int nr_pages;
	u8 *mem;
	u8 *order;
	const unsigned int *prefer;
	unsigned int nr_prefer;
	bool top_down;
	int fail_after;
	bool dirty;
	unsigned int nr_allocs;
	unsigned int outstanding;
	unsigned int claimed;
};

static u8 *sim_page(struct sim *sim, unsigned int pg)
{
	return sim->mem + (size_t)pg * PG;
}

static u64 sim_phys(unsigned int pg)
{
	return SIM_BASE + (u64)pg * PG;
}

static unsigned int sim_pg(u64 phys)
{
	return (phys - SIM_BASE) >> KX_PAGE_SHIFT;
}

static bool sim_block_free(struct sim *sim, unsigned int pg,
			   unsigned int order)
{
	unsigned int i, n = 1U << order;

	if (pg % n || pg + n > sim->nr_pages)
		return false;
	for (i = 0; i < n; i++)
		if (sim->order[pg + i] != SIM_FREE)
			return false;
	return true;
}

/* First free block of 2^@order pages: preferred pages, then by address. */
static int sim_find(struct sim *sim, unsigned int order)
{
	unsigned int i, n = 1U << order;

	for (i = 0; i < sim->nr_prefer; i++)
		if (sim_block_free(sim, sim->prefer[i], order))
			return sim->prefer[i];

	for (i = 0; i + n <= sim->nr_pages; i += n) {
		unsigned int pg = sim->top_down ? sim->nr_pages - n - i : i;

		if (sim_block_free(sim, pg - pg % n, order))
			return pg - pg % n;
	}
	return -1;
}

static void *sim_alloc(void *ctx, unsigned int order, u64 *phys)
{
	struct sim *sim = ctx;
	unsigned int n = 1U << order;
	int pg;

	if (sim->fail_after >= 0 && sim->nr_allocs >= sim->fail_after)
		return NULL;
	pg = sim_find(sim, order);
	if (pg < 0)
		return NULL;

	memset(sim->order + pg, SIM_FREE - 1, n);
	sim->order[pg] = order;
	memset(sim_page(sim, pg), sim->dirty ? POISON_DIRTY : 0, n * PG);
	sim->nr_allocs++;
	sim->outstanding += n;
	*phys = sim_phys(pg);
	return sim_page(sim, pg);
}

static void sim_free(void *ctx, void *virt, unsigned int order)
{
	struct sim *sim = ctx;
	unsigned int n = 1U << order;
	size_t off = (u8 *)virt - sim->mem;
	unsigned int pg = off / PG;

	KUNIT_ASSERT_EQ_MSG(sim->test, off % PG, 0, "free of %p", virt);
	KUNIT_ASSERT_LT(sim->test, pg, sim->nr_pages);
	KUNIT_ASSERT_EQ_MSG(sim->test, sim->order[pg], order,
			    "free of page %u with the wrong order", pg);

	memset(sim->order + pg, SIM_FREE, n);
	memset(virt, POISON_FREE, n * PG);
	sim->outstanding -= n;
}

static void *sim_phys_to_virt(void *ctx, u64 phys)
{
	struct sim *sim = ctx;
	unsigned int pg = sim_pg(phys);

	KUNIT_ASSERT_GE(sim->test, phys, SIM_BASE);
	KUNIT_ASSERT_LT(sim->test, pg, sim->nr_pages);
	KUNIT_ASSERT_NE_MSG(sim->test, sim->order[pg], SIM_FREE,
			    "phys_to_virt of free page %u", pg);
	return sim_page(sim, pg) + (phys & (PG - 1));
}

static const struct kx_alloc_ops sim_ops = {
	.alloc = sim_alloc,
	.free = sim_free,
	.phys_to_virt = sim_phys_to_virt,
};

/*
 * ops->claim as alloc_contig_range(): all pages of the range free, or
 * nothing.  Claimed pages come full of junk: the image must fill them.
 */
static int sim_claim(void *ctx, u64 start, u64 end)
{
	struct sim *sim = ctx;
	unsigned int pg, first, last;

	KUNIT_ASSERT_TRUE(sim->test, start < end && !(start % PG) &&
			  !(end % PG) && end - start <= KX_CLAIM_CHUNK);
	if (start < SIM_BASE || sim_pg(end - 1) >= sim->nr_pages)
		return -EINVAL;
	first = sim_pg(start);
	last = sim_pg(end - 1);
	for (pg = first; pg <= last; pg++)
		if (sim->order[pg] != SIM_FREE)
			return -EBUSY;
	for (pg = first; pg <= last; pg++) {
		sim->order[pg] = 0;
		memset(sim_page(sim, pg), POISON_DIRTY, PG);
	}
	sim->outstanding += last - first + 1;
	sim->claimed += last - first + 1;
	return 0;
}

static const struct kx_alloc_ops sim_claim_ops = {
	.alloc = sim_alloc,
	.free = sim_free,
	.phys_to_virt = sim_phys_to_virt,
	.claim = sim_claim,
};

KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);

static struct sim *sim_create(struct kunit *test, unsigned int nr_pages)
{
	struct sim *sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, sim);
	sim->test = test;
	sim->nr_pages = nr_pages;
	sim->fail_after = -1;
	sim->mem = vzalloc((size_t)nr_pages * PG);
	KUNIT_ASSERT_NOT_NULL(test, sim->mem);
	ret = kunit_add_action_or_reset(test, vfree_action, sim->mem);
	KUNIT_ASSERT_EQ(test, ret, 0);
	sim->order = kunit_kmalloc(test, nr_pages, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim->order);
	memset(sim->order, SIM_FREE, nr_pages);
	return sim;
}

/* ------------------------------------------------------------------------
 * The image's source: byte @off of segment @seg is pattern(seg, off),
 * never 0, so that a missing copy or a non-zero tail shows.
 */

struct src {
	struct kunit *test;
	const struct kexec_x_segment *segs;
	int fail_at;		/* this read returns -EFAULT (-1: none) */
	unsigned int nr_reads;
};

static u8 pattern(unsigned int seg, u64 off)
{
	return 0x80 | ((off ^ (off >> 7) ^ (off >> 12) ^ (seg << 4)) & 0x7f);
}

static int src_read(void *ctx, unsigned int seg, u64 off, void *dst,
		    size_t len)
{
	struct src *src = ctx;
	u8 *d = dst;
	size_t i;

	KUNIT_EXPECT_LE(src->test, off + len, src->segs[seg].bufsz);
	KUNIT_EXPECT_NE(src->test, len, 0);
	if (src->fail_at >= 0 && src->nr_reads == src->fail_at)
		return -EFAULT;
	src->nr_reads++;
	for (i = 0; i < len; i++)
		d[i] = pattern(seg, off + i);
	return 0;
}

/* ------------------------------------------------------------------------
 * Scenarios.
 */

#define MAX_SEGS	KEXEC_X_SEGMENT_MAX
#define FULL		(~0U)	/* bufsz == memsz */
#define ANY		(-1)	/* do not check this count */

/**
 * struct img_case - an image, an allocator and what to expect
 * @name:        parameter name
 * @nr_pages:    simulated memory size
 * @segs:        per segment: first destination page, pages, bufsz in bytes
 *               (FULL for the whole segment)
 * @nr_segs:     number of segments
 * @prefer:      pages the allocator hands out first
 * @nr_prefer:   entries in @prefer
 * @prefer_dests: then hand out the destination pages, in segment order
 * @prefer_dests_rev: the same, in reverse order
 * @top_down:    the allocator hands out high pages first
 * @dirty:       the allocator hands out unzeroed pages
 * @ctl_before:  orders of control blocks allocated before loading ("012")
 * @ctl_after:   same, after kx_image_finish()
 * @direct:      expected nr_direct, or ANY
 * @nr_dest:     expected number of KX_IND_DESTINATION entries, or ANY
 * @nr_list:     expected nr_list, or ANY
 */
struct img_case {
	const char *name;
	unsigned int nr_pages;
	struct {
		unsigned int page, pages, bufsz;
	} segs[MAX_SEGS];
	unsigned int nr_segs;
	const unsigned int *prefer;
	unsigned int nr_prefer;
	bool prefer_dests;
	bool prefer_dests_rev;
	bool top_down;
	bool dirty;
	const char *ctl_before;
	const char *ctl_after;
	int direct;
	int nr_dest;
	int nr_list;
};

#define PREFER(...)							\
	.prefer = (const unsigned int []){ __VA_ARGS__ },		\
	.nr_prefer = sizeof((const unsigned int []){ __VA_ARGS__ }) /	\
		     sizeof(unsigned int)

static const struct img_case img_cases[] = {
	{
		/* Low pages first, destinations high: everything copied. */
		.name = "all_copied", .nr_pages = 32,
		.segs = { { 16, 4, FULL } }, .nr_segs = 1,
		.direct = 0, .nr_dest = 1, .nr_list = 1,
	}, {
		/* The allocator returns each destination as it is filled. */
		.name = "current_dest_in_place", .nr_pages = 32,
		.segs = { { 8, 4, FULL } }, .nr_segs = 1,
		PREFER(0, 8, 9, 10, 11),
		.direct = 4, .nr_dest = 1, .nr_list = 1,
	}, {
		/* Segment 1's pages come while segment 0 is loaded. */
		.name = "later_dest_reserved", .nr_pages = 32,
		.segs = { { 4, 2, FULL }, { 8, 2, FULL } }, .nr_segs = 2,
		PREFER(0, 8, 9),
		.direct = 2, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Segment 0's destinations come back while segment 1 loads. */
		.name = "filled_dest_held", .nr_pages = 32,
		.segs = { { 4, 2, FULL }, { 8, 2, FULL } }, .nr_segs = 2,
		PREFER(0, 1, 2, 4, 5),
		.direct = 0, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Filled, current and later pages of one segment, mixed. */
		.name = "same_segment_mixed", .nr_pages = 32,
		.segs = { { 4, 6, FULL } }, .nr_segs = 1,
		PREFER(0, 1, 4, 7, 2, 6, 9, 8),
		.nr_dest = 1, .direct = ANY, .nr_list = 1,
	}, {
		/* The list page itself is first offered destinations. */
		.name = "list_page_offered_dests", .nr_pages = 32,
		.segs = { { 0, 3, FULL }, { 10, 3, FULL } }, .nr_segs = 2,
		.prefer_dests = true,
		.direct = 6, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Destinations handed out last to first. */
		.name = "dests_reversed", .nr_pages = 40,
		.segs = { { 20, 4, FULL }, { 2, 4, FULL }, { 30, 3, 5000 } },
		.nr_segs = 3, .prefer_dests_rev = true,
		.direct = ANY, .nr_dest = 3, .nr_list = 1,
	}, {
		/* Segments out of address order, high memory first. */
		.name = "top_down", .nr_pages = 32, .top_down = true,
		.segs = { { 28, 4, FULL }, { 20, 4, FULL } }, .nr_segs = 2,
		.direct = ANY, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Contiguous segments need one destination entry. */
		.name = "contiguous_one_dest", .nr_pages = 32,
		.segs = { { 8, 2, FULL }, { 10, 3, FULL }, { 13, 1, FULL } },
		.nr_segs = 3, .direct = 0, .nr_dest = 1, .nr_list = 1,
	}, {
		/* Contiguous in address, not in index order: two entries. */
		.name = "adjacent_reversed", .nr_pages = 32,
		.segs = { { 10, 2, FULL }, { 8, 2, FULL } }, .nr_segs = 2,
		.direct = 0, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Buffers shorter than the segments, and empty. */
		.name = "partial_buffers", .nr_pages = 32,
		.segs = { { 8, 3, 4096 + 100 }, { 12, 2, 0 }, { 16, 2, 1 },
			  { 20, 1, 4095 } }, .nr_segs = 4,
		.direct = 0, .nr_dest = 4, .nr_list = 1,
	}, {
		/* The allocator leaves junk: tails must still be zero. */
		.name = "dirty_pages", .nr_pages = 32, .dirty = true,
		.segs = { { 8, 3, 4096 + 100 }, { 12, 2, 0 } }, .nr_segs = 2,
		PREFER(0, 12, 9),
		.direct = ANY, .nr_dest = 2, .nr_list = 1,
	}, {
		/* Control blocks offered destinations, before and after. */
		.name = "control_blocks", .nr_pages = 48,
		.segs = { { 0, 4, FULL }, { 8, 8, FULL } }, .nr_segs = 2,
		.prefer_dests = true, .ctl_before = "2100", .ctl_after = "102",
		.direct = 0, .nr_dest = 2, .nr_list = 1,
	}, {
		/* The most segments, scattered, handed out in reverse. */
		.name = "sixteen_segments", .nr_pages = 64,
		.segs = { { 1, 1, FULL }, { 3, 1, FULL }, { 5, 2, 10 },
			  { 9, 1, FULL }, { 11, 1, 0 }, { 13, 1, FULL },
			  { 15, 1, FULL }, { 17, 1, FULL }, { 19, 1, FULL },
			  { 21, 1, FULL }, { 23, 1, FULL }, { 25, 1, FULL },
			  { 27, 1, FULL }, { 29, 1, FULL }, { 31, 1, FULL },
			  { 40, 1, FULL } }, .nr_segs = 16,
		.prefer_dests_rev = true,
		.direct = ANY, .nr_dest = 16, .nr_list = 1,
	}, {
		/* More entries than one list page holds (511 + link). */
		.name = "two_list_pages", .nr_pages = 560,
		.segs = { { 30, 520, FULL } }, .nr_segs = 1,
		.direct = ANY, .nr_dest = 1, .nr_list = 2,
	}, {
		/* Three list pages, with destinations offered first. */
		.name = "three_list_pages", .nr_pages = 1100,
		.segs = { { 2, 1030, 1030 * 4096 - 7 } }, .nr_segs = 1,
		PREFER(1040), .prefer_dests = true,
		.direct = 1030, .nr_dest = 1, .nr_list = 3,
	},
};

static void img_case_desc(const struct img_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(img_cases, img_cases, img_case_desc);

/* ------------------------------------------------------------------------
 * Building an image.
 */

#define MAX_CTL		8

/**
 * struct run - one build of an image over a struct sim
 * @c:       the scenario
 * @sim:     its memory
 * @src:     its source
 * @segs:    its segments, as physical addresses
 * @img:     the image
 * @ctl:     physical address of each control block allocated
 * @ctl_order: and its order
 * @nr_ctl:  control blocks allocated
 * @stop_at: should_stop() returns true on this call (-1: never)
 * @claim:   build with ops->claim (sim_claim_ops)
 */
struct run {
	const struct img_case *c;
	struct sim *sim;
	struct src src;
	struct kexec_x_segment segs[MAX_SEGS];
	struct kx_image img;
	u64 ctl[MAX_CTL];
	unsigned int ctl_order[MAX_CTL];
	unsigned int nr_ctl;
	int stop_at;
	bool claim;
};

/* should_stop() takes no argument: the running test's counter. */
static int stop_countdown = -1;

static bool test_should_stop(void)
{
	return stop_countdown >= 0 && stop_countdown-- == 0;
}

static unsigned int case_pages(const struct img_case *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nr_segs; i++)
		n += c->segs[i].pages;
	return n;
}

/* The allocator's preferred pages: destinations (if asked), then prefer. */
static void run_prefer(struct kunit *test, struct run *r)
{
	const struct img_case *c = r->c;
	unsigned int *list, n = 0, i, j;

	list = kunit_kcalloc(test, case_pages(c) + c->nr_prefer,
			     sizeof(*list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, list);

	for (i = 0; i < c->nr_prefer; i++)
		list[n++] = c->prefer[i];
	for (i = 0; i < c->nr_segs; i++)
		for (j = 0; j < c->segs[i].pages; j++)
			list[n++] = c->segs[i].page + j;
	if (c->prefer_dests_rev)
		for (i = 0; i < (n - c->nr_prefer) / 2; i++)
			swap(list[c->nr_prefer + i], list[n - 1 - i]);

	r->sim->prefer = list;
	r->sim->nr_prefer = c->prefer_dests || c->prefer_dests_rev ?
			    n : c->nr_prefer;
}

static struct run *run_create(struct kunit *test, const struct img_case *c)
{
	struct run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->c = c;
	r->sim = sim_create(test, c->nr_pages);
	r->sim->top_down = c->top_down;
	r->sim->dirty = c->dirty;
	run_prefer(test, r);

	for (i = 0; i < c->nr_segs; i++) {
		struct kexec_x_segment *s = &r->segs[i];

		s->mem = sim_phys(c->segs[i].page);
		s->memsz = c->segs[i].pages * PG;
		s->bufsz = c->segs[i].bufsz == FULL ? s->memsz :
			   c->segs[i].bufsz;
		s->buf = 0x1000;
	}
	r->src.test = test;
	r->src.segs = r->segs;
	r->src.fail_at = -1;
	r->stop_at = -1;
	return r;
}

/* Give a run's memory back now: sweeps build hundreds of images. */
static void run_destroy(struct kunit *test, struct run *r)
{
	kunit_release_action(test, vfree_action, r->sim->mem);
	kunit_kfree(test, r->sim->order);
	kunit_kfree(test, r->sim->prefer);
	kunit_kfree(test, r->sim);
	kunit_kfree(test, r);
}

static int run_control(struct run *r, const char *orders)
{
	for (; orders && *orders; orders++) {
		unsigned int order = *orders - '0';
		u64 phys;

		if (!kx_image_alloc_control(&r->img, order, &phys))
			return -ENOMEM;
		if (r->nr_ctl < MAX_CTL) {
			r->ctl[r->nr_ctl] = phys;
			r->ctl_order[r->nr_ctl++] = order;
		}
	}
	return 0;
}

/* Build the whole image as the module does; stop at the first error. */
static int run_build(struct run *r)
{
	unsigned int i;
	int ret;

	kx_image_init(&r->img, r->claim ? &sim_claim_ops : &sim_ops, r->sim,
		      r->segs, r->c->nr_segs, r->segs[0].mem, 0);
	stop_countdown = r->stop_at;

	ret = run_control(r, r->c->ctl_before);
	for (i = 0; !ret && i < r->c->nr_segs; i++)
		ret = kx_image_load_segment(&r->img, i, src_read, &r->src,
					    test_should_stop);
	if (!ret)
		ret = kx_image_finish(&r->img);
	if (!ret)
		ret = run_control(r, r->c->ctl_after);

	stop_countdown = -1;
	return ret;
}

/* ------------------------------------------------------------------------
 * The relocation walk, as the stubs do it, over the simulated memory.
 */

/**
 * struct walk - what the walk saw
 * @mem:       the memory it ran over: a copy of the simulated memory, so
 *             that the image, whose held pages the walk overwrites as it
 *             would at exec time, can still be freed afterwards
 * @written:   pages written by the walk (a copy, or in place)
 * @list:      list pages read
 * @nr_copy:   pages copied
 * @nr_direct: sources skipped because already in place
 * @nr_dest:   KX_IND_DESTINATION entries
 * @nr_list:   list pages
 */
struct walk {
	u8 *mem;
	unsigned long *written;
	unsigned long *list;
	unsigned long nr_copy;
	unsigned long nr_direct;
	unsigned long nr_dest;
	unsigned long nr_list;
};

static bool in_dest(const struct run *r, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < r->c->nr_segs; i++)
		if (start < r->segs[i].mem + r->segs[i].memsz &&
		    r->segs[i].mem < end)
			return true;
	return false;
}

static bool sim_owned(const struct sim *sim, u64 phys)
{
	return phys >= SIM_BASE && sim_pg(phys) < sim->nr_pages &&
	       sim->order[sim_pg(phys)] != SIM_FREE;
}

static u8 *walk_page(struct walk *w, u64 phys)
{
	return w->mem + (size_t)sim_pg(phys) * PG;
}

/* A source entry: copy the page unless it is already in place. */
static void walk_source(struct kunit *test, struct run *r, struct walk *w,
			u64 src, u64 dest)
{
	struct sim *sim = r->sim;

	KUNIT_ASSERT_TRUE_MSG(test, in_dest(r, dest, dest + PG),
			      "copy to %llx, outside the destinations", dest);
	KUNIT_ASSERT_FALSE_MSG(test, test_bit(sim_pg(dest), w->written),
			       "destination %llx written twice", dest);
	KUNIT_ASSERT_TRUE_MSG(test, sim_owned(sim, src),
			      "source %llx is not the image's page", src);

	if (src == dest) {
		w->nr_direct++;
	} else {
		/* The invariant: a source is never some destination. */
		KUNIT_ASSERT_FALSE_MSG(test, in_dest(r, src, src + PG),
				       "source %llx inside a destination",
				       src);
		KUNIT_ASSERT_FALSE_MSG(test, test_bit(sim_pg(src), w->written),
				       "source %llx overwritten before its copy",
				       src);
		memcpy(walk_page(w, dest), walk_page(w, src), PG);
		w->nr_copy++;
	}
	__set_bit(sim_pg(dest), w->written);
}

/* A list page: owned, outside every destination, never written. */
static kx_entry_t *walk_list_page(struct kunit *test, struct run *r,
				  struct walk *w, u64 phys)
{
	KUNIT_ASSERT_TRUE_MSG(test, sim_owned(r->sim, phys),
			      "list page %llx is not the image's", phys);
	KUNIT_ASSERT_FALSE_MSG(test, in_dest(r, phys, phys + PG),
			       "list page %llx inside a destination", phys);
	KUNIT_ASSERT_FALSE(test, test_bit(sim_pg(phys), w->list));
	__set_bit(sim_pg(phys), w->list);
	w->nr_list++;
	return (kx_entry_t *)walk_page(w, phys);
}

static void walk(struct kunit *test, struct run *r, struct walk *w)
{
	unsigned int max_steps = 4 * r->sim->nr_pages + 16;
	kx_entry_t entry = r->img.head, *ptr = NULL;
	u64 dest = 0;
	bool have_dest = false;
	int ret;

	w->mem = vmalloc((size_t)r->sim->nr_pages * PG);
	KUNIT_ASSERT_NOT_NULL(test, w->mem);
	ret = kunit_add_action_or_reset(test, vfree_action, w->mem);
	KUNIT_ASSERT_EQ(test, ret, 0);
	memcpy(w->mem, r->sim->mem, (size_t)r->sim->nr_pages * PG);
	w->written = kunit_kcalloc(test, BITS_TO_LONGS(r->sim->nr_pages),
				   sizeof(long), GFP_KERNEL);
	w->list = kunit_kcalloc(test, BITS_TO_LONGS(r->sim->nr_pages),
				sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->written);
	KUNIT_ASSERT_NOT_NULL(test, w->list);

	for (;;) {
		u64 addr = entry & KX_PAGE_MASK;

		KUNIT_ASSERT_GT_MSG(test, max_steps--, 0, "the list loops");
		switch (entry & KX_IND_FLAGS) {
		case KX_IND_DESTINATION:
			dest = addr;
			have_dest = true;
			w->nr_dest++;
			break;
		case KX_IND_INDIRECTION:
			ptr = walk_list_page(test, r, w, addr);
			break;
		case KX_IND_SOURCE:
			KUNIT_ASSERT_TRUE(test, have_dest);
			walk_source(test, r, w, addr, dest);
			dest += PG;
			break;
		case KX_IND_DONE:
			return;
		default:
			KUNIT_FAIL_AND_ABORT(test, "bad entry %llx", entry);
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, ptr, "head is not a list page");
		entry = *ptr++;
	}
}

/* Every destination holds its segment: bufsz bytes, then zeroes. */
static void check_destinations(struct kunit *test, struct run *r,
			       struct walk *w)
{
	unsigned int i;
	u64 off;

	for (i = 0; i < r->c->nr_segs; i++) {
		const struct kexec_x_segment *s = &r->segs[i];
		const u8 *d = walk_page(w, s->mem);

		for (off = 0; off < s->memsz; off += PG) {
			bool done = test_bit(sim_pg(s->mem + off), w->written);

			KUNIT_ASSERT_TRUE_MSG(test, done, "segment %u page %llu",
					      i, off / PG);
		}
		for (off = 0; off < s->memsz; off++) {
			u8 want = off < s->bufsz ? pattern(i, off) : 0;

			if (d[off] != want)
				KUNIT_FAIL_AND_ABORT(test, "segment %u byte %llu: %#x, want %#x",
						     i, off, d[off], want);
		}
	}
}

/* Control blocks are outside every destination, and not written. */
static void check_control(struct kunit *test, struct run *r, struct walk *w)
{
	unsigned int i, j;

	for (i = 0; i < r->nr_ctl; i++) {
		u64 start = r->ctl[i], end = start + (PG << r->ctl_order[i]);

		KUNIT_EXPECT_FALSE_MSG(test, in_dest(r, start, end),
				       "control block %llx in a destination",
				       start);
		for (j = 0; j < (1U << r->ctl_order[i]); j++)
			KUNIT_EXPECT_TRUE(test, sim_owned(r->sim, start + j * PG));
	}
}

/*
 * Pages in the held chain.  Each held block lies in a destination: nothing
 * else is ever held.
 */
static unsigned int held_pages(struct kunit *test, struct run *r)
{
	unsigned int n = 0, steps = r->sim->nr_pages;
	u64 link = r->img.held;

	while (link & KX_LINK_VALID) {
		u64 phys = link & KX_PAGE_MASK;
		unsigned int order = link & KX_LINK_ORDER;

		KUNIT_ASSERT_GT_MSG(test, steps--, 0, "the held chain loops");
		KUNIT_EXPECT_TRUE(test, in_dest(r, phys, phys + (PG << order)));
		n += 1U << order;
		link = *(u64 *)sim_phys_to_virt(r->sim, phys);
	}
	return n;
}

/*
 * After kx_image_finish() the image owns exactly its sources, list pages,
 * control blocks and the blocks refused as control blocks since: nothing
 * reserved, no stray page.
 */
static void check_owned(struct kunit *test, struct run *r, struct walk *w)
{
	unsigned int ctl_pages = 0, i;

	for (i = 0; i < r->nr_ctl; i++)
		ctl_pages += 1U << r->ctl_order[i];

	KUNIT_EXPECT_TRUE(test, xa_empty(&r->img.reserved));
	if (!r->c->ctl_after)
		KUNIT_EXPECT_EQ(test, r->img.held, 0);
	KUNIT_EXPECT_EQ(test, r->sim->outstanding,
			r->img.nr_copy + r->img.nr_direct + r->img.nr_list +
			ctl_pages + held_pages(test, r));
}

static void check_counts(struct kunit *test, struct run *r, struct walk *w)
{
	const struct img_case *c = r->c;

	KUNIT_EXPECT_EQ(test, r->img.nr_copy, w->nr_copy);
	KUNIT_EXPECT_EQ(test, r->img.nr_direct, w->nr_direct);
	KUNIT_EXPECT_EQ(test, r->img.nr_list, w->nr_list);
	KUNIT_EXPECT_EQ(test, w->nr_copy + w->nr_direct, case_pages(c));
	if (c->direct != ANY)
		KUNIT_EXPECT_EQ(test, w->nr_direct, c->direct);
	if (c->nr_dest != ANY)
		KUNIT_EXPECT_EQ(test, w->nr_dest, c->nr_dest);
	if (c->nr_list != ANY)
		KUNIT_EXPECT_EQ(test, w->nr_list, c->nr_list);
}

static void check_freed(struct kunit *test, struct run *r)
{
	kx_image_free(&r->img);
	KUNIT_EXPECT_EQ_MSG(test, r->sim->outstanding, 0,
			    "pages left allocated after kx_image_free()");
}

/* ------------------------------------------------------------------------
 * Cases run on every scenario.
 */

/* Build, walk, check everything, free. */
static void kx_image_build_walk(struct kunit *test)
{
	struct run *r = run_create(test, test->param_value);
	struct walk w = {};

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	check_owned(test, r, &w);
	walk(test, r, &w);
	check_counts(test, r, &w);
	check_destinations(test, r, &w);
	check_control(test, r, &w);
	check_freed(test, r);
}

/*
 * The same with destinations claimed up front (copy once, or not at all):
 * the walk must produce the same memory, every claimed page must be used
 * in place, and a destination that was free before the first allocation
 * is never copied.
 */
static void kx_image_build_walk_claim(struct kunit *test)
{
	struct run *r = run_create(test, test->param_value);
	struct walk w = {};
	unsigned int i, free_dest = 0;

	/* What sim_claim() can give: whole free chunks inside the sim. */
	for (i = 0; i < r->c->nr_segs; i++) {
		const struct kexec_x_segment *s = &r->segs[i];
		u64 c, end, p;

		for (c = s->mem; c < s->mem + s->memsz; c = end) {
			unsigned int n = 0;

			end = min(ALIGN_DOWN(c, KX_CLAIM_CHUNK) + KX_CLAIM_CHUNK,
				  s->mem + s->memsz);
			for (p = c; p < end; p += PG)
				if (sim_pg(p) < r->sim->nr_pages &&
				    r->sim->order[sim_pg(p)] == SIM_FREE)
					n++;
			if (n == (end - c) / PG)
				free_dest += n;
		}
	}
	r->claim = true;
	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	check_owned(test, r, &w);
	walk(test, r, &w);
	KUNIT_EXPECT_EQ(test, r->img.nr_copy, w.nr_copy);
	KUNIT_EXPECT_EQ(test, r->img.nr_direct, w.nr_direct);
	KUNIT_EXPECT_EQ(test, w.nr_copy + w.nr_direct, case_pages(r->c));
	KUNIT_EXPECT_EQ(test, r->img.nr_claimed, r->sim->claimed);
	KUNIT_EXPECT_GE(test, w.nr_direct, r->sim->claimed);
	/* Nothing is allocated before the claim unless a control block is. */
	if (!r->c->ctl_before)
		KUNIT_EXPECT_EQ(test, r->sim->claimed, free_dest);
	check_destinations(test, r, &w);
	check_control(test, r, &w);
	check_freed(test, r);
}

/*
 * Failure sweeps rebuild the image once per failure point.  Large
 * scenarios are sampled: the first and last points, and a stride.
 */
static bool sweep_point(unsigned int k, unsigned int n)
{
	return n <= 64 || k < 8 || k + 8 >= n || k % 97 == 0;
}

/* The allocator fails after K allocations, for every K: -ENOMEM, no leak. */
static void kx_image_enomem_sweep(struct kunit *test)
{
	const struct img_case *c = test->param_value;
	struct run *r = run_create(test, c);
	unsigned int n, k;

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	n = r->sim->nr_allocs;
	check_freed(test, r);
	run_destroy(test, r);

	for (k = 0; k < n; k++) {
		if (!sweep_point(k, n))
			continue;
		r = run_create(test, c);
		r->sim->fail_after = k;
		KUNIT_ASSERT_EQ_MSG(test, run_build(r), -ENOMEM,
				    "allocation %u of %u failed", k, n);
		KUNIT_ASSERT_EQ(test, r->sim->nr_allocs, k);
		kx_image_free(&r->img);
		KUNIT_ASSERT_EQ_MSG(test, r->sim->outstanding, 0,
				    "leak after allocation %u failed", k);
		run_destroy(test, r);
	}
}

/* The read callback fails at its Nth call, for every N: -EFAULT, no leak. */
static void kx_image_efault_sweep(struct kunit *test)
{
	const struct img_case *c = test->param_value;
	struct run *r = run_create(test, c);
	unsigned int n, k;

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	n = r->src.nr_reads;
	check_freed(test, r);
	run_destroy(test, r);

	for (k = 0; k < n; k++) {
		if (!sweep_point(k, n))
			continue;
		r = run_create(test, c);
		r->src.fail_at = k;
		KUNIT_ASSERT_EQ_MSG(test, run_build(r), -EFAULT,
				    "read %u of %u failed", k, n);
		kx_image_free(&r->img);
		KUNIT_ASSERT_EQ_MSG(test, r->sim->outstanding, 0,
				    "leak after read %u failed", k);
		run_destroy(test, r);
	}
}

/* should_stop() says stop before page N, for a few N: -EINTR, no leak. */
static void kx_image_eintr(struct kunit *test)
{
	const struct img_case *c = test->param_value;
	unsigned int n = case_pages(c), k;

	for (k = 0; k < n; k += 1 + n / 8) {
		struct run *r = run_create(test, c);

		r->stop_at = k;
		KUNIT_ASSERT_EQ(test, run_build(r), -EINTR);
		check_freed(test, r);
		run_destroy(test, r);
	}
}

/* ------------------------------------------------------------------------
 * Single cases.
 */

static const struct img_case two_segs = {
	.name = "two_segs", .nr_pages = 32,
	.segs = { { 4, 2, FULL }, { 8, 2, FULL } }, .nr_segs = 2,
};

/* Page 4 is handed out when it is filled. */
static const struct img_case in_place = {
	.name = "in_place", .nr_pages = 16,
	.segs = { { 4, 1, FULL } }, .nr_segs = 1, PREFER(0, 4),
};

/* After loading, the allocator offers the destination first. */
static const struct img_case control_held = {
	.name = "control_held", .nr_pages = 16,
	.segs = { { 0, 4, FULL } }, .nr_segs = 1,
	PREFER(8, 9, 10, 11, 12, 0), .ctl_after = "1",
};

/* head links to the first list page, which starts with a destination. */
static void kx_image_head_format(struct kunit *test)
{
	struct run *r = run_create(test, &two_segs);
	kx_entry_t *list;

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	KUNIT_EXPECT_EQ(test, r->img.head & KX_IND_FLAGS, KX_IND_INDIRECTION);
	list = sim_phys_to_virt(r->sim, r->img.head & KX_PAGE_MASK);
	KUNIT_EXPECT_EQ(test, list[0], r->segs[0].mem | KX_IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, list[1] & KX_IND_FLAGS, KX_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, list[2] & KX_IND_FLAGS, KX_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, list[3], r->segs[1].mem | KX_IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, list[6], KX_IND_DONE);
	check_freed(test, r);
}

/* A page in place still has its entry, with source == destination. */
static void kx_image_in_place_entry(struct kunit *test)
{
	struct run *r = run_create(test, &in_place);
	kx_entry_t *list;

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	list = sim_phys_to_virt(r->sim, r->img.head & KX_PAGE_MASK);
	KUNIT_EXPECT_EQ(test, list[1], r->segs[0].mem | KX_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, r->img.nr_direct, 1);
	KUNIT_EXPECT_EQ(test, r->img.nr_copy, 0);
	check_freed(test, r);
}

/* Segments load in index order, each once; finish needs all of them. */
static void kx_image_load_order(struct kunit *test)
{
	struct run *r = run_create(test, &two_segs);
	struct kx_image *img = &r->img;

	kx_image_init(img, &sim_ops, r->sim, r->segs, 2, r->segs[0].mem, 0);
	KUNIT_EXPECT_EQ(test, kx_image_load_segment(img, 1, src_read, &r->src,
						    NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_image_finish(img), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_image_load_segment(img, 0, src_read, &r->src,
						    NULL), 0);
	KUNIT_EXPECT_EQ(test, kx_image_load_segment(img, 0, src_read, &r->src,
						    NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_image_finish(img), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_image_load_segment(img, 1, src_read, &r->src,
						    NULL), 0);
	KUNIT_EXPECT_EQ(test, kx_image_load_segment(img, 2, src_read, &r->src,
						    NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_image_finish(img), 0);
	check_freed(test, r);
}

/* Freeing an image nothing was loaded into, and freeing twice. */
static void kx_image_free_empty_and_twice(struct kunit *test)
{
	struct run *r = run_create(test, &two_segs);

	kx_image_init(&r->img, &sim_ops, r->sim, r->segs, 2, 0, 0);
	kx_image_free(&r->img);
	KUNIT_EXPECT_EQ(test, r->sim->outstanding, 0);

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	kx_image_free(&r->img);
	kx_image_free(&r->img);
	KUNIT_EXPECT_EQ(test, r->sim->outstanding, 0);
}

/* Every free page is a destination: no list page can be had. */
static void kx_image_no_room_for_list(struct kunit *test)
{
	static const struct img_case c = {
		.name = "no_room", .nr_pages = 8,
		.segs = { { 0, 8, FULL } }, .nr_segs = 1,
	};
	struct run *r = run_create(test, &c);

	KUNIT_EXPECT_EQ(test, run_build(r), -ENOMEM);
	/* Every page was handed out, and kept: none twice. */
	KUNIT_EXPECT_EQ(test, r->sim->outstanding, 8);
	check_freed(test, r);
}

/* Control blocks of every order stay outside the destinations. */
static void kx_image_control_orders(struct kunit *test)
{
	static const struct img_case c = {
		.name = "control", .nr_pages = 64,
		.segs = { { 0, 8, FULL }, { 16, 16, FULL } }, .nr_segs = 2,
		.prefer_dests = true, .ctl_before = "0123", .ctl_after = "3210",
	};
	struct run *r = run_create(test, &c);
	struct walk w = {};

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	KUNIT_EXPECT_EQ(test, r->nr_ctl, 8);
	walk(test, r, &w);
	check_destinations(test, r, &w);
	check_control(test, r, &w);
	/* Destinations offered for control pages were used in place. */
	KUNIT_EXPECT_EQ(test, r->img.nr_direct, 24);
	check_freed(test, r);
}

/* Only destinations are free: a control block cannot be had. */
static void kx_image_control_enomem(struct kunit *test)
{
	static const struct img_case c = {
		.name = "control_enomem", .nr_pages = 8,
		.segs = { { 0, 8, FULL } }, .nr_segs = 1,
	};
	struct run *r = run_create(test, &c);
	u64 phys;

	kx_image_init(&r->img, &sim_ops, r->sim, r->segs, 1, 0, 0);
	KUNIT_EXPECT_NULL(test, kx_image_alloc_control(&r->img, 0, &phys));
	KUNIT_EXPECT_NULL(test, kx_image_alloc_control(&r->img, 1, &phys));
	check_freed(test, r);
}

/* Rejected control blocks are held, not handed out again, then freed. */
static void kx_image_control_held_released(struct kunit *test)
{
	struct run *r = run_create(test, &control_held);

	KUNIT_ASSERT_EQ(test, run_build(r), 0);
	/* The order-1 blocks at 0 and 2 were refused, and stay held. */
	KUNIT_EXPECT_NE(test, r->img.held, 0);
	KUNIT_EXPECT_EQ(test, r->ctl[0] & (2 * PG - 1), 0);
	KUNIT_EXPECT_FALSE(test, in_dest(r, r->ctl[0], r->ctl[0] + 2 * PG));
	check_freed(test, r);
}

/* kx_image_is_destination() over half-open ranges. */
static void kx_image_is_destination_edges(struct kunit *test)
{
	struct run *r = run_create(test, &two_segs);
	struct kx_image *img = &r->img;
	u64 a = r->segs[0].mem, a_end = a + r->segs[0].memsz;
	u64 b = r->segs[1].mem, b_end = b + r->segs[1].memsz;

	kx_image_init(img, &sim_ops, r->sim, r->segs, 2, a, 0);
	KUNIT_EXPECT_FALSE(test, kx_image_is_destination(img, a - PG, a));
	KUNIT_EXPECT_TRUE(test, kx_image_is_destination(img, a - PG, a + 1));
	KUNIT_EXPECT_TRUE(test, kx_image_is_destination(img, a_end - 1, a_end));
	KUNIT_EXPECT_FALSE(test, kx_image_is_destination(img, a_end, b));
	KUNIT_EXPECT_TRUE(test, kx_image_is_destination(img, a_end, b + 1));
	KUNIT_EXPECT_TRUE(test, kx_image_is_destination(img, 0, ~0ULL));
	KUNIT_EXPECT_FALSE(test, kx_image_is_destination(img, b_end, ~0ULL));
	KUNIT_EXPECT_FALSE(test, kx_image_is_destination(img, a + 1, a + 1));
	kx_image_free(img);
}

static struct kunit_case kx_image_cases[] = {
	KUNIT_CASE_PARAM(kx_image_build_walk, img_cases_gen_params),
	KUNIT_CASE_PARAM(kx_image_build_walk_claim, img_cases_gen_params),
	KUNIT_CASE_PARAM(kx_image_enomem_sweep, img_cases_gen_params),
	KUNIT_CASE_PARAM(kx_image_efault_sweep, img_cases_gen_params),
	KUNIT_CASE_PARAM(kx_image_eintr, img_cases_gen_params),
	KUNIT_CASE(kx_image_head_format),
	KUNIT_CASE(kx_image_in_place_entry),
	KUNIT_CASE(kx_image_load_order),
	KUNIT_CASE(kx_image_free_empty_and_twice),
	KUNIT_CASE(kx_image_no_room_for_list),
	KUNIT_CASE(kx_image_control_orders),
	KUNIT_CASE(kx_image_control_enomem),
	KUNIT_CASE(kx_image_control_held_released),
	KUNIT_CASE(kx_image_is_destination_edges),
	{}
};

static struct kunit_suite kx_image_suite = {
	.name = "kexec_x_kimage",
	.test_cases = kx_image_cases,
};

kunit_test_suite(kx_image_suite);
