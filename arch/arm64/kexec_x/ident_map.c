// SPDX-License-Identifier: GPL-2.0
/*
 * ident_map.c - the arm64 identity map kexec_x copies the image under:
 * see ident_map.h.
 */

#include "ident_map.h"

#define KX_IDMAP_ENTRIES	512

/* Bytes one entry maps at @level (0..3). */
static u64 kx_idmap_level_size(unsigned int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

static unsigned int kx_idmap_index(u64 va, unsigned int level)
{
	return (va >> (12 + 9 * (3 - level))) & (KX_IDMAP_ENTRIES - 1);
}

static u64 kx_idmap_leaf(const struct kx_idmap *m, u64 pa, unsigned int level)
{
	u64 d = pa | KX_DESC_AF | KX_DESC_ATTR(m->attr_index);

	if (!m->lpa2)
		d |= KX_DESC_SH_INNER;
	if (m->xn)
		d |= KX_DESC_PXN | KX_DESC_UXN;
	return d | (level == 3 ? KX_DESC_PAGE : KX_DESC_BLOCK);
}

int kx_idmap_init(struct kx_idmap *m)
{
	m->tables = 0;
	if (!m->alloc(m->ctx, &m->root_phys))
		return -ENOMEM;
	m->tables = 1;
	return 0;
}

/* Map [start, end) inside the entry range of the table at @table_phys. */
static int kx_idmap_fill(struct kx_idmap *m, u64 table_phys,
			 unsigned int level, u64 start, u64 end)
{
	u64 *table = m->p2v(m->ctx, table_phys);
	u64 size = kx_idmap_level_size(level);

	while (start < end) {
		u64 next = ALIGN_DOWN(start, size) + size;
		u64 *e = &table[kx_idmap_index(start, level)];
		u64 child;
		int ret;

		if (next > end || next == 0)
			next = end;
		if ((*e & KX_DESC_TYPE_MASK) != 0 &&
		    (level == 3 || (*e & KX_DESC_TYPE_MASK) == KX_DESC_BLOCK)) {
			/* A leaf covers this entry already. */
			start = next;
			continue;
		}
		if (level >= 1 && IS_ALIGNED(start, size) &&
		    next - start == size && !(*e & KX_DESC_VALID)) {
			*e = kx_idmap_leaf(m, start, level);
			start = next;
			continue;
		}
		if (level == 3) {
			*e = kx_idmap_leaf(m, start, level);
			start = next;
			continue;
		}
		if (!(*e & KX_DESC_VALID)) {
			if (!m->alloc(m->ctx, &child))
				return -ENOMEM;
			m->tables++;
			*e = child | KX_DESC_TABLE;
		}
		ret = kx_idmap_fill(m, *e & KX_DESC_ADDR_MASK, level + 1,
				    start, next);
		if (ret)
			return ret;
		start = next;
	}
	return 0;
}

int kx_idmap_map(struct kx_idmap *m, u64 start, u64 end)
{
	start = ALIGN_DOWN(start, KX_PAGE_SIZE);
	end = ALIGN(end, KX_PAGE_SIZE);
	if (end > (1ULL << KX_IDMAP_VA_BITS) || end < start)
		return -ERANGE;
	if (start == end)
		return 0;
	return kx_idmap_fill(m, m->root_phys, 0, start, end);
}

u64 kx_idmap_lookup(const struct kx_idmap *m, u64 va)
{
	u64 phys = m->root_phys;
	unsigned int level;

	if (va >= (1ULL << KX_IDMAP_VA_BITS))
		return ~0ULL;
	for (level = 0; level <= 3; level++) {
		const u64 *table = m->p2v(m->ctx, phys);
		u64 e = table[kx_idmap_index(va, level)];
		u64 size = kx_idmap_level_size(level);

		if (!(e & KX_DESC_VALID))
			return ~0ULL;
		if (level == 3 || (e & KX_DESC_TYPE_MASK) == KX_DESC_BLOCK)
			return (e & KX_DESC_ADDR_MASK & ~(size - 1)) |
			       (va & (size - 1));
		phys = e & KX_DESC_ADDR_MASK;
	}
	return ~0ULL;
}
