/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ident_map.h - the arm64 identity map kexec_x copies the image under.
 *
 * A stage 1 translation table for TTBR0 with the 4K granule and a 48-bit
 * input range (T0SZ = 16, four levels, L0 to L3).  Each range is mapped
 * with the largest block that lies entirely inside it: 1 GiB at L1, 2 MiB
 * at L2, else 4 KiB pages at L3, so nothing outside a range is mapped.
 * Leaves are normal write-back memory (MAIR index @attr_index), access
 * flag set, EL1 read/write/execute.  Shareability: inner shareable in the
 * descriptor; with TCR.DS = 1 (LPA2) bits [9:8] of a descriptor are output
 * address bits and shareability comes from TCR.SH0, so they stay 0.
 *
 * Pure logic: table pages come from @alloc, which KUnit backs with a
 * simulated memory.
 */
#ifndef _KEXEC_X_ARM64_IDENT_MAP_H
#define _KEXEC_X_ARM64_IDENT_MAP_H

#include "kx_lib.h"

#define KX_IDMAP_VA_BITS	48
#define KX_IDMAP_T0SZ		(64 - KX_IDMAP_VA_BITS)

/* Descriptor bits (4K granule) */
#define KX_DESC_VALID		0x1ULL
#define KX_DESC_TABLE		0x3ULL	/* L0-L2: next-level table */
#define KX_DESC_BLOCK		0x1ULL	/* L1-L2 block */
#define KX_DESC_PAGE		0x3ULL	/* L3 page */
#define KX_DESC_TYPE_MASK	0x3ULL
#define KX_DESC_ATTR(i)		((u64)(i) << 2)
#define KX_DESC_SH_INNER	(3ULL << 8)
#define KX_DESC_AF		(1ULL << 10)
#define KX_DESC_PXN		(1ULL << 53)
#define KX_DESC_UXN		(1ULL << 54)
#define KX_DESC_ADDR_MASK	0x0000fffffffff000ULL

/* TCR bits [15:0] for TTBR0: T0SZ, IRGN0 = ORGN0 = WBWA, SH0 inner, TG0 4K */
#define KX_TCR_T0_BITS		(KX_IDMAP_T0SZ | (1ULL << 8) | (1ULL << 10) | \
				 (3ULL << 12))

/**
 * struct kx_idmap - an identity map being built
 * @alloc:      a zeroed 4 KiB table: its kernel address, *@phys its
 *              physical address; NULL when out of memory
 * @p2v:        kernel address of a table @alloc returned, by physical address
 * @ctx:        passed to @alloc and @p2v
 * @attr_index: MAIR index of normal write-back memory (of Device memory
 *              while @xn is set)
 * @xn:         leaves mapped now are never executable (PXN, UXN): for a
 *              device page
 * @lpa2:       TCR.DS = 1: no shareability bits in descriptors
 * @root_phys:  out: the L0 table (TTBR0)
 * @tables:     out: tables allocated
 */
struct kx_idmap {
	void *(*alloc)(void *ctx, u64 *phys);
	void *(*p2v)(void *ctx, u64 phys);
	void *ctx;
	unsigned int attr_index;
	bool xn;
	bool lpa2;
	u64 root_phys;
	unsigned int tables;
};

/* Allocate the root.  0 or -ENOMEM. */
int kx_idmap_init(struct kx_idmap *m);

/*
 * Map [start, end) 1:1, page aligned outward.  0, -ENOMEM, or -ERANGE when
 * the range does not fit the 48-bit input range.
 */
int kx_idmap_map(struct kx_idmap *m, u64 start, u64 end);

/*
 * Walk the map like the MMU: the output address of @va, or -1 (all ones)
 * when it is not mapped.  For tests.
 */
u64 kx_idmap_lookup(const struct kx_idmap *m, u64 va);

#endif /* _KEXEC_X_ARM64_IDENT_MAP_H */
