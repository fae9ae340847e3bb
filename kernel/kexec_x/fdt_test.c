// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kexec_x's device tree reader and in-place patcher (fdt.c).
 *
 * Every case builds a small tree like the one the loader hands over (a
 * root with #address-cells/#size-cells, /chosen with bootargs and the
 * placeholders, a memory node), may damage it, and checks what
 * kx_fdt_check() and the patchers say and write.
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "kx_fdt.h"

#define FB_MAX	1024

/* A tree under construction, and where its parts went. */
struct fb {
	u8 st[FB_MAX];
	u32 st_len;
	char str[256];
	u32 str_len;
	u8 blob[FB_MAX];
	u32 size;
	u32 first_prop;		/* offset of the first FDT_PROP token */
	u32 chosen_prop;	/* offset of /chosen's first FDT_PROP token */
	u32 end_tok;		/* offset of FDT_END */
};

static void fb_put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static u32 fb_get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void fb_tok(struct fb *f, u32 tok)
{
	fb_put32(f->st + f->st_len, tok);
	f->st_len += 4;
}

static void fb_bytes(struct fb *f, const void *p, u32 len)
{
	memcpy(f->st + f->st_len, p, len);
	memset(f->st + f->st_len + len, 0, ALIGN(len, 4) - len);
	f->st_len += ALIGN(len, 4);
}

static void fb_begin(struct fb *f, const char *name)
{
	fb_tok(f, 1);
	fb_bytes(f, name, strlen(name) + 1);
}

/* 40-byte header, 16-byte empty reservation map, then the blocks. */
#define FB_ST_OFF	56

static void fb_prop(struct fb *f, const char *name, const void *val, u32 len)
{
	u32 off = f->str_len;

	if (!f->first_prop)
		f->first_prop = FB_ST_OFF + f->st_len;
	fb_tok(f, 3);
	fb_tok(f, len);
	memcpy(f->str + f->str_len, name, strlen(name) + 1);
	f->str_len += strlen(name) + 1;
	fb_tok(f, off);
	fb_bytes(f, val, len);
}

static void fb_u32(struct fb *f, const char *name, u32 v)
{
	u8 b[4];

	fb_put32(b, v);
	fb_prop(f, name, b, 4);
}

/* The standard tree, with root cells @ac/@sc (0: property absent). */
static void fb_build(struct fb *f, u32 ac, u32 sc)
{
	static const u8 zero[32];
	static const char args[] = "console=ttyAMA0 quiet";

	memset(f, 0, sizeof(*f));
	fb_begin(f, "");
	if (ac)
		fb_u32(f, "#address-cells", ac);
	if (sc)
		fb_u32(f, "#size-cells", sc);
	fb_begin(f, "chosen");
	f->chosen_prop = FB_ST_OFF + f->st_len;
	fb_prop(f, "bootargs", args, sizeof(args));
	fb_prop(f, "linux,initrd-start", zero, 8);
	fb_prop(f, "linux,initrd-end", zero, 4);
	fb_prop(f, "linux,elfcorehdr", zero, ((ac ?: 2) + (sc ?: 1)) * 4);
	fb_prop(f, "linux,usable-memory-range", zero,
		((ac ?: 2) + (sc ?: 1)) * 4);
	fb_prop(f, "linux,odd", zero, 12);
	fb_tok(f, 2);
	fb_begin(f, "memory@40000000");
	fb_prop(f, "device_type", "memory", 7);
	fb_tok(f, 2);
	fb_tok(f, 2);
	f->end_tok = FB_ST_OFF + f->st_len;
	fb_tok(f, 9);

	f->size = FB_ST_OFF + f->st_len + f->str_len;
	fb_put32(f->blob + 0, KX_FDT_MAGIC);
	fb_put32(f->blob + 4, f->size);
	fb_put32(f->blob + 8, FB_ST_OFF);
	fb_put32(f->blob + 12, FB_ST_OFF + f->st_len);
	fb_put32(f->blob + 16, 40);
	fb_put32(f->blob + 20, 17);
	fb_put32(f->blob + 24, 16);
	fb_put32(f->blob + 32, f->str_len);
	fb_put32(f->blob + 36, f->st_len);
	memcpy(f->blob + FB_ST_OFF, f->st, f->st_len);
	memcpy(f->blob + FB_ST_OFF + f->st_len, f->str, f->str_len);
}

/* ---- kx_fdt_check() ---- */

