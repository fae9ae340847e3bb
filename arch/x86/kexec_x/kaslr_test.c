// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of virtual KASLR for unpacked kernels (kaslr.c).
 *
 * The relocation rows build a small image "linked" at __START_KERNEL_map
 * + 16 MiB whose bytes are a known pattern, and a table in the layout of
 * vmlinux.relocs from three lists of image offsets; after the call every
 * listed place must hold its old value moved by the delta (or, when the
 * call fails, the whole image its old bytes), and every other byte must
 * be untouched.
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "kaslr.h"

#define T_BASE		0x1000000ULL
#define T_LEN		4096
#define T_MAX		8
#define T_VA(off)	((u32)(KX_X86_START_KERNEL_MAP + T_BASE + (off)))
#define MIB(x)		((u64)(x) << 20)

/* Words used to write a table by hand: an address below the kernel. */
#define T_BELOW		((u32)(KX_X86_START_KERNEL_MAP + T_BASE - 4))

struct relocs_case {
	const char *desc;
	u64 delta;
	/* Image offsets; a list ends at the first 0xffff. */
	u16 r32[T_MAX], inv[T_MAX], r64[T_MAX];
	/* Raw table words instead of the lists, when raw_len is not 0. */
	u32 raw[T_MAX];
	unsigned int raw_len;
	int ret;
};

#define END	0xffff

static const struct relocs_case relocs_cases[] = {
	{
		.desc = "all three kinds moved by 2 MiB",
		.delta = MIB(2),
		.r32 = { 0, 16, 100, END }, .inv = { 200, 204, END },
		.r64 = { 300, 512, T_LEN - 8, END },
	},
	{
		.desc = "delta 0 checks and patches nothing",
		.r32 = { 4, END }, .inv = { 8, END }, .r64 = { 16, END },
	},
	{
		.desc = "empty lists",
		.delta = MIB(944),
		.r32 = { END }, .inv = { END }, .r64 = { END },
	},
	{
		.desc = "last 32-bit place of the image",
		.delta = MIB(4),
		.r32 = { T_LEN - 4, END }, .inv = { T_LEN - 4, END }, .r64 = { END },
	},
	{
		.desc = "32-bit place across the end",
		.delta = MIB(2),
		.r32 = { 0, T_LEN - 2, END }, .inv = { END }, .r64 = { END },
		.ret = -ENOEXEC,
	},
	{
		.desc = "64-bit place across the end",
		.delta = MIB(2),
		.r32 = { 0, END }, .inv = { END }, .r64 = { T_LEN - 4, END },
		.ret = -ENOEXEC,
	},
	{
		.desc = "inverse place past the end",
		.delta = MIB(2),
		.r32 = { END }, .inv = { 8, T_LEN, END }, .r64 = { END },
		.ret = -ENOEXEC,
	},
	{
		.desc = "place below the kernel",
		.delta = MIB(2),
		.raw = { 0, 0, T_BELOW, 0 }, .raw_len = 4,
		.ret = -ENOEXEC,
	},
	{
		.desc = "only two terminators",
		.delta = MIB(2),
		.raw = { 0, T_VA(8), 0 }, .raw_len = 3,
		.ret = -ENOEXEC,
	},
	{
		.desc = "words before the 64-bit terminator",
		.delta = MIB(2),
		.raw = { T_VA(8), 0, 0, 0 }, .raw_len = 4,
		.ret = -ENOEXEC,
	},
	{
		.desc = "table of two words",
		.delta = MIB(2),
		.raw = { 0, 0 }, .raw_len = 2,
		.ret = -ENOEXEC,
	},
};

static void relocs_case_desc(const struct relocs_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(relocs, relocs_cases, relocs_case_desc);

static unsigned int list_len(const u16 *l)
{
	unsigned int n = 0;

	while (n < T_MAX && l[n] != END)
		n++;
	return n;
}

/* The table, first word first: 0, r64..., 0, inv..., 0, r32... */
static unsigned int make_table(const struct relocs_case *c, u32 *t)
{
	const u16 *lists[] = { c->r64, c->inv, c->r32 };
	unsigned int i, k, n = 0;

	if (c->raw_len) {
		memcpy(t, c->raw, c->raw_len * sizeof(*t));
		return c->raw_len;
	}
	for (k = 0; k < ARRAY_SIZE(lists); k++) {
		t[n++] = 0;
		/* Read from the end backwards: the first entry goes last. */
		for (i = list_len(lists[k]); i > 0; i--)
			t[n++] = T_VA(lists[k][i - 1]);
	}
	return n;
}

static u64 rd(const u8 *p, unsigned int width)
{
	u64 v = 0;

	while (width--)
		v = v << 8 | p[width];
	return v;
}

static void wr(u8 *p, unsigned int width, u64 v)
{
	unsigned int i;

	for (i = 0; i < width; i++, v >>= 8)
		p[i] = (u8)v;
}

static void relocs_apply_test(struct kunit *test)
{
	const struct relocs_case *c = test->param_value;
	u32 table[3 * T_MAX + 3];
	struct kx_x86_relocs r;
	u8 *img, *orig, *want;
	const char *why;
	unsigned int n, i;
	u64 v;
	int ret;

	img = kunit_kzalloc(test, T_LEN, GFP_KERNEL);
	orig = kunit_kzalloc(test, T_LEN, GFP_KERNEL);
	want = kunit_kzalloc(test, T_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, img);
	KUNIT_ASSERT_NOT_NULL(test, orig);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < T_LEN; i++)
		orig[i] = (u8)(i * 7 + 0xe5);
	/* A 64-bit value whose low half carries into the high half. */
	wr(orig + 300, 4, 0xfff00000);
	memcpy(img, orig, T_LEN);
	memcpy(want, orig, T_LEN);

	n = make_table(c, table);
	ret = kx_x86_relocs_apply(img, T_LEN, T_BASE, (const u8 *)table,
				  n * sizeof(u32), c->delta, &r, &why);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		KUNIT_EXPECT_MEMEQ(test, img, orig, T_LEN);
		KUNIT_EXPECT_EQ(test, r.nr32 + r.nr_inv + r.nr64, 0U);
		return;
	}
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, r.nr32, list_len(c->r32));
	KUNIT_EXPECT_EQ(test, r.nr_inv, list_len(c->inv));
	KUNIT_EXPECT_EQ(test, r.nr64, list_len(c->r64));

	/* Expected: each place moved by delta, in list order. */
	for (i = 0; i < list_len(c->r32); i++) {
		v = rd(want + c->r32[i], 4) + (u32)c->delta;
		wr(want + c->r32[i], 4, v);
	}
	for (i = 0; i < list_len(c->inv); i++) {
		v = rd(want + c->inv[i], 4) - (u32)c->delta;
		wr(want + c->inv[i], 4, v);
	}
	for (i = 0; i < list_len(c->r64); i++) {
		v = rd(want + c->r64[i], 8) + c->delta;
		wr(want + c->r64[i], 8, v);
	}
	KUNIT_EXPECT_MEMEQ(test, img, want, T_LEN);
	if (c->r64[0] == 300 && c->delta == MIB(2))
		KUNIT_EXPECT_EQ(test, rd(img + 300, 8) >> 32,
				(rd(orig + 300, 8) >> 32) + 1);
}

