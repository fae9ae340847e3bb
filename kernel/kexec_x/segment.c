// SPDX-License-Identifier: GPL-2.0
/*
 * segment.c - check the segment list of a kexec_x image.
 *
 * Pure code: it includes only kx_lib.h and kimage.h, so the module, the
 * KUnit tests and the userspace loader in samples/kexec_x/ share it.
 *
 * Nothing here trusts the caller.  The segments come straight from
 * userspace, and everything that later copies, allocates around or jumps
 * into them relies on the invariants established here:
 *
 *   - every segment is page aligned, non-empty and does not wrap;
 *   - every segment ends at or below the architecture's limit;
 *   - no two segments overlap;
 *   - no segment, nor all of them together, is larger than max_bytes;
 *   - every segment is System RAM (and inside the crash reservation, for
 *     a crash image);
 *   - the entry point lies inside a segment.
 */

#include "kimage.h"

/* One per-segment rule: a predicate that is true for a bad segment. */
struct kx_seg_rule {
	bool (*bad)(const struct kexec_x_segment *s,
		    const struct kx_seg_limits *lim);
	int err;
};

static u64 kx_seg_end(const struct kexec_x_segment *s)
{
	return s->mem + s->memsz;
}

/*
 * The relocation walk copies whole pages, and the kernel's page allocator
 * can only keep pages out of the way, so a destination must start and end
 * on a page boundary.
 */
static bool kx_seg_unaligned(const struct kexec_x_segment *s,
			     const struct kx_seg_limits *lim)
{
	return !IS_ALIGNED(s->mem, KX_PAGE_SIZE) ||
	       !IS_ALIGNED(s->memsz, KX_PAGE_SIZE);
}

/* A wrapping segment would make every later comparison meaningless. */
static bool kx_seg_wraps(const struct kexec_x_segment *s,
			 const struct kx_seg_limits *lim)
{
	return kx_seg_end(s) < s->mem;
}

/* The new kernel cannot be placed where the relocation code cannot reach. */
static bool kx_seg_above_limit(const struct kexec_x_segment *s,
			       const struct kx_seg_limits *lim)
{
	return kx_seg_end(s) > lim->dest_limit;
}

/* An empty segment has no destination: refuse it rather than skip it. */
static bool kx_seg_empty(const struct kexec_x_segment *s,
			 const struct kx_seg_limits *lim)
{
	return s->memsz == 0;
}

/* The bytes to load must fit in the destination. */
static bool kx_seg_buf_too_big(const struct kexec_x_segment *s,
			       const struct kx_seg_limits *lim)
{
	return s->bufsz > s->memsz;
}

/* The per-segment rules, in the order kimage.h documents them. */
static const struct kx_seg_rule kx_seg_rules[] = {
	{ kx_seg_unaligned,	-EADDRNOTAVAIL },
	{ kx_seg_wraps,		-EADDRNOTAVAIL },
	{ kx_seg_above_limit,	-EADDRNOTAVAIL },
	{ kx_seg_empty,		-EINVAL },
	{ kx_seg_buf_too_big,	-EINVAL },
};

/* Apply one rule to every segment: the first bad one decides. */
static int kx_check_rule(const struct kx_seg_rule *rule,
			 const struct kexec_x_segment *segs, unsigned int nr,
			 const struct kx_seg_limits *lim)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (rule->bad(&segs[i], lim))
			return rule->err;
	return 0;
}

/*
 * Overlapping destinations would make the result depend on the copy order.
 * Only called once every segment is known not to wrap.
 */
static int kx_check_overlap(const struct kexec_x_segment *segs,
			    unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++)
		for (j = i + 1; j < nr; j++)
			if (segs[i].mem < kx_seg_end(&segs[j]) &&
			    segs[j].mem < kx_seg_end(&segs[i]))
				return -EINVAL;
	return 0;
}

/*
 * The image is held in memory until it is executed, and loading it is not
 * interruptible between pages of one copy: keep one segment and the whole
 * image below max_bytes.  total never exceeds max_bytes, so the sum cannot
 * overflow.
 */
static int kx_check_size(const struct kexec_x_segment *segs, unsigned int nr,
			 u64 max_bytes)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (segs[i].memsz > max_bytes - total)
			return -EINVAL;
		total += segs[i].memsz;
	}
	return 0;
}

/*
 * A crash image is loaded by the running kernel while it is healthy and
 * started from a panic: only the crash reservation is guaranteed to be
 * unused then.
 */
static int kx_check_crash(const struct kexec_x_segment *segs, unsigned int nr,
			  const struct kx_seg_limits *lim)
{
	unsigned int i;

	if (!lim->crash_start && !lim->crash_end)
		return 0;	/* a normal image */

	for (i = 0; i < nr; i++)
		if (segs[i].mem < lim->crash_start ||
		    kx_seg_end(&segs[i]) > lim->crash_end)
			return -EADDRNOTAVAIL;
	return 0;
}

/*
 * Stricter than the kernel, which trusts userspace here: writing a
 * destination that is MMIO or firmware memory at exec time would fail in
 * ways nobody can debug.  A NULL is_ram skips the check (userspace tools
 * that cannot know).
 */
static int kx_check_ram(const struct kexec_x_segment *segs, unsigned int nr,
			const struct kx_seg_limits *lim)
{
	unsigned int i;

	if (!lim->is_ram)
		return 0;

	for (i = 0; i < nr; i++)
		if (!lim->is_ram(lim->ram_ctx, segs[i].mem,
				 kx_seg_end(&segs[i])))
			return -EADDRNOTAVAIL;
	return 0;
}

/* Jumping outside the loaded image would run whatever memory holds then. */
static int kx_check_entry(const struct kexec_x_segment *segs, unsigned int nr,
			  u64 entry)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (entry >= segs[i].mem && entry < kx_seg_end(&segs[i]))
			return 0;
	return -EINVAL;
}

int kx_check_segments(const struct kexec_x_segment *segs, unsigned int nr,
		      u64 entry, const struct kx_seg_limits *lim)
{
	unsigned int i;
	int ret;

	if (nr == 0 || nr > KEXEC_X_SEGMENT_MAX)
		return -EINVAL;

	for (i = 0; i < ARRAY_SIZE(kx_seg_rules); i++) {
		ret = kx_check_rule(&kx_seg_rules[i], segs, nr, lim);
		if (ret)
			return ret;
	}

	ret = kx_check_overlap(segs, nr);
	if (!ret)
		ret = kx_check_size(segs, nr, lim->max_bytes);
	if (!ret)
		ret = kx_check_crash(segs, nr, lim);
	if (!ret)
		ret = kx_check_ram(segs, nr, lim);
	if (!ret)
		ret = kx_check_entry(segs, nr, entry);
	return ret;
}
