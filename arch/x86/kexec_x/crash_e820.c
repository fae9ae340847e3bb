// SPDX-License-Identifier: GPL-2.0
/*
 * crash_e820.c - the memory map an x86 crash (kdump) kernel boots with.
 *
 * Pure code (see kx_lib.h), shared by the module and the loader.  The map
 * is grown with kx_e820_add(), which keeps it sorted and merged whatever
 * order the entries come in; the reservations minus the exclusions come
 * from kx_range_iter_next(), as the ELF core header's PT_LOADs do.
 */
#include "kx_lib.h"
#include "place.h"
#include "bootparam.h"
#include "elfcore.h"
#include "crash_e820.h"

/* Reservations are non-empty and pairwise disjoint; exclusions non-empty. */
static bool kx_crash_e820_in_ok(const struct kx_crash_e820_in *in)
{
	const struct kx_range *c = in->crash;
	unsigned int i, j;

	if (!in->nr_crash)
		return false;
	for (i = 0; i < in->nr_crash; i++) {
		if (c[i].start >= c[i].end)
			return false;
		for (j = 0; j < i; j++)
			if (kx_overlaps(c[i].start, c[i].end,
					c[j].start, c[j].end))
				return false;
	}
	for (i = 0; i < in->nr_exclude; i++)
		if (in->exclude[i].start >= in->exclude[i].end)
			return false;
	return true;
}

/* The part of firmware entry @e the crash kernel gets, if any. */
static int kx_crash_e820_add_fw(struct kx_e820 *out, unsigned int *nr,
				unsigned int max, const struct kx_e820 *e)
{
	if (e->start > e->end)
		return -EINVAL;
	switch (e->type) {
	case KX_E820_RAM:
		if (e->start >= KX_CRASH_LOW_END)
			return 0;
		return kx_e820_add(out, nr, max, e->start,
				   min(e->end, KX_CRASH_LOW_END), KX_E820_RAM);
	case KX_E820_RESERVED:
	case KX_E820_ACPI:
	case KX_E820_NVS:
		return kx_e820_add(out, nr, max, e->start, e->end, e->type);
	default:
		return 0;
	}
}

/* The reservations minus the exclusions, as RAM, dropping sub-page bits. */
static int kx_crash_e820_add_crash(const struct kx_crash_e820_in *in,
				   struct kx_e820 *out, unsigned int *nr,
				   unsigned int max)
{
	struct kx_range_iter it;
	struct kx_range piece;
	int ret;

	kx_range_iter_init(&it, in->crash, in->nr_crash, in->exclude,
			   in->nr_exclude);
	while (kx_range_iter_next(&it, &piece)) {
		if (piece.end - piece.start < KX_PAGE_SIZE)
			continue;
		ret = kx_e820_add(out, nr, max, piece.start, piece.end,
				  KX_E820_RAM);
		if (ret)
			return ret;
	}
	return 0;
}

int kx_crash_e820_build(const struct kx_crash_e820_in *in,
			struct kx_e820 *out, unsigned int max)
{
	unsigned int i, nr = 0;
	int ret;

	if (!kx_crash_e820_in_ok(in))
		return -EINVAL;
	for (i = 0; i < in->nr_fw; i++) {
		ret = kx_crash_e820_add_fw(out, &nr, max, &in->fw[i]);
		if (ret)
			return ret;
	}
	ret = kx_crash_e820_add_crash(in, out, &nr, max);
	if (ret)
		return ret;
	return nr;
}
