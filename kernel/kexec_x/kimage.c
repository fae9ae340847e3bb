// SPDX-License-Identifier: GPL-2.0
/*
 * kimage.c - pages, control blocks and the indirection list of an image.
 *
 * The image is copied into pages of the running kernel at load time; at
 * exec time the relocation stub walks the indirection list and copies each
 * source page to its destination.  The stub runs with nothing but the list,
 * so the list must be safe to walk in any order of copies:
 *
 *   Invariant: every page the image owns (source, list and control pages)
 *   is either its own destination or outside every destination.
 *
 * A page outside every destination is never written by the walk, so it
 * cannot be overwritten before it is read.  A page that is its own
 * destination is already in place and the walk skips it.
 *
 * The page allocator knows nothing about destinations, so it will hand out
 * destination pages.  Each is kept by the image so that it is not handed
 * out again, and is:
 *
 *   - the destination being filled: used in place;
 *   - a destination not filled yet: kept in img->reserved, used in place
 *     when that destination is reached;
 *   - a destination already filled by a copy from another page: held,
 *     unused, until the image is finished (the walk overwrites it anyway).
 *
 * Blocks of more than one page (control blocks) are never used in place:
 * one inside a destination is held and another is tried.
 *
 * This file is pure: every page comes from struct kx_alloc_ops, so KUnit
 * drives it over a simulated physical memory.
 */

#include <linux/sched.h>
#include <linux/xarray.h>

#include "kimage.h"

#define KX_NO_DEST		(~0ULL)
#define KX_ENTRIES_PER_PAGE	(KX_PAGE_SIZE / sizeof(kx_entry_t))

static u64 kx_dest_end(const struct kexec_x_segment *s)
{
	return s->mem + s->memsz;
}

static unsigned long kx_pfn(u64 phys)
{
	return phys >> KX_PAGE_SHIFT;
}

static void *kx_virt(const struct kx_image *img, u64 phys)
{
	return img->ops->phys_to_virt(img->ctx, phys);
}

static void kx_free_block(const struct kx_image *img, void *virt,
			  unsigned int order)
{
	img->ops->free(img->ctx, virt, order);
}

bool kx_image_is_destination(const struct kx_image *img, u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return false;
	for (i = 0; i < img->nr_segments; i++)
		if (start < kx_dest_end(&img->segs[i]) &&
		    img->segs[i].mem < end)
			return true;
	return false;
}

/* The segment whose destination holds page @phys, or -1. */
static int kx_dest_segment(const struct kx_image *img, u64 phys)
{
	unsigned int i;

	for (i = 0; i < img->nr_segments; i++)
		if (phys >= img->segs[i].mem &&
		    phys < kx_dest_end(&img->segs[i]))
			return i;
	return -1;
}

/*
 * True when destination page @phys of segment @seg has been given its
 * source already.  Segments are loaded in index order and each from its
 * start upwards; img->dest is the next destination to fill while segment
 * img->nr_loaded is being loaded.  Between two segments img->dest is the
 * end of the previous one, which is either outside segment @seg or its
 * start (segments do not overlap), so nothing of @seg counts as filled.
 */
static bool kx_dest_filled(const struct kx_image *img, unsigned int seg,
			   u64 phys)
{
	if (seg != img->nr_loaded)
		return seg < img->nr_loaded;
	return img->segs[seg].mem <= img->dest && phys < img->dest;
}

/* Keep a block out of use until the image is finished or freed. */
static void kx_hold(struct kx_image *img, void *virt, u64 phys,
		    unsigned int order)
{
	*(u64 *)virt = img->held;
	img->held = phys | order | KX_LINK_VALID;
}

/* Give back every held block. */
static void kx_release_held(struct kx_image *img)
{
	u64 link = img->held;

	while (link & KX_LINK_VALID) {
		void *virt = kx_virt(img, link & KX_PAGE_MASK);
		unsigned int order = link & KX_LINK_ORDER;

		link = *(u64 *)virt;
		kx_free_block(img, virt, order);
	}
	img->held = 0;
}

/*
 * Keep a block the allocator returned inside a destination, so that it is
 * not returned again.  A single page of a destination not filled yet is
 * used in place later; anything else is held.  If the xarray cannot grow,
 * holding the page is just as safe.
 */
static void kx_keep(struct kx_image *img, void *virt, u64 phys,
		    unsigned int order)
{
	int seg = kx_dest_segment(img, phys);

	if (order == 0 && seg >= 0 && !kx_dest_filled(img, seg, phys) &&
	    !xa_insert(&img->reserved, kx_pfn(phys), virt, GFP_KERNEL))
		return;
	kx_hold(img, virt, phys, order);
}

