/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kimage.h - segment checks, destination-aware page allocation and the
 * indirection list of a kexec_x image.
 *
 * This is pure logic: every page comes from struct kx_alloc_ops, so KUnit
 * drives it over a simulated physical memory and the module over the page
 * allocator.  Nothing here touches a destination.
 *
 * The indirection list has the format of the in-kernel kexec (and the
 * relocation stubs read it with the MMU mapping memory 1:1):
 *   head = KX_IND_INDIRECTION | phys of the first list page
 *   each entry is a physical address with one flag in its low bits:
 *     KX_IND_DESTINATION  following sources go to this address onwards
 *     KX_IND_INDIRECTION  the list continues in this page
 *     KX_IND_SOURCE       copy this page to the current destination, then
 *                         advance the destination by one page
 *     KX_IND_DONE         end of the list
 *
 * Invariant, which makes the copy order irrelevant: every page the image
 * owns (source, list or control page) is either its own destination or not
 * inside any destination at all.  A source page that is its own destination
 * is not copied by the relocation walk.
 *
 * Pages are KX_PAGE_SIZE bytes everywhere here, and an order counts them.
 */
#ifndef _KEXEC_X_KIMAGE_H
#define _KEXEC_X_KIMAGE_H

#include "kx_lib.h"
#include <linux/kexec_x.h>
#ifdef __KERNEL__
#include <linux/xarray.h>
#endif

#define KX_IND_DESTINATION	0x1ULL
#define KX_IND_INDIRECTION	0x2ULL
#define KX_IND_DONE		0x4ULL
#define KX_IND_SOURCE		0x8ULL
#define KX_IND_FLAGS		0xfULL

typedef u64 kx_entry_t;

/* A link in the chain of held blocks: physical address | order | valid. */
#define KX_LINK_ORDER		0xfULL
#define KX_LINK_VALID		0x10ULL

/**
 * struct kx_alloc_ops - where an image's pages come from
 * @alloc:        return the kernel address of 2^@order new, zeroed,
 *                physically contiguous pages and store their physical
 *                address in *@phys; NULL when memory is exhausted
 * @free:         give back what @alloc returned
 * @phys_to_virt: kernel address of a page @alloc handed out
 * @claim:        optional: take the free pages of [@start, @end) (page
 *                aligned, at most KX_CLAIM_CHUNK bytes) for the image,
 *                each then owned as if @alloc had returned it as a single
 *                page (not zeroed); 0, or -errno when not all of them can
 *                be had (nothing is taken then)
 */
struct kx_alloc_ops {
	void *(*alloc)(void *ctx, unsigned int order, u64 *phys);
	void (*free)(void *ctx, void *virt, unsigned int order);
	void *(*phys_to_virt)(void *ctx, u64 phys);
	int (*claim)(void *ctx, u64 start, u64 end);
};

/*
 * Destinations are claimed in chunks of this size (aligned to it), so that
 * a busy page costs its chunk, not the whole segment: 2 MiB, a pageblock
 * on x86_64 and on arm64 with 4 KiB pages.
 */
#define KX_CLAIM_CHUNK		(2ULL << 20)

/**
 * struct kx_seg_limits - what kx_check_segments() checks segments against
 * @dest_limit: first physical address no segment may reach (exclusive)
 * @max_bytes:  largest size of one segment and of all of them together
 *              (half of RAM in the module)
 * @is_ram:     true when [start, end) is entirely System RAM; NULL skips
 *              the check (userspace tools that cannot know)
 * @ram_ctx:    passed to @is_ram
 * @crash_start: crash reservation [crash_start, crash_end) for a crash
 * @crash_end:  image; both 0 for a normal image
 */
struct kx_seg_limits {
	u64 dest_limit;
	u64 max_bytes;
	bool (*is_ram)(void *ram_ctx, u64 start, u64 end);
	void *ram_ctx;
	u64 crash_start;
	u64 crash_end;
};

/*
 * Check a segment list as strictly as the kernel's
 * sanity_check_segment_list(), and more: every destination must be System
 * RAM and @entry must lie inside a segment.  Returns 0 or a negative errno
 * as documented for KEXEC_X_IOC_LOAD_SEGMENTS.  Checks, in this order:
 *   nr == 0 or nr > KEXEC_X_SEGMENT_MAX           -EINVAL
 *   mem or memsz not page aligned                  -EADDRNOTAVAIL
 *   mem + memsz wraps                              -EADDRNOTAVAIL
 *   mem + memsz > dest_limit                       -EADDRNOTAVAIL
 *   memsz == 0                                     -EINVAL
 *   bufsz > memsz                                  -EINVAL
 *   two segments overlap                           -EINVAL
 *   one segment or the sum above max_bytes         -EINVAL
 *   crash image and a segment outside the reservation -EADDRNOTAVAIL
 *   a segment not entirely System RAM              -EADDRNOTAVAIL
 *   entry outside every segment                    -EINVAL
 */