enum fdt_damage {
	D_NONE,
	D_MAGIC,		/* word at 0 */
	D_SHORT,		/* buffer one byte short of totalsize */
	D_HEADER_ONLY,		/* buffer of 39 bytes */
	D_TOTALSIZE_BIG,	/* totalsize past the buffer */
	D_VERSION_OLD,		/* version 15 */
	D_VERSION_NEW,		/* last_comp_version 18 */
	D_STRUCT_OFF,		/* off_dt_struct past totalsize */
	D_STRUCT_SIZE,		/* size_dt_struct past totalsize */
	D_STRUCT_UNALIGNED,	/* off_dt_struct not 4-aligned */
	D_STRINGS,		/* strings block past totalsize */
	D_RSV_UNALIGNED,	/* off_mem_rsvmap not 8-aligned */
	D_RSV_UNTERMINATED,	/* reservation map never ends */
	D_NAMEOFF,		/* a property name offset past the strings */
	D_PROP_LEN,		/* a property value past the block */
	D_TOKEN,		/* an unknown token */
	D_NO_END,		/* FDT_END replaced by FDT_NOP */
	D_NOP_END,		/* a NOP before FDT_END: still fine */
	D_ROOT_NAMED,		/* the root node has a name */
	D_STRINGS_UNTERMINATED,	/* the last name loses its NUL */
};

struct fdt_check_case {
	const char *desc;
	enum fdt_damage damage;
	int ret;
};

static const struct fdt_check_case fdt_check_cases[] = {
	{ "well-formed tree", D_NONE, 0 },
	{ "bad magic", D_MAGIC, -EINVAL },
	{ "buffer shorter than totalsize", D_SHORT, -EINVAL },
	{ "truncated header", D_HEADER_ONLY, -EINVAL },
	{ "totalsize past the buffer", D_TOTALSIZE_BIG, -EINVAL },
	{ "version 15", D_VERSION_OLD, -EINVAL },
	{ "last compatible version 18", D_VERSION_NEW, -EINVAL },
	{ "structure block offset out of range", D_STRUCT_OFF, -EINVAL },
	{ "structure block size out of range", D_STRUCT_SIZE, -EINVAL },
	{ "structure block unaligned", D_STRUCT_UNALIGNED, -EINVAL },
	{ "strings block out of range", D_STRINGS, -EINVAL },
	{ "reservation map unaligned", D_RSV_UNALIGNED, -EINVAL },
	{ "reservation map unterminated", D_RSV_UNTERMINATED, -EINVAL },
	{ "property name offset out of range", D_NAMEOFF, -EINVAL },
	{ "property length out of range", D_PROP_LEN, -EINVAL },
	{ "unknown token", D_TOKEN, -EINVAL },
	{ "no FDT_END", D_NO_END, -EINVAL },
	{ "NOP before FDT_END", D_NOP_END, 0 },
	{ "root node with a name", D_ROOT_NAMED, -EINVAL },
	{ "property name not terminated", D_STRINGS_UNTERMINATED, -EINVAL },
};

static void fdt_check_desc(const struct fdt_check_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fdt_check, fdt_check_cases, fdt_check_desc);

/* Damage @f as @d says; returns the buffer length to check. */
static size_t fdt_damage(struct fb *f, enum fdt_damage d)
{
	u8 *b = f->blob;
	size_t len = f->size;

	switch (d) {
	case D_NONE:
		break;
	case D_MAGIC:
		fb_put32(b, 0xd00dfeee);
		break;
	case D_SHORT:
		len--;
		break;
	case D_HEADER_ONLY:
		len = 39;
		break;
	case D_TOTALSIZE_BIG:
		fb_put32(b + 4, 0xfffffff0);
		break;
	case D_VERSION_OLD:
		fb_put32(b + 20, 15);
		break;
	case D_VERSION_NEW:
		fb_put32(b + 24, 18);
		break;
	case D_STRUCT_OFF:
		fb_put32(b + 8, f->size + 4);
		break;
	case D_STRUCT_SIZE:
		fb_put32(b + 36, 0xfffffff0);
		break;
	case D_STRUCT_UNALIGNED:
		fb_put32(b + 8, FB_ST_OFF + 2);
		break;
	case D_STRINGS:
		fb_put32(b + 32, f->str_len + 64);
		break;
	case D_RSV_UNALIGNED:
		fb_put32(b + 16, 44);
		break;
	case D_RSV_UNTERMINATED:
		/* The map runs into the structure block, then off the end. */
		memset(b + 40, 0xff, 16);
		fb_put32(b + 16, 40);
		memset(b + FB_ST_OFF, 0xff, f->size - FB_ST_OFF);
		break;
	case D_NAMEOFF:
		fb_put32(b + f->first_prop + 8, f->str_len + 100);
		break;
	case D_PROP_LEN:
		fb_put32(b + f->first_prop + 4, 0x7ffffff0);
		break;
	case D_TOKEN:
		fb_put32(b + f->first_prop, 7);
		break;
	case D_NO_END:
		fb_put32(b + f->end_tok, 4);
		break;
	case D_NOP_END:
		/* Shift FDT_END one word over the first string byte: no. */
		fb_put32(b + f->end_tok, 4);
		fb_put32(b + 36, f->st_len + 4);
		fb_put32(b + 12, FB_ST_OFF + f->st_len + 4);
		memmove(b + FB_ST_OFF + f->st_len + 4,
			b + FB_ST_OFF + f->st_len, f->str_len);
		fb_put32(b + f->end_tok + 4, 9);
		f->size += 4;
		fb_put32(b + 4, f->size);
		len = f->size;
		break;
	case D_ROOT_NAMED:
		b[FB_ST_OFF + 4] = 'x';
		break;
	case D_STRINGS_UNTERMINATED:
		b[f->size - 1] = 'x';
		break;
	}
	return len;
}