/*
 * Get one page for destination @dest, or for the list (@dest is
 * KX_NO_DEST).  The page returned is @dest itself or outside every
 * destination; every other page the allocator hands out on the way is
 * kept by kx_keep().  Returns the page and *@phys, or NULL.
 */
static void *kx_alloc_page(struct kx_image *img, u64 dest, u64 *phys)
{
	void *virt;

	if (dest != KX_NO_DEST) {
		virt = xa_erase(&img->reserved, kx_pfn(dest));
		if (virt) {
			*phys = dest;
			return virt;
		}
	}

	for (;;) {
		virt = img->ops->alloc(img->ctx, 0, phys);
		if (!virt)
			return NULL;
		if (*phys == dest ||
		    !kx_image_is_destination(img, *phys, *phys + KX_PAGE_SIZE))
			return virt;
		kx_keep(img, virt, *phys, 0);
	}
}

void *kx_image_alloc_control(struct kx_image *img, unsigned int order,
			     u64 *phys)
{
	u64 size = KX_PAGE_SIZE << order;
	void *virt;

	if (order > KX_LINK_ORDER)
		return NULL;

	for (;;) {
		virt = img->ops->alloc(img->ctx, order, phys);
		if (!virt)
			return NULL;
		if (!kx_image_is_destination(img, *phys, *phys + size))
			break;
		kx_keep(img, virt, *phys, order);
	}

	if (xa_insert(&img->control, kx_pfn(*phys), xa_mk_value(order),
		      GFP_KERNEL)) {
		kx_free_block(img, virt, order);
		return NULL;
	}
	return virt;
}

/*
 * Append @entry to the list.  The last slot of each list page is kept for
 * the link to the next page, and the slot after the last entry is always 0,
 * so that a partly built list ends there and can be freed.  List pages are
 * outside every destination, so the walk never overwrites one.
 */
static int kx_add_entry(struct kx_image *img, kx_entry_t entry)
{
	if (img->entry_ptr == img->last_entry) {
		kx_entry_t *page;
		u64 phys;

		page = kx_alloc_page(img, KX_NO_DEST, &phys);
		if (!page)
			return -ENOMEM;
		*(img->entry_ptr ?: &img->head) = phys | KX_IND_INDIRECTION;
		img->entry_ptr = page;
		img->last_entry = page + KX_ENTRIES_PER_PAGE - 1;
		img->nr_list++;
	}

	*img->entry_ptr++ = entry;
	*img->entry_ptr = 0;
	return 0;
}

/*
 * Make @mem the destination of the next source page.  The walk advances
 * the destination by one page per source, so a segment that starts where
 * the previous one ended needs no entry.
 */
static int kx_set_destination(struct kx_image *img, u64 mem)
{
	if (img->head && img->dest == mem)
		return 0;
	img->dest = mem;
	return kx_add_entry(img, mem | KX_IND_DESTINATION);
}

/*
 * Fill the page for destination img->dest with bytes [@off, @off + page)
 * of segment @idx, the part past bufsz zeroed, and append its source entry.
 * A page used in place gets an entry too (source == destination), which
 * the walk skips.
 */
static int kx_load_page(struct kx_image *img, unsigned int idx, u64 off,
			kx_read_fn read, void *src_ctx)
{
	const struct kexec_x_segment *s = &img->segs[idx];
	u64 dest = img->dest;
	size_t len = 0;
	void *virt;
	u64 phys;
	int ret;

	virt = kx_alloc_page(img, dest, &phys);
	if (!virt)
		return -ENOMEM;

	if (off < s->bufsz) {
		len = min_t(u64, s->bufsz - off, KX_PAGE_SIZE);
		ret = read(src_ctx, idx, off, virt, len);
		if (ret)
			goto out_free;
	}
	memset((u8 *)virt + len, 0, KX_PAGE_SIZE - len);

	/* From here on @dest counts as filled, for pages the list needs. */
	img->dest = dest + KX_PAGE_SIZE;
	ret = kx_add_entry(img, phys | KX_IND_SOURCE);
	if (ret)
		goto out_free;

	if (phys == dest)
		img->nr_direct++;
	else
		img->nr_copy++;
	return 0;

out_free:
	kx_free_block(img, virt, 0);
	return ret;
}

/*
 * Copy once, or not at all: before the first page is allocated, take every
 * destination page the allocator can give (ops->claim), chunk by chunk,
 * into img->reserved, where kx_alloc_page() finds it when its destination
 * is reached: it is then loaded in place, and the stub does not copy it.
 * A chunk that cannot be had is left to the usual allocation.
 */