struct delta_case {
	const char *desc;
	u64 base, size, align, random, want;
};

static const struct delta_case delta_cases[] = {
	{ "random 0: the link-time base", MIB(16), MIB(64), MIB(2), 0, 0 },
	{ "random 5: the sixth slot", MIB(16), MIB(64), MIB(2), 5, MIB(10) },
	{ "last slot ends at 1 GiB", MIB(16), MIB(64), MIB(2), 472, MIB(944) },
	{ "one past the last slot wraps", MIB(16), MIB(64), MIB(2), 473, 0 },
	{ "large random", MIB(16), MIB(64), MIB(2), ~0ULL,
	  (~0ULL % 473) * MIB(2) },
	{ "size fills the area: one slot", MIB(16), MIB(1008), MIB(2), 7, 0 },
	{ "size past the area", MIB(16), MIB(1009), MIB(2), 7, 0 },
	{ "base past the area", MIB(1025), MIB(1), MIB(2), 7, 0 },
	{ "alignment not a power of two", MIB(16), MIB(64), MIB(3), 5, 0 },
	{ "alignment 0", MIB(16), MIB(64), 0, 5, 0 },
};

static void delta_case_desc(const struct delta_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(delta, delta_cases, delta_case_desc);

static void kaslr_delta_test(struct kunit *test)
{
	const struct delta_case *c = test->param_value;
	u64 d = kx_x86_kaslr_delta(c->base, c->size, c->align, c->random);

	KUNIT_EXPECT_EQ(test, d, c->want);
	/* Any slot but the link-time one ends inside the image area. */
	if (d)
		KUNIT_EXPECT_LE(test, c->base + d + c->size,
				KX_X86_KERNEL_IMAGE_SIZE);
}

struct nokaslr_case {
	const char *desc;
	const char *cmdline;
	size_t len;	/* 0: strlen + 1 */
	bool want;
};

static const struct nokaslr_case nokaslr_cases[] = {
	{ "alone", "nokaslr", 0, true },
	{ "last word", "console=ttyS0 quiet nokaslr", 0, true },
	{ "first word", "nokaslr console=ttyS0", 0, true },
	{ "tabs and newline", "quiet\tnokaslr\n", 0, true },
	{ "with a value", "nokaslr=1", 0, false },
	{ "inside a word", "xnokaslr kaslr", 0, false },
	{ "prefix only", "nokasl", 0, false },
	{ "cut by the length", "quiet nokaslr", 12, false },
	{ "after a NUL", "quiet\0nokaslr", 14, false },
	{ "empty", "", 0, false },
	{ "no command line", NULL, 0, false },
};

static void nokaslr_case_desc(const struct nokaslr_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nokaslr, nokaslr_cases, nokaslr_case_desc);

static void nokaslr_test(struct kunit *test)
{
	const struct nokaslr_case *c = test->param_value;
	size_t len = c->len ?: (c->cmdline ? strlen(c->cmdline) + 1 : 0);

	KUNIT_EXPECT_EQ(test, kx_x86_cmdline_nokaslr(c->cmdline, len), c->want);
}

static struct kunit_case kaslr_test_cases[] = {
	KUNIT_CASE_PARAM(relocs_apply_test, relocs_gen_params),
	KUNIT_CASE_PARAM(kaslr_delta_test, delta_gen_params),
	KUNIT_CASE_PARAM(nokaslr_test, nokaslr_gen_params),
	{}
};

static struct kunit_suite kaslr_test_suite = {
	.name = "kexec_x_kaslr",
	.test_cases = kaslr_test_cases,
};

kunit_test_suite(kaslr_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
