// SPDX-License-Identifier: GPL-2.0
/*
 * fdt.c - read and patch a flattened device tree in place (kx_fdt.h).
 *
 * The layout is the Devicetree Specification's, chapter 5: a 40-byte
 * header, the memory reservation map, the structure block (tokens
 * FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END, 4-byte
 * aligned) and the strings block.
 */
#include "kx_fdt.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

/* Header field offsets. */
#define H_MAGIC		0
#define H_TOTALSIZE	4
#define H_OFF_STRUCT	8
#define H_OFF_STRINGS	12
#define H_OFF_RSVMAP	16
#define H_VERSION	20
#define H_LAST_COMP	24
#define H_SIZE_STRINGS	32
#define H_SIZE_STRUCT	36

/* The blocks of a blob, all inside [0, size). */
struct kx_fdt {
	const u8 *b;
	u32 size;
	u32 st_off;
	u32 st_end;
	u32 str_off;
	u32 str_size;
};

static u32 kx_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void kx_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static int kx_fdt_fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

/* Parse and bound the header of @blob, @len bytes. */
static int kx_fdt_header(struct kx_fdt *f, const void *blob, size_t len,
			 const char **why)
{
	const u8 *b = blob;
	u32 rsv, i, st_size;

	if (!blob || len < KX_FDT_HEADER_SIZE)
		return kx_fdt_fail(why, "shorter than the FDT header");
	if (kx_be32(b + H_MAGIC) != KX_FDT_MAGIC)
		return kx_fdt_fail(why, "bad FDT magic");
	if (kx_be32(b + H_VERSION) < KX_FDT_LAST_COMP ||
	    kx_be32(b + H_LAST_COMP) > KX_FDT_VERSION)
		return kx_fdt_fail(why, "unsupported FDT version");
	f->b = b;
	f->size = kx_be32(b + H_TOTALSIZE);
	if (f->size < KX_FDT_HEADER_SIZE || f->size > len)
		return kx_fdt_fail(why, "FDT totalsize out of range");

	rsv = kx_be32(b + H_OFF_RSVMAP);
	if (rsv < KX_FDT_HEADER_SIZE || rsv % 8 || rsv >= f->size)
		return kx_fdt_fail(why, "FDT reservation map out of range");
	for (i = rsv; ; i += 16) {
		if ((u64)i + 16 > f->size)
			return kx_fdt_fail(why, "FDT reservation map not terminated");
		if (!kx_be32(b + i) && !kx_be32(b + i + 4) &&
		    !kx_be32(b + i + 8) && !kx_be32(b + i + 12))
			break;
	}

	f->st_off = kx_be32(b + H_OFF_STRUCT);
	if (f->st_off < KX_FDT_HEADER_SIZE || f->st_off % 4 ||
	    f->st_off >= f->size)
		return kx_fdt_fail(why, "FDT structure block out of range");
	st_size = kx_be32(b + H_VERSION) >= 17 ?
		  kx_be32(b + H_SIZE_STRUCT) : f->size - f->st_off;
	if ((u64)f->st_off + st_size > f->size)
		return kx_fdt_fail(why, "FDT structure block out of range");
	f->st_end = f->st_off + st_size;

	f->str_off = kx_be32(b + H_OFF_STRINGS);
	f->str_size = kx_be32(b + H_SIZE_STRINGS);
	if (f->str_off > f->size || (u64)f->str_off + f->str_size > f->size)
		return kx_fdt_fail(why, "FDT strings block out of range");
	return 0;
}

/* The NUL-terminated string at @off of [@off, @end), or NULL. */
static const char *kx_fdt_str(const struct kx_fdt *f, u32 off, u32 end)
{
	const u8 *p = f->b + off;

	if (off >= end || !memchr(p, '\0', end - off))
		return NULL;
	return (const char *)p;
}