static void fdt_check_test(struct kunit *test)
{
	const struct fdt_check_case *c = test->param_value;
	struct fb *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	const char *why = NULL;
	size_t len;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, f);
	fb_build(f, 2, 2);
	len = fdt_damage(f, c->damage);
	ret = kx_fdt_check(f->blob, len, &why);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret)
		KUNIT_EXPECT_NOT_NULL(test, why);
	else
		KUNIT_EXPECT_EQ(test, kx_fdt_totalsize(f->blob), f->size);
}

/* ---- the patchers ---- */

enum fdt_op { OP_NUM, OP_RANGES };

struct fdt_patch_case {
	const char *desc;
	u32 ac, sc;		/* root cells, 0 for absent */
	enum fdt_op op;
	const char *name;
	u64 val;		/* OP_NUM */
	struct kx_range r[2];	/* OP_RANGES */
	unsigned int nr;
	int ret;
	u8 want[16];		/* the property afterwards, on success */
	u32 want_len;
};

static const struct fdt_patch_case fdt_patch_cases[] = {
	{
		.desc = "u64 property takes a 64-bit address",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "linux,initrd-start",
		.val = 0x123456789000ULL,
		.want = { 0, 0, 0x12, 0x34, 0x56, 0x78, 0x90, 0 },
		.want_len = 8,
	},
	{
		.desc = "u32 property takes a 32-bit address",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "linux,initrd-end",
		.val = 0x48001000,
		.want = { 0x48, 0x00, 0x10, 0x00 }, .want_len = 4,
	},
	{
		.desc = "u32 property refuses a 64-bit address",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "linux,initrd-end",
		.val = 0x100000000ULL, .ret = -EINVAL,
	},
	{
		.desc = "missing property",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "linux,no-such",
		.ret = -ENOENT,
	},
	{
		.desc = "property of 12 bytes is no number",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "linux,odd",
		.ret = -EINVAL,
	},
	{
		.desc = "a memory node property is not /chosen's",
		.ac = 2, .sc = 2, .op = OP_NUM, .name = "device_type",
		.ret = -ENOENT,
	},
	{
		.desc = "elfcorehdr range with 2+2 cells",
		.ac = 2, .sc = 2, .op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x1bfff0000ULL, 0x1bfff3000ULL } }, .nr = 1,
		.want = { 0, 0, 0, 1, 0xbf, 0xff, 0, 0,
			  0, 0, 0, 0, 0, 0, 0x30, 0 },
		.want_len = 16,
	},
	{
		.desc = "usable-memory-range with 1+1 cells",
		.ac = 1, .sc = 1, .op = OP_RANGES,
		.name = "linux,usable-memory-range",
		.r = { { 0x60000000, 0x70000000 } }, .nr = 1,
		.want = { 0x60, 0, 0, 0, 0x10, 0, 0, 0 }, .want_len = 8,
	},
	{
		.desc = "default cells are 2+1",
		.op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x80000000ULL, 0x80001000ULL } }, .nr = 1,
		.want = { 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0x10, 0 },
		.want_len = 12,
	},
	{
		.desc = "address above 4 GiB does not fit one cell",
		.ac = 1, .sc = 1, .op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x100000000ULL, 0x100001000ULL } }, .nr = 1,
		.ret = -EINVAL,
	},
	{
		.desc = "two ranges do not fit a one-range property",
		.ac = 2, .sc = 2, .op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x1000, 0x2000 }, { 0x3000, 0x4000 } }, .nr = 2,
		.ret = -EINVAL,
	},
	{
		.desc = "empty range refused",
		.ac = 2, .sc = 2, .op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x2000, 0x2000 } }, .nr = 1, .ret = -EINVAL,
	},
	{
		.desc = "3 address cells refused",
		.ac = 3, .sc = 2, .op = OP_RANGES, .name = "linux,elfcorehdr",
		.r = { { 0x1000, 0x2000 } }, .nr = 1, .ret = -EINVAL,
	},
	{
		.desc = "missing range property",
		.ac = 2, .sc = 2, .op = OP_RANGES, .name = "linux,nothing",
		.r = { { 0x1000, 0x2000 } }, .nr = 1, .ret = -ENOENT,
	},
};

