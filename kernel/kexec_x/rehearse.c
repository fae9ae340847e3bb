// SPDX-License-Identifier: GPL-2.0
/*
 * rehearse.c - KEXEC_X_IOC_REHEARSE: the relocation of the normal image,
 * into scratch pages, and back.
 *
 * The rehearsal builds a second indirection list over the image's own
 * source pages: for each page the real relocation would copy, a
 * KX_IND_DESTINATION entry naming a freshly allocated scratch page, then
 * the KX_IND_SOURCE entry of the source.  Pages already at their
 * destination (not copied at exec) are left out.  The architecture enters
 * its real relocation code over that list and comes back
 * (kx_arch_rehearse); then every scratch page is compared with its source.
 * Before that, the kernel's memcpy() copies the same pages to the same
 * scratch pages, which are then poisoned, so the report can set the
 * stub's copy bandwidth against memcpy() in the same machine, and a stub
 * that copies nothing cannot pass the comparison.
 *
 * The checksum check EXEC does runs first, timed: a changed image fails
 * the rehearsal the way it would fail EXEC.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define KX_REH_POISON		0xa5
#define KX_LIST_SLOTS		(PAGE_SIZE / sizeof(kx_entry_t))

struct kx_reh {
	unsigned long nr_copy;		/* pages to copy */
	unsigned long nr_in_place;
	unsigned long i;		/* pages recorded so far */
	void **src;			/* kernel addresses of the sources */
	u64 *src_phys;
	struct page **scratch;
	struct page **list;		/* list pages */
	unsigned long nr_list, max_list;
	kx_entry_t *entry;		/* next free slot of the current page */
	unsigned int used;		/* slots used in the current page */
};

static int kx_reh_count(void *ctx, void *src, u64 src_phys, u64 dest)
{
	struct kx_reh *r = ctx;

	if (src_phys == dest)
		r->nr_in_place++;
	else
		r->nr_copy++;
	return 0;
}

static int kx_reh_record(void *ctx, void *src, u64 src_phys, u64 dest)
{
	struct kx_reh *r = ctx;

	if (src_phys == dest)
		return 0;
	if (r->i >= r->nr_copy)
		return -EINVAL;
	r->src[r->i] = src;
	r->src_phys[r->i] = src_phys;
	r->i++;
	return 0;
}

/* Append @e; the last slot of each list page links to the next page. */
static int kx_reh_add(struct kx_reh *r, kx_entry_t e)
{
	if (!r->entry || r->used == KX_LIST_SLOTS - 1) {
		struct page *page;

		if (r->nr_list == r->max_list)
			return -EINVAL;
		page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		r->list[r->nr_list++] = page;
		if (r->entry)
			*r->entry = page_to_phys(page) | KX_IND_INDIRECTION;
		r->entry = page_address(page);
		r->used = 0;
	}
	*r->entry++ = e;
	r->used++;
	return 0;
}

static void kx_reh_free(struct kx_reh *r)
{
	unsigned long i;

	for (i = 0; r->scratch && i < r->nr_copy; i++)
		if (r->scratch[i])
			__free_page(r->scratch[i]);
	for (i = 0; i < r->nr_list; i++)
		__free_page(r->list[i]);
	kvfree(r->scratch);
	kvfree(r->list);
	kvfree(r->src);
	kvfree(r->src_phys);
}

/* Scratch pages, and the list that sends every copy to them. */
static int kx_reh_build(struct kx_slot *slot, struct kx_reh *r)
{
	unsigned long i;
	int ret;

	ret = kx_image_walk_sources(&slot->img, kx_reh_count, r);
	if (ret)
		return ret;
	/* Two entries a page and the end mark, KX_LIST_SLOTS - 1 a page. */
	r->max_list = DIV_ROUND_UP(2 * r->nr_copy + 1, KX_LIST_SLOTS - 1);
	r->src = kvcalloc(r->nr_copy + 1, sizeof(*r->src), GFP_KERNEL);
	r->src_phys = kvcalloc(r->nr_copy + 1, sizeof(*r->src_phys),
			       GFP_KERNEL);
	r->scratch = kvcalloc(r->nr_copy + 1, sizeof(*r->scratch), GFP_KERNEL);
	r->list = kvcalloc(r->max_list, sizeof(*r->list), GFP_KERNEL);
	if (!r->src || !r->src_phys || !r->scratch || !r->list)
		return -ENOMEM;
	ret = kx_image_walk_sources(&slot->img, kx_reh_record, r);
	if (ret)
		return ret;
	for (i = 0; i < r->nr_copy; i++) {
		r->scratch[i] = alloc_page(GFP_KERNEL | __GFP_NORETRY |
					   __GFP_NOWARN);
		if (!r->scratch[i])
			return -ENOMEM;
		ret = kx_reh_add(r, page_to_phys(r->scratch[i]) |
				 KX_IND_DESTINATION);
		if (!ret)
			ret = kx_reh_add(r, r->src_phys[i] | KX_IND_SOURCE);
		if (ret)
			return ret;
		cond_resched();
	}
	return kx_reh_add(r, KX_IND_DONE);
}

int kx_rehearse(struct kx_slot *slot, struct kexec_x_rehearse *res)
{
	struct kx_arch_rehearse_out out;
	struct kx_reh r = { 0 };
	u64 t_total = ktime_get_ns(), t;
	unsigned long i;
	int ret;

	t = ktime_get_ns();
	ret = kx_slot_csum_check(slot, "rehearsal");
	if (ret)
		return ret;
	if (slot->verify) {
		res->verify_ns = ktime_get_ns() - t;
		res->verify_bytes = (u64)(slot->img.nr_copy +
					  slot->img.nr_direct) << PAGE_SHIFT;
	}

	ret = kx_reh_build(slot, &r);
	if (ret) {
		pr_err("rehearsal: cannot set up %lu scratch pages and their list (%d)\n",
		       r.nr_copy, ret);
		goto out;
	}

	t = ktime_get_ns();
	for (i = 0; i < r.nr_copy; i++)
		memcpy(page_address(r.scratch[i]), r.src[i], PAGE_SIZE);
	res->memcpy_ns = ktime_get_ns() - t;
	for (i = 0; i < r.nr_copy; i++)
		memset(page_address(r.scratch[i]), KX_REH_POISON, PAGE_SIZE);

	ret = kx_arch_rehearse(slot, page_to_phys(r.list[0]) |
			       KX_IND_INDIRECTION, &out);
	if (ret)
		goto out;

	for (i = 0; i < r.nr_copy; i++) {
		if (memcmp(page_address(r.scratch[i]), r.src[i], PAGE_SIZE)) {
			if (!res->pages_differ)
				pr_err("rehearsal: scratch page %lu differs from its source %#llx after the copy\n",
				       i, r.src_phys[i]);
			res->pages_differ++;
		}
	}
	res->pages_copied = out.pages_copied;
	res->pages_in_place = r.nr_in_place;
	res->bytes_copied = out.pages_copied << PAGE_SHIFT;
	res->copy_tsc = out.copy_tsc;
	res->tsc_khz = out.tsc_khz;
	res->copy_ns = out.copy_ns;
	res->stub_ns = out.stub_ns;
	res->total_ns = ktime_get_ns() - t_total;
	pr_info("rehearsal: %llu pages copied (%lu expected), %llu differ, copy %llu ns, memcpy %llu ns, checksum %llu ns over %llu bytes\n",
		res->pages_copied, r.nr_copy, res->pages_differ, res->copy_ns,
		res->memcpy_ns, res->verify_ns, res->verify_bytes);
out:
	kx_reh_free(&r);
	return ret;
}
