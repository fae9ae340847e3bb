/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_lib.h - the environment of kexec_x's pure code.
 *
 * Pure files (segment checks, hole placement, boot_params building, ...)
 * include only this header and their own.  Built with __KERNEL__ they use
 * the kernel's headers, in the module and in-tree for KUnit alike; built
 * without it they use libc, so that the loader in samples/kexec_x/ shares
 * the very same code instead of a second copy.
 */
#ifndef _KEXEC_X_KX_LIB_H
#define _KEXEC_X_KX_LIB_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/minmax.h>
#include <linux/align.h>
#else /* userspace */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef ALIGN
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#endif
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define __maybe_unused		__attribute__((unused))
#endif /* __KERNEL__ */

/* Page size of the image's physical layout, the same on every target. */
#define KX_PAGE_SHIFT	12
#define KX_PAGE_SIZE	(1ULL << KX_PAGE_SHIFT)
#define KX_PAGE_MASK	(~(KX_PAGE_SIZE - 1))

/*
 * Little-endian fields of file formats (image headers, payload trailers,
 * relocation tables), at any alignment, the same in the module and in
 * userspace.
 */
static inline u32 kx_get_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 kx_get_le64(const void *p)
{
	return kx_get_le32(p) | (u64)kx_get_le32((const u8 *)p + 4) << 32;
}

static inline void kx_put_le32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline void kx_put_le64(void *p, u64 v)
{
	kx_put_le32(p, (u32)v);
	kx_put_le32((u8 *)p + 4, (u32)(v >> 32));
}

#endif /* _KEXEC_X_KX_LIB_H */