/**
 * struct kx_fdt_find - what kx_fdt_walk() looks for, and finds
 * @node:  "/" or "/<name>" whose property is wanted, NULL to only check
 * @prop:  the property's name
 * @voff:  out: offset of the value in the blob
 * @vlen:  out: its length
 * @found: out: the property was found
 */
struct kx_fdt_find {
	const char *node;
	const char *prop;
	u32 voff;
	u32 vlen;
	bool found;
};

/* Does the node at @depth named @name match @want ("/" or "/name")? */
static bool kx_fdt_node_is(const char *want, unsigned int depth,
			   const char *name)
{
	if (!strcmp(want, "/"))
		return depth == 1;
	return depth == 2 && !strcmp(want + 1, name);
}

/*
 * Walk the whole structure block, checking every token, and look for
 * @q's property on the way.  Returns 0 or -EINVAL.
 */
static int kx_fdt_walk(const struct kx_fdt *f, struct kx_fdt_find *q,
		       const char **why)
{
	u32 pos = f->st_off, tok, len, nameoff;
	unsigned int depth = 0;
	bool in_node = false, done = false;
	const char *name;

	for (;;) {
		if ((u64)pos + 4 > f->st_end)
			return kx_fdt_fail(why, "FDT structure block truncated");
		tok = kx_be32(f->b + pos);
		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = kx_fdt_str(f, pos, f->st_end);
			if (!name || done || (!depth && *name))
				return kx_fdt_fail(why, "bad FDT node");
			if (++depth > KX_FDT_MAX_DEPTH)
				return kx_fdt_fail(why, "FDT nested too deep");
			if (q && q->node)
				in_node = kx_fdt_node_is(q->node, depth, name);
			pos += ALIGN((u32)strlen(name) + 1, 4);
			break;
		case FDT_END_NODE:
			if (!depth)
				return kx_fdt_fail(why, "unbalanced FDT node end");
			in_node = false;
			done = !--depth;
			break;
		case FDT_PROP:
			if (!depth || (u64)pos + 8 > f->st_end)
				return kx_fdt_fail(why, "bad FDT property");
			len = kx_be32(f->b + pos);
			nameoff = kx_be32(f->b + pos + 4);
			pos += 8;
			if ((u64)pos + len > f->st_end)
				return kx_fdt_fail(why, "FDT property value out of range");
			if (nameoff >= f->str_size)
				return kx_fdt_fail(why, "FDT property name out of range");
			name = kx_fdt_str(f, f->str_off + nameoff,
					  f->str_off + f->str_size);
			if (!name)
				return kx_fdt_fail(why, "FDT property name not terminated");
			if (in_node && q && !strcmp(name, q->prop) &&
			    !q->found) {
				q->found = true;
				q->voff = pos;
				q->vlen = len;
			}
			pos += ALIGN(len, 4);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (!done)
				return kx_fdt_fail(why, "FDT ends inside a node");
			return 0;
		default:
			return kx_fdt_fail(why, "bad FDT token");
		}
		/* A node's end must not be followed by anything but FDT_END. */
		if (pos > f->st_end)
			return kx_fdt_fail(why, "FDT structure block truncated");
	}
}

int kx_fdt_check(const void *blob, size_t len, const char **why)
{
	struct kx_fdt f;
	int ret;

	ret = kx_fdt_header(&f, blob, len, why);
	if (!ret)
		ret = kx_fdt_walk(&f, NULL, why);
	return ret;
}

u32 kx_fdt_totalsize(const void *blob)
{
	return kx_be32((const u8 *)blob + H_TOTALSIZE);
}

static int kx_fdt_find(const void *blob, const char *path, const char *name,
		       u32 *voff, u32 *vlen, const char **why)
{
	struct kx_fdt_find q = { .node = path, .prop = name };
	struct kx_fdt f;
	int ret;

	if (!blob)
		return kx_fdt_fail(why, "no FDT");
	ret = kx_fdt_header(&f, blob, kx_fdt_totalsize(blob), why);
	if (!ret)
		ret = kx_fdt_walk(&f, &q, why);
	if (ret)
		return ret;
	if (!q.found) {
		if (why)
			*why = "FDT property missing";
		return -ENOENT;
	}
	*voff = q.voff;
	*vlen = q.vlen;
	return 0;
}

