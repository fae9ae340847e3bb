/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ident_map.h - x86_64 page tables for the jump, built through a page
 * allocator callback so that KUnit can check them in simulated memory.
 */
#ifndef _KEXEC_X_X86_IDENT_MAP_H
#define _KEXEC_X_X86_IDENT_MAP_H

#include "kx_lib.h"

/* Page table entry bits (the hardware's) */
#define KX_PTE_PRESENT	0x001ULL
#define KX_PTE_RW	0x002ULL
#define KX_PTE_ACCESSED	0x020ULL
#define KX_PTE_DIRTY	0x040ULL
#define KX_PTE_PS	0x080ULL	/* 2 MiB / 1 GiB leaf */
#define KX_PTE_NX	(1ULL << 63)
#define KX_PTE_ADDR	0x000ffffffffff000ULL

/* Leaf attributes: write-back cacheable, executable (no PCD/PWT/NX). */
#define KX_PTE_LEAF	(KX_PTE_PRESENT | KX_PTE_RW | KX_PTE_ACCESSED | \
			 KX_PTE_DIRTY)
/* Attributes of entries that point to a lower table. */
#define KX_PTE_TABLE	(KX_PTE_PRESENT | KX_PTE_RW | KX_PTE_ACCESSED | \
			 KX_PTE_DIRTY)

/**
 * struct kx_pgt - page tables under construction
 * @alloc:   return a zeroed page and its physical address, or NULL
 * @p2v:     kernel address of a page @alloc returned
 * @ctx:     passed to both
 * @levels:  4, or 5 with LA57
 * @gbpages: 1 GiB leaves allowed
 * @root:    top-level table
 * @root_phys: its physical address (for CR3)
 */
struct kx_pgt {
	void *(*alloc)(void *ctx, u64 *phys);
	void *(*p2v)(void *ctx, u64 phys);
	void *ctx;
	unsigned int levels;
	bool gbpages;
	u64 *root;
	u64 root_phys;
};

/* Allocate the root table.  0 or -ENOMEM. */
int kx_pgt_init(struct kx_pgt *pgt);

/*
 * Map [va, va + size) to [pa, pa + size) with @leaf attributes, using the
 * largest pages whose whole extent lies inside the range and whose virtual
 * and physical addresses are both aligned: so nothing outside the range is
 * ever mapped.  va, pa and size must be page aligned.  A part already
 * mapped to the same physical addresses is left as it is.
 * Returns 0, -ENOMEM, -EINVAL (misaligned, or va outside the canonical
 * range of @levels) or -EEXIST (already mapped elsewhere).
 */
int kx_pgt_map(struct kx_pgt *pgt, u64 va, u64 pa, u64 size, u64 leaf);

/*
 * Walk the tables for @va: on success store the physical address it maps
 * to in *@pa, the leaf entry in *@pte and the leaf's size in *@size.
 * -ENOENT when unmapped.
 */
int kx_pgt_lookup(const struct kx_pgt *pgt, u64 va, u64 *pa, u64 *pte,
		  u64 *size);

#endif /* _KEXEC_X_X86_IDENT_MAP_H */