int kx_check_segments(const struct kexec_x_segment *segs, unsigned int nr,
		      u64 entry, const struct kx_seg_limits *lim);

/* Read @len bytes at offset @off of segment @seg into @dst: 0 or -EFAULT. */
typedef int (*kx_read_fn)(void *src_ctx, unsigned int seg, u64 off,
			  void *dst, size_t len);

/**
 * struct kx_image - an image being built, or built
 * @ops, @ctx:     page allocator
 * @segs, @nr_segments, @entry, @arg: what was loaded (checked)
 * @head:          first entry of the indirection list
 * @entry_ptr:     where the next entry goes (inside a list page); NULL
 *                 until the first entry
 * @last_entry:    last slot of the current list page, kept for the link to
 *                 the next one (or KX_IND_DONE)
 * @dest:          destination the next KX_IND_SOURCE entry goes to
 * @reserved:      destination pages the allocator handed out before their
 *                 destination was reached, by pfn: used in place later
 * @held:          blocks kept out of use (destinations already filled, or
 *                 blocks refused as control pages) until kx_image_finish()
 *                 or kx_image_free(): a link (physical address | order |
 *                 KX_LINK_VALID) to the first one, 0 if none; the first
 *                 word of each held block links to the next the same way
 * @control:       control blocks, by pfn, their order as xa_mk_value()
 * @nr_loaded:     segments loaded so far (they are loaded in index order)
 * @nr_copy:       pages the relocation walk will copy
 * @nr_direct:     pages loaded at their own destination
 * @nr_list:       list pages
 * @nr_claimed:    destination pages ops->claim gave before the first load
 */
struct kx_image {
	const struct kx_alloc_ops *ops;
	void *ctx;
	struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX];
	unsigned int nr_segments;
	u64 entry;
	u64 arg;
	kx_entry_t head;
	kx_entry_t *entry_ptr;
	kx_entry_t *last_entry;
	u64 dest;
#ifdef __KERNEL__
	struct xarray reserved;
#endif
	u64 held;
#ifdef __KERNEL__
	struct xarray control;
#endif
	unsigned int nr_loaded;
	unsigned long nr_copy;
	unsigned long nr_direct;
	unsigned long nr_list;
	unsigned long nr_claimed;
};

/*
 * Start an image over segments kx_check_segments() accepted (copied into
 * @img).  Then: kx_image_alloc_control() at any time, kx_image_load_segment()
 * for each segment in index order, kx_image_finish(); kx_image_free() in the
 * end, or after any error.
 */
void kx_image_init(struct kx_image *img, const struct kx_alloc_ops *ops,
		   void *ctx, const struct kexec_x_segment *segs,
		   unsigned int nr, u64 entry, u64 arg);

/* True when [start, end) overlaps a destination of @img. */
bool kx_image_is_destination(const struct kx_image *img, u64 start, u64 end);

/*
 * Allocate 2^@order zeroed, contiguous pages outside every destination, for
 * the relocation stub, page tables and the like.  They stay with the image
 * and are freed by kx_image_free().  Returns the kernel address (and
 * *@phys) or NULL.  Blocks the allocator hands out inside a destination are
 * kept (used in place later, or held) and another one is tried, as the
 * kernel's kimage_alloc_normal_control_pages() does.
 */
void *kx_image_alloc_control(struct kx_image *img, unsigned int order,
			     u64 *phys);

/*
 * Copy segment @idx into pages of the image through @read (bufsz bytes, the
 * rest of memsz zero) and append its entries to the list.  Segments are
 * loaded in index order, each once.  Returns 0, -ENOMEM, -EFAULT (from
 * @read), -EINTR (@should_stop returned true; may be NULL) or -EINVAL
 * (@idx is not the next segment).  After an error the image can only be
 * freed.
 */
int kx_image_load_segment(struct kx_image *img, unsigned int idx,
			  kx_read_fn read, void *src_ctx,
			  bool (*should_stop)(void));

/*
 * Terminate the list (KX_IND_DONE) and release held pages.  0, or -EINVAL
 * when a segment was not loaded.  Blocks that kx_image_alloc_control()
 * refuses after this are held until kx_image_free().
 */
int kx_image_finish(struct kx_image *img);

/* Free every page the image owns; @img may be partly built. */
void kx_image_free(struct kx_image *img);

#endif /* _KEXEC_X_KIMAGE_H */
