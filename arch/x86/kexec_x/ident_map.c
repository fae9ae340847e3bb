// SPDX-License-Identifier: GPL-2.0
/*
 * ident_map.c - x86_64 page tables for the kexec jump.
 *
 * A small, self-contained builder: four or five levels of 512 entries,
 * leaves of 4 KiB, 2 MiB or 1 GiB.  Unlike the kernel's own
 * kernel_ident_mapping_init(), which rounds every range out to 2 MiB, a
 * large leaf is used only where the range covers it completely, so memory
 * next to a range (an MMIO hole next to RAM, say) is never mapped
 * write-back by accident.
 */

#include "ident_map.h"

#define KX_PT_ENTRIES	512

/* Bit position of the index at @level (1 = PTE, 2 = PMD, ... 5 = PML5). */
static unsigned int kx_level_shift(unsigned int level)
{
	return KX_PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int kx_index(u64 va, unsigned int level)
{
	return (va >> kx_level_shift(level)) & (KX_PT_ENTRIES - 1);
}

/* Whether @level may hold a leaf: PTEs always, PMDs, PUDs with gbpages. */
static bool kx_leaf_allowed(const struct kx_pgt *pgt, unsigned int level)
{
	return level == 1 || level == 2 || (level == 3 && pgt->gbpages);
}

/* Canonical addresses for the paging mode: sign-extended from 47 or 56. */
static bool kx_canonical(const struct kx_pgt *pgt, u64 va)
{
	unsigned int bits = kx_level_shift(pgt->levels) + 9;
	s64 sva = (s64)(va << (64 - bits)) >> (64 - bits);

	return (u64)sva == va;
}

int kx_pgt_init(struct kx_pgt *pgt)
{
	if (pgt->levels != 4 && pgt->levels != 5)
		return -EINVAL;
	pgt->root = pgt->alloc(pgt->ctx, &pgt->root_phys);
	return pgt->root ? 0 : -ENOMEM;
}

/* The table an entry points to, allocating it when the entry is empty. */
static u64 *kx_next_table(struct kx_pgt *pgt, u64 *entry)
{
	u64 phys;
	u64 *table;

	if (*entry & KX_PTE_PRESENT)
		return pgt->p2v(pgt->ctx, *entry & KX_PTE_ADDR);
	table = pgt->alloc(pgt->ctx, &phys);
	if (!table)
		return NULL;
	*entry = phys | KX_PTE_TABLE;
	return table;
}

/* Does the existing leaf at @entry map @va to @pa? */
static bool kx_leaf_matches(u64 entry, unsigned int level, u64 va, u64 pa)
{
	u64 span = 1ULL << kx_level_shift(level);
	u64 base = entry & KX_PTE_ADDR & ~(span - 1);

	return base + (va & (span - 1)) == pa;
}

/*
 * Map the part of [va, va + size) that the entry of @table covering @va
 * spans, at @level.  Returns the number of bytes mapped (> 0) or -errno.
 */
static s64 kx_map_one(struct kx_pgt *pgt, u64 *table, unsigned int level,
		      u64 va, u64 pa, u64 size, u64 leaf)
{
	u64 span = 1ULL << kx_level_shift(level);
	u64 *entry = &table[kx_index(va, level)];
	u64 total = min(size, span - (va & (span - 1)));
	u64 left = total;
	u64 *next;

	if (*entry & KX_PTE_PRESENT && (level == 1 || *entry & KX_PTE_PS)) {
		/* Already a leaf here: fine if it maps the same pages. */
		if (!kx_leaf_matches(*entry, level, va, pa))
			return -EEXIST;
		return total;
	}
	if (!(*entry & KX_PTE_PRESENT) && kx_leaf_allowed(pgt, level) &&
	    total == span && IS_ALIGNED(pa, span)) {
		*entry = pa | leaf | (level > 1 ? KX_PTE_PS : 0);
		return span;
	}
	if (level == 1)
		return -EINVAL;	/* only reachable with misaligned input */

	next = kx_next_table(pgt, entry);
	if (!next)
		return -ENOMEM;
	while (left) {
		s64 done = kx_map_one(pgt, next, level - 1, va, pa, left, leaf);

		if (done < 0)
			return done;
		va += done;
		pa += done;
		left -= done;
	}
	return total;
}

int kx_pgt_map(struct kx_pgt *pgt, u64 va, u64 pa, u64 size, u64 leaf)
{
	if (!IS_ALIGNED(va | pa | size, KX_PAGE_SIZE) || !size ||
	    va + size < va || !kx_canonical(pgt, va) ||
	    !kx_canonical(pgt, va + size - 1))
		return -EINVAL;

	while (size) {
		s64 done = kx_map_one(pgt, pgt->root, pgt->levels, va, pa,
				      size, leaf);

		if (done < 0)
			return done;
		va += done;
		pa += done;
		size -= done;
	}
	return 0;
}

int kx_pgt_lookup(const struct kx_pgt *pgt, u64 va, u64 *pa, u64 *pte,
		  u64 *size)
{
	const u64 *table = pgt->root;
	unsigned int level;

	for (level = pgt->levels; level >= 1; level--) {
		u64 entry = table[kx_index(va, level)];
		u64 span = 1ULL << kx_level_shift(level);

		if (!(entry & KX_PTE_PRESENT))
			return -ENOENT;
		if (level == 1 || entry & KX_PTE_PS) {
			*pa = (entry & KX_PTE_ADDR & ~(span - 1)) +
			      (va & (span - 1));
			*pte = entry;
			*size = span;
			return 0;
		}
		table = pgt->p2v(pgt->ctx, entry & KX_PTE_ADDR);
	}
	return -ENOENT;
}