static void fdt_patch_desc(const struct fdt_patch_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fdt_patch, fdt_patch_cases, fdt_patch_desc);

static void fdt_patch_test(struct kunit *test)
{
	const struct fdt_patch_case *c = test->param_value;
	struct fb *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	u8 *before = kunit_kzalloc(test, FB_MAX, GFP_KERNEL);
	const void *val;
	const char *why = NULL;
	u32 len, i, diff = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, before);
	fb_build(f, c->ac, c->sc);
	KUNIT_ASSERT_EQ(test, kx_fdt_check(f->blob, f->size, NULL), 0);
	memcpy(before, f->blob, FB_MAX);
	if (c->op == OP_NUM)
		ret = kx_fdt_set_num(f->blob, c->name, c->val, &why);
	else
		ret = kx_fdt_set_ranges(f->blob, c->name, c->r, c->nr, &why);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		/* A refusal writes nothing. */
		KUNIT_EXPECT_EQ(test, memcmp(before, f->blob, FB_MAX), 0);
		return;
	}
	KUNIT_ASSERT_EQ(test, kx_fdt_getprop(f->blob, "/chosen", c->name,
					     &val, &len), 0);
	KUNIT_EXPECT_EQ(test, len, c->want_len);
	KUNIT_EXPECT_EQ(test, memcmp(val, c->want, c->want_len), 0);
	/* Only the value's bytes changed; the tree is still well formed. */
	for (i = 0; i < FB_MAX; i++)
		diff += before[i] != f->blob[i] &&
			(i < (u32)((const u8 *)val - f->blob) ||
			 i >= (u32)((const u8 *)val - f->blob) + len);
	KUNIT_EXPECT_EQ(test, diff, 0);
	KUNIT_EXPECT_EQ(test, kx_fdt_check(f->blob, f->size, NULL), 0);
}

/* getprop finds root and /chosen properties and nothing else. */
static void fdt_getprop_test(struct kunit *test)
{
	struct fb *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	const void *val;
	u32 len, ac, sc;

	KUNIT_ASSERT_NOT_NULL(test, f);
	fb_build(f, 2, 1);
	KUNIT_EXPECT_EQ(test, kx_fdt_getprop(f->blob, "/", "#size-cells",
					     &val, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 4);
	KUNIT_EXPECT_EQ(test, fb_get32(val), 1);
	KUNIT_EXPECT_EQ(test, kx_fdt_getprop(f->blob, "/chosen", "bootargs",
					     &val, &len), 0);
	KUNIT_EXPECT_STREQ(test, (const char *)val, "console=ttyAMA0 quiet");
	KUNIT_EXPECT_EQ(test, kx_fdt_getprop(f->blob, "/", "bootargs", &val,
					     &len), -ENOENT);
	KUNIT_EXPECT_EQ(test, kx_fdt_getprop(f->blob, "/memory", "device_type",
					     &val, &len), -ENOENT);
	KUNIT_EXPECT_EQ(test, kx_fdt_cells(f->blob, &ac, &sc), 0);
	KUNIT_EXPECT_EQ(test, ac, 2);
	KUNIT_EXPECT_EQ(test, sc, 1);
	/* Damage found on the way is an error, not a miss. */
	fb_put32(f->blob + f->end_tok, 7);
	KUNIT_EXPECT_EQ(test, kx_fdt_getprop(f->blob, "/chosen", "bootargs",
					     &val, &len), -EINVAL);
}

static struct kunit_case fdt_test_cases[] = {
	KUNIT_CASE_PARAM(fdt_check_test, fdt_check_gen_params),
	KUNIT_CASE_PARAM(fdt_patch_test, fdt_patch_gen_params),
	KUNIT_CASE(fdt_getprop_test),
	{}
};

static struct kunit_suite fdt_test_suite = {
	.name = "kexec_x_fdt",
	.test_cases = fdt_test_cases,
};

kunit_test_suite(fdt_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
