// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - checksum of a loaded image, and the indirection list walk.
 * See verify.h.
 */
#include "verify.h"

void kx_csum_update(struct kx_csum *c, const void *buf, size_t len)
{
	const u64 *w = buf;
	const u64 *end = w + len / sizeof(u64);
	u64 a = c->a, b = c->b;

	/* Four words per round: fewer loop tests, same sums. */
	while (end - w >= 4) {
		a += w[0];
		b += a;
		a += w[1];
		b += a;
		a += w[2];
		b += a;
		a += w[3];
		b += a;
		w += 4;
	}
	while (w < end) {
		a += *w++;
		b += a;
	}
	c->a = a;
	c->b = b;
}

int kx_image_walk_sources(const struct kx_image *img, kx_source_fn fn,
			     void *ctx)
{
	const kx_entry_t *next = NULL;
	kx_entry_t e = img->head;
	u64 dest = 0;
	int ret;

	for (;;) {
		if (e & KX_IND_DONE)
			return 0;
		if (e & KX_IND_DESTINATION) {
			dest = e & KX_PAGE_MASK;
		} else if (e & KX_IND_INDIRECTION) {
			next = img->ops->phys_to_virt(img->ctx, e & KX_PAGE_MASK);
		} else if (e & KX_IND_SOURCE) {
			u64 src = e & KX_PAGE_MASK;

			ret = fn(ctx, img->ops->phys_to_virt(img->ctx, src), src,
				 dest);
			if (ret)
				return ret;
			dest += KX_PAGE_SIZE;
		}
		/* The list starts with a list page: anything else is broken. */
		if (!next)
			return -EINVAL;
		e = *next++;
	}
}

static int kx_csum_page(void *ctx, void *src, u64 src_phys, u64 dest)
{
	kx_csum_update(ctx, src, KX_PAGE_SIZE);
	return 0;
}

int kx_image_csum(const struct kx_image *img, struct kx_csum *c)
{
	c->a = 0;
	c->b = 0;
	return kx_image_walk_sources(img, kx_csum_page, c);
}
