/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verify.h - the checksum kexec_x takes of an image at load time and
 * checks right before the jump, and the walk over the indirection list
 * both that and the rehearsal use.  Pure: the pages are reached through
 * the image's kx_alloc_ops.
 *
 * The checksum is a Fletcher-style sum over 64-bit little-endian words,
 * two 64-bit accumulators modulo 2^64:
 *
 *	a += w;  b += a;	for every word w, in list order
 *
 * It is chosen for speed, not strength: it catches every change of one
 * word, changed pages and pages out of order (b weighs each word by its
 * position), which is what a stray DMA or a wild write does, but it is no
 * defence against a deliberate forgery; root who can write kernel memory
 * needs no forgery anyway.  It runs at least as fast as memcpy() on the
 * same pages (the rehearsal reports both), where crc32c without the
 * instruction and SHA-256 are several times slower.
 */
#ifndef _KEXEC_X_VERIFY_H
#define _KEXEC_X_VERIFY_H

#include "kx_lib.h"
#include "kimage.h"

/**
 * struct kx_csum - the running state, and the result
 * @a: sum of the words
 * @b: sum of the running values of @a
 */
struct kx_csum {
	u64 a;
	u64 b;
};

/* Add @len bytes at @buf (@len a multiple of 8) to @c. */
void kx_csum_update(struct kx_csum *c, const void *buf, size_t len);

/*
 * Call @fn for every KX_IND_SOURCE entry of @img's finished indirection
 * list, in list order, with the source's kernel address, its physical
 * address and the destination it is copied to.  Stops at the first
 * non-zero return of @fn and returns it; 0 at the end of the list;
 * -EINVAL when the list is not one kx_image_finish() terminated.
 */
typedef int (*kx_source_fn)(void *ctx, void *src, u64 src_phys, u64 dest);
int kx_image_walk_sources(const struct kx_image *img, kx_source_fn fn,
			     void *ctx);

/* The checksum of every source page of @img, in list order: 0 or -EINVAL. */
int kx_image_csum(const struct kx_image *img, struct kx_csum *c);

#endif /* _KEXEC_X_VERIFY_H */
