// SPDX-License-Identifier: GPL-2.0
/*
 * place.c - find free holes of physical memory for the pieces of an image.
 *
 * Pure code (see kx_lib.h), shared by the module and the loader.
 *
 * The search walks each RAM window with a candidate start and, whenever the
 * candidate overlaps a busy range, jumps past that range.  A jump always
 * moves the candidate strictly past the busy range it hit, so each busy
 * range is hit at most once per window and the walk ends after at most
 * nr_busy + 1 steps.
 */
#include "kx_lib.h"
#include "place.h"

bool kx_range_inside(const struct kx_range *r, unsigned int nr,
		     u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return false;
	for (i = 0; i < nr; i++)
		if (r[i].start <= start && end <= r[i].end)
			return true;
	return false;
}

void kx_place_init(struct kx_place *p, const struct kx_range *ram,
		   unsigned int nr_ram, const struct kx_range *avoid,
		   unsigned int nr_avoid)
{
	memset(p, 0, sizeof(*p));
	p->ram = ram;
	p->nr_ram = nr_ram;
	p->avoid = avoid;
	p->nr_avoid = nr_avoid;
}

/* First range of @r[0..nr) that overlaps [start, end), or NULL. */
static const struct kx_range *kx_first_overlap(const struct kx_range *r,
					       unsigned int nr,
					       u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (kx_overlaps(start, end, r[i].start, r[i].end))
			return &r[i];
	return NULL;
}

/* A busy range (avoided or taken) overlapping [start, end), or NULL. */
static const struct kx_range *kx_place_conflict(const struct kx_place *p,
						u64 start, u64 end)
{
	const struct kx_range *b;

	b = kx_first_overlap(p->avoid, p->nr_avoid, start, end);
	if (!b)
		b = kx_first_overlap(p->taken, p->nr_taken, start, end);
	return b;
}

/* Round @x up to @align (a power of two); false when that wraps. */
static bool kx_align_up(u64 x, u64 align, u64 *out)
{
	u64 r = x + (align - 1);

	if (r < x)
		return false;
	*out = r & ~(align - 1);
	return true;
}

/* Lowest free start of a hole of @size inside [lo, hi), lo < hi. */
static bool kx_fit_bottom_up(const struct kx_place *p, u64 lo, u64 hi,
			     u64 size, u64 align, u64 *start)
{
	const struct kx_range *b;
	u64 s;

	if (!kx_align_up(lo, align, &s))
		return false;
	for (;;) {
		if (s > hi || hi - s < size)
			return false;
		b = kx_place_conflict(p, s, s + size);
		if (!b) {
			*start = s;
			return true;
		}
		/* Every start in [s, b->end) still overlaps b. */
		if (!kx_align_up(b->end, align, &s))
			return false;
	}
}

/* Highest free start of a hole of @size inside [lo, hi), lo < hi. */
static bool kx_fit_top_down(const struct kx_place *p, u64 lo, u64 hi,
			    u64 size, u64 align, u64 *start)
{
	const struct kx_range *b;
	u64 s;

	if (hi - lo < size)
		return false;
	s = ALIGN_DOWN(hi - size, align);
	for (;;) {
		if (s < lo)
			return false;
		b = kx_place_conflict(p, s, s + size);
		if (!b) {
			*start = s;
			return true;
		}
		/* Every start at or below s ends past b->start. */
		if (b->start < size)
			return false;
		s = ALIGN_DOWN(b->start - size, align);
	}
}

/* Best fitting start inside RAM range @ram clipped to the request. */
static bool kx_fit_range(const struct kx_place *p, const struct kx_range *ram,
			 const struct kx_hole *req, u64 *start)
{
	u64 lo = max(ram->start, req->min);
	u64 hi = min(ram->end, req->max);

	if (lo >= hi)
		return false;
	if (req->top_down)
		return kx_fit_top_down(p, lo, hi, req->size, req->align, start);
	return kx_fit_bottom_up(p, lo, hi, req->size, req->align, start);
}

int kx_place_find(const struct kx_place *p, const struct kx_hole *req,
		  u64 *start)
{
	bool found = false;
	unsigned int i;
	u64 best = 0, s;

	if (!req->size || !req->align || (req->align & (req->align - 1)))
		return -EINVAL;

	for (i = 0; i < p->nr_ram; i++) {
		if (!kx_fit_range(p, &p->ram[i], req, &s))
			continue;
		if (!found || (req->top_down ? s > best : s < best))
			best = s;
		found = true;
	}
	if (!found)
		return -EADDRNOTAVAIL;
	*start = best;
	return 0;
}

int kx_place_alloc(struct kx_place *p, const struct kx_hole *req, u64 *start)
{
	u64 s;
	int ret;

	if (p->nr_taken >= KX_PLACE_TAKEN_MAX)
		return -ENOSPC;
	ret = kx_place_find(p, req, &s);
	if (ret)
		return ret;
	p->taken[p->nr_taken].start = s;
	p->taken[p->nr_taken].end = s + req->size;
	p->nr_taken++;
	*start = s;
	return 0;
}

int kx_find_hole(const struct kx_range *ram, unsigned int nr_ram,
		 const struct kx_range *busy, unsigned int nr_busy,
		 const struct kx_hole *req, u64 *start)
{
	struct kx_place p;

	kx_place_init(&p, ram, nr_ram, busy, nr_busy);
	return kx_place_find(&p, req, start);
}
