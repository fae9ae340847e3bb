/* SPDX-License-Identifier: GPL-2.0 */
/*
 * place.h - find free holes of physical memory for the pieces of an image.
 *
 * Pure code (see kx_lib.h): the module and the loader place kernel, initrd
 * and boot information with the same functions.
 *
 * Every range is [start, end): @end is exclusive, and start < end for a
 * non-empty range.  Empty ranges (start >= end) are ignored wherever they
 * appear.  A hole never spans two entries of the RAM list, so callers
 * merge adjacent RAM ranges first.
 */
#ifndef _KEXEC_X_PLACE_H
#define _KEXEC_X_PLACE_H

#include "kx_lib.h"
#include <linux/kexec_x.h>

/**
 * struct kx_range - a range of physical addresses
 * @start: first byte
 * @end:   first byte past the range
 */
struct kx_range {
	u64 start;
	u64 end;
};

/**
 * struct kx_hole - what a hole must look like
 * @size:     bytes, non-zero
 * @align:    alignment of the hole's start, a power of two (1 = none)
 * @min:      lowest address the hole may start at
 * @max:      the hole must end at or below @max (exclusive bound)
 * @top_down: take the highest fitting hole rather than the lowest
 */
struct kx_hole {
	u64 size;
	u64 align;
	u64 min;
	u64 max;
	bool top_down;
};

/*
 * Most holes one placement hands out: every piece placed becomes one
 * segment of the image.
 */
#define KX_PLACE_TAKEN_MAX	KEXEC_X_SEGMENT_MAX

/**
 * struct kx_place - the memory pieces of one image are placed in
 * @ram:      ranges that may hold pieces (System RAM), in any order;
 *            overlapping entries are allowed
 * @nr_ram:   entries at @ram
 * @avoid:    ranges no piece may overlap (crash reservation, firmware
 *            areas, ...), in any order
 * @nr_avoid: entries at @avoid
 * @taken:    pieces handed out so far by kx_place_alloc()
 * @nr_taken: entries used in @taken
 *
 * Invariant: the @taken ranges are non-empty, lie inside one @ram range
 * each and overlap neither each other nor @avoid.
 */
struct kx_place {
	const struct kx_range *ram;
	unsigned int nr_ram;
	const struct kx_range *avoid;
	unsigned int nr_avoid;
	struct kx_range taken[KX_PLACE_TAKEN_MAX];
	unsigned int nr_taken;
};

/* True when [a_start, a_end) and [b_start, b_end) share a byte. */
static inline bool kx_overlaps(u64 a_start, u64 a_end, u64 b_start, u64 b_end)
{
	return a_start < a_end && b_start < b_end &&
	       a_start < b_end && b_start < a_end;
}

/* True when [start, end) is non-empty and lies inside one of @r[0..nr). */
bool kx_range_inside(const struct kx_range *r, unsigned int nr,
		     u64 start, u64 end);

/* Start a placement with nothing taken; the arrays are not copied. */
void kx_place_init(struct kx_place *p, const struct kx_range *ram,
		   unsigned int nr_ram, const struct kx_range *avoid,
		   unsigned int nr_avoid);

/*
 * Find a hole as @req describes inside one @ram range of @p, overlapping
 * neither @avoid nor what was taken, and store its start in *@start.
 * Nothing is taken.  Returns 0, -EINVAL when @req is malformed (size 0,
 * alignment not a power of two) or -EADDRNOTAVAIL when no hole fits.
 */
int kx_place_find(const struct kx_place *p, const struct kx_hole *req,
		  u64 *start);

/*
 * As kx_place_find(), then take the hole so that later requests avoid it.
 * Returns -ENOSPC, taking nothing, when KX_PLACE_TAKEN_MAX holes are
 * already taken.
 */
int kx_place_alloc(struct kx_place *p, const struct kx_hole *req, u64 *start);

/*
 * One-shot search: a hole as @req describes inside one of @ram avoiding
 * every range of @busy.  Same return values as kx_place_find().
 */
int kx_find_hole(const struct kx_range *ram, unsigned int nr_ram,
		 const struct kx_range *busy, unsigned int nr_busy,
		 const struct kx_hole *req, u64 *start);

#endif /* _KEXEC_X_PLACE_H */