int kx_fdt_getprop(const void *blob, const char *path, const char *name,
		   const void **val, u32 *vlen)
{
	u32 off;
	int ret;

	ret = kx_fdt_find(blob, path, name, &off, vlen, NULL);
	if (!ret)
		*val = (const u8 *)blob + off;
	return ret;
}

/* One of the root's cell counts, @def when absent. */
static int kx_fdt_cell(const void *blob, const char *name, u32 def, u32 *out)
{
	const void *val;
	u32 len;
	int ret;

	ret = kx_fdt_getprop(blob, "/", name, &val, &len);
	if (ret == -ENOENT) {
		*out = def;
		return 0;
	}
	if (ret)
		return ret;
	if (len != 4)
		return -EINVAL;
	*out = kx_be32(val);
	return *out == 1 || *out == 2 ? 0 : -EINVAL;
}

int kx_fdt_cells(const void *blob, u32 *addr_cells, u32 *size_cells)
{
	int ret;

	ret = kx_fdt_cell(blob, "#address-cells", KX_FDT_DEF_ADDR_CELLS,
			  addr_cells);
	if (!ret)
		ret = kx_fdt_cell(blob, "#size-cells", KX_FDT_DEF_SIZE_CELLS,
				  size_cells);
	return ret;
}

/* Does @v fit in @cells (1 or 2) cells? */
static bool kx_fdt_fits(u32 cells, u64 v)
{
	return cells == 2 || v <= 0xffffffffULL;
}

/* Store @v in @cells big-endian cells at @p; false if it does not fit. */
static bool kx_fdt_put(u8 *p, u32 cells, u64 v)
{
	if (!kx_fdt_fits(cells, v))
		return false;
	if (cells == 1) {
		kx_put_be32(p, v);
		return true;
	}
	kx_put_be32(p, v >> 32);
	kx_put_be32(p + 4, v);
	return true;
}

int kx_fdt_set_num(void *blob, const char *name, u64 val, const char **why)
{
	u32 off, len;
	int ret;

	ret = kx_fdt_find(blob, "/chosen", name, &off, &len, why);
	if (ret)
		return ret;
	if (len != 4 && len != 8)
		return kx_fdt_fail(why, "FDT property is not 4 or 8 bytes");
	if (!kx_fdt_put((u8 *)blob + off, len / 4, val))
		return kx_fdt_fail(why, "value does not fit the FDT property");
	return 0;
}

int kx_fdt_set_ranges(void *blob, const char *name, const struct kx_range *r,
		      unsigned int nr, const char **why)
{
	u32 off, len, ac, sc, i;
	u8 *p;
	int ret;

	ret = kx_fdt_find(blob, "/chosen", name, &off, &len, why);
	if (ret)
		return ret;
	if (kx_fdt_cells(blob, &ac, &sc))
		return kx_fdt_fail(why, "bad #address-cells or #size-cells");
	if (!nr || len != nr * (ac + sc) * 4)
		return kx_fdt_fail(why, "FDT range property of the wrong size");
	for (i = 0; i < nr; i++)
		if (r[i].end <= r[i].start || !kx_fdt_fits(ac, r[i].start) ||
		    !kx_fdt_fits(sc, r[i].end - r[i].start))
			return kx_fdt_fail(why, "range does not fit the FDT property");
	p = (u8 *)blob + off;
	for (i = 0; i < nr; i++) {
		kx_fdt_put(p, ac, r[i].start);
		kx_fdt_put(p + ac * 4, sc, r[i].end - r[i].start);
		p += (ac + sc) * 4;
	}
	return 0;
}