static void kx_claim_destinations(struct kx_image *img)
{
	unsigned int i;
	u64 c, end, p;

	for (i = 0; i < img->nr_segments; i++) {
		const struct kexec_x_segment *s = &img->segs[i];

		for (c = s->mem; c < kx_dest_end(s); c = end) {
			end = min(ALIGN_DOWN(c, KX_CLAIM_CHUNK) + KX_CLAIM_CHUNK,
				  kx_dest_end(s));
			if (img->ops->claim(img->ctx, c, end))
				continue;
			img->nr_claimed += (end - c) >> KX_PAGE_SHIFT;
			for (p = c; p < end; p += KX_PAGE_SIZE)
				if (xa_insert(&img->reserved, kx_pfn(p),
					      kx_virt(img, p), GFP_KERNEL))
					kx_free_block(img, kx_virt(img, p), 0);
			cond_resched();
		}
	}
}

int kx_image_load_segment(struct kx_image *img, unsigned int idx,
			  kx_read_fn read, void *src_ctx,
			  bool (*should_stop)(void))
{
	const struct kexec_x_segment *s;
	u64 off;
	int ret;

	if (idx != img->nr_loaded || idx >= img->nr_segments)
		return -EINVAL;
	s = &img->segs[idx];
	if (!idx && img->ops->claim)
		kx_claim_destinations(img);

	ret = kx_set_destination(img, s->mem);
	if (ret)
		return ret;

	for (off = 0; off < s->memsz; off += KX_PAGE_SIZE) {
		if (should_stop && should_stop())
			return -EINTR;
		ret = kx_load_page(img, idx, off, read, src_ctx);
		if (ret)
			return ret;
		cond_resched();
	}

	img->nr_loaded++;
	return 0;
}

/*
 * Once every segment is loaded, no page is reserved any more: each one was
 * reserved for a destination not reached yet, and all have been reached.
 * The last slot of a list page can take KX_IND_DONE, so this never needs a
 * page.
 */
int kx_image_finish(struct kx_image *img)
{
	if (img->nr_loaded != img->nr_segments)
		return -EINVAL;

	*(img->entry_ptr ?: &img->head) = KX_IND_DONE;
	kx_release_held(img);
	return 0;
}

/*
 * Free the list: every source page (those used in place included) and
 * every list page.  A partly built list ends at a 0 entry.
 */
static void kx_free_list(struct kx_image *img)
{
	kx_entry_t *page = NULL, *ptr = NULL;
	kx_entry_t entry = img->head;

	for (;;) {
		u64 addr = entry & KX_PAGE_MASK;

		switch (entry & KX_IND_FLAGS) {
		case KX_IND_INDIRECTION:
			if (page)
				kx_free_block(img, page, 0);
			page = kx_virt(img, addr);
			ptr = page;
			break;
		case KX_IND_SOURCE:
			kx_free_block(img, kx_virt(img, addr), 0);
			break;
		case KX_IND_DESTINATION:
			break;
		default:	/* KX_IND_DONE, or the end of a partial list */
			goto out;
		}
		if (!ptr)
			break;
		entry = *ptr++;
	}
out:
	if (page)
		kx_free_block(img, page, 0);
}

void kx_image_free(struct kx_image *img)
{
	unsigned long index;
	void *entry;

	kx_free_list(img);
	img->head = 0;
	img->entry_ptr = NULL;
	img->last_entry = NULL;

	xa_for_each(&img->reserved, index, entry)
		kx_free_block(img, entry, 0);
	xa_destroy(&img->reserved);

	kx_release_held(img);

	xa_for_each(&img->control, index, entry)
		kx_free_block(img, kx_virt(img, (u64)index << KX_PAGE_SHIFT),
			      xa_to_value(entry));
	xa_destroy(&img->control);
}

void kx_image_init(struct kx_image *img, const struct kx_alloc_ops *ops,
		   void *ctx, const struct kexec_x_segment *segs,
		   unsigned int nr, u64 entry, u64 arg)
{
	memset(img, 0, sizeof(*img));
	img->ops = ops;
	img->ctx = ctx;
	img->nr_segments = min_t(unsigned int, nr, KEXEC_X_SEGMENT_MAX);
	memcpy(img->segs, segs, img->nr_segments * sizeof(*segs));
	img->entry = entry;
	img->arg = arg;
	xa_init(&img->reserved);
	xa_init(&img->control);
}
