// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the arm64 Image header and placement (image.c).
 *
 * Each parse case is an Image header with one field changed; each build
 * case a memory map and the sizes of kernel, initrd and DTB, with the
 * addresses they must land at.
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "image.h"

#define MIB(x)		((u64)(x) << 20)
#define GIB(x)		((u64)(x) << 30)
#define IMG_LEN		0x3000

static void put_le64(u8 *p, u64 v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* An Image of IMG_LEN bytes: 4K pages, LE, text_offset 0. */
static void mk_image(u8 *b, u64 text_offset, u64 image_size, u64 flags)
{
	memset(b, 0, IMG_LEN);
	b[0] = 0x4d;	/* "MZ", as the EFI stub Image */
	b[1] = 0x5a;
	put_le64(b + 8, text_offset);
	put_le64(b + 16, image_size);
	put_le64(b + 24, flags);
	memcpy(b + 0x38, "ARM\x64", 4);
}

struct parse_case {
	const char *desc;
	u64 text_offset, image_size, flags;
	size_t len;		/* 0: IMG_LEN */
	int damage;		/* 1: magic, 2: gzip */
	unsigned int granules;	/* 0: all */
	int ret;
	unsigned int granule;
	bool phys_any;
};

static const struct parse_case parse_cases[] = {
	{ "Debian-like Image", 0, MIB(30), 0xa, 0, 0, 0, 0,
	  KX_ARM64_GRAN_4K, true },
	{ "old Image with text_offset 512K", 0x80000, MIB(16), 0x2, 0, 0, 0,
	  0, KX_ARM64_GRAN_4K, false },
	{ "page size unspecified", 0, MIB(16), 0, 0, 0, 0, 0, 0, false },
	{ "64K kernel on 4K-only CPUs", 0, MIB(16), 0x6, 0, 0,
	  KX_ARM64_GRAN_4K, -ENOEXEC },
	{ "16K kernel on CPUs with 16K", 0, MIB(16), 0x4, 0, 0,
	  KX_ARM64_GRAN_16K, 0, KX_ARM64_GRAN_16K },
	{ "big endian", 0, MIB(16), 0x3, 0, 0, 0, -ENOEXEC },
	{ "image_size 0", 0, 0, 0x2, 0, 0, 0, -ENOEXEC },
	{ "image_size above 1 GiB", 0, GIB(1) + 1, 0x2, 0, 0, 0, -ENOEXEC },
	{ "text_offset not page aligned", 0x800, MIB(16), 0x2, 0, 0, 0,
	  -ENOEXEC },
	{ "text_offset 2 MiB", MIB(2), MIB(16), 0x2, 0, 0, 0, -ENOEXEC },
	{ "file longer than image_size", 0, 0x2000, 0x2, 0, 0, 0, -ENOEXEC },
	{ "shorter than the header", 0, MIB(16), 0x2, 63, 0, 0, -ENOEXEC },
	{ "header only", 0, MIB(16), 0x2, 64, 0, 0, 0, KX_ARM64_GRAN_4K },
	{ "bad magic", 0, MIB(16), 0x2, 0, 1, 0, -ENOEXEC },
	{ "gzip-compressed", 0, MIB(16), 0x2, 0, 2, 0, -ENOEXEC },
};

static void parse_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(image_parse, parse_cases, parse_desc);

static void image_parse_test(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	u8 *b = kunit_kzalloc(test, IMG_LEN, GFP_KERNEL);
	struct kx_arm64_image img;
	const char *why = NULL;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, b);
	mk_image(b, c->text_offset, c->image_size, c->flags);
	if (c->damage == 1)
		b[0x3b] = 0x65;
	if (c->damage == 2) {
		b[0] = 0x1f;
		b[1] = 0x8b;
	}
	ret = kx_arm64_image_parse(b, c->len ?: IMG_LEN,
				   c->granules ?: KX_ARM64_GRAN_ALL, &img,
				   &why);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		return;
	}
	KUNIT_EXPECT_EQ(test, img.text_offset, c->text_offset);
	KUNIT_EXPECT_EQ(test, img.image_size, c->image_size);
	KUNIT_EXPECT_EQ(test, img.granule, c->granule);
	KUNIT_EXPECT_EQ(test, img.phys_any, c->phys_any);
}

#define MAX_R	3

struct build_case {
	const char *desc;
	struct kx_range ram[MAX_R];
	unsigned int nr_ram;
	struct kx_range avoid[MAX_R];
	unsigned int nr_avoid;
	u64 text_offset, image_size, flags;
	u64 initrd_len, dtb_len;
	int ret;
	u64 kernel, initrd, dtb;
};

static const struct build_case build_cases[] = {
	{
		.desc = "QEMU virt 2 GiB: lowest base, initrd above, DTB on top",
		.ram = { { GIB(1), GIB(3) } }, .nr_ram = 1,
		.image_size = MIB(30) + 0x1234, .flags = 0xa,
		.initrd_len = MIB(14) + 5, .dtb_len = 0x100000,
		.kernel = GIB(1), .initrd = GIB(1) + MIB(30) + 0x2000,
		.dtb = GIB(3) - MIB(2),
	},
	{
		.desc = "text_offset honoured above a 2 MiB aligned base",
		.ram = { { GIB(1) + 0x1000, GIB(2) } }, .nr_ram = 1,
		.text_offset = 0x80000, .image_size = MIB(16), .flags = 0x2,
		.dtb_len = 0x1000,
		.kernel = GIB(1) + MIB(2) + 0x80000,
		.dtb = GIB(2) - MIB(2),
	},
	{
		.desc = "reserved memory and the crash reservation avoided",
		.ram = { { GIB(1), GIB(2) } }, .nr_ram = 1,
		.avoid = { { GIB(1), GIB(1) + MIB(3) },
			   { GIB(2) - MIB(256), GIB(2) } }, .nr_avoid = 2,
		.image_size = MIB(20), .flags = 0xa, .initrd_len = MIB(1),
		.dtb_len = 0x2000,
		.kernel = GIB(1) + MIB(4), .initrd = GIB(1) + MIB(24),
		.dtb = GIB(2) - MIB(258),
	},
	{
		.desc = "crash: everything in the reservation",
		.ram = { { GIB(2) - MIB(256), GIB(2) - MIB(1) } }, .nr_ram = 1,
		.image_size = MIB(40), .flags = 0xa, .initrd_len = MIB(10),
		.dtb_len = 0x3000,
		.kernel = GIB(2) - MIB(256), .initrd = GIB(2) - MIB(216),
		.dtb = GIB(2) - MIB(2),
	},
	{
		.desc = "no room for the kernel",
		.ram = { { GIB(1), GIB(1) + MIB(16) } }, .nr_ram = 1,
		.image_size = MIB(30), .flags = 0xa, .dtb_len = 0x1000,
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "no room for the DTB beside the kernel",
		.ram = { { GIB(1), GIB(1) + MIB(32) } }, .nr_ram = 1,
		.image_size = MIB(31), .flags = 0xa, .dtb_len = 0x1000,
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "initrd beyond the 32 GiB window: next kernel hole",
		.ram = { { GIB(1), GIB(1) + MIB(64) },
			 { GIB(40), GIB(41) } }, .nr_ram = 2,
		.image_size = MIB(30), .flags = 0xa, .initrd_len = MIB(100),
		.dtb_len = 0x1000,
		.kernel = GIB(40), .initrd = GIB(40) + MIB(30),
		.dtb = GIB(41) - MIB(2),
	},
	{
		.desc = "placement flag clear still fits above 2^48",
		.ram = { { 1ULL << 48, (1ULL << 48) + GIB(1) } }, .nr_ram = 1,
		.image_size = MIB(30), .flags = 0x2, .dtb_len = 0x1000,
		.kernel = 1ULL << 48, .dtb = (1ULL << 48) + GIB(1) - MIB(2),
	},
	{
		.desc = "placement flag set keeps the kernel below 2^48",
		.ram = { { 1ULL << 48, (1ULL << 48) + GIB(1) } }, .nr_ram = 1,
		.image_size = MIB(30), .flags = 0xa, .dtb_len = 0x1000,
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "DTB above KEXEC_X_DTB_MAX",
		.ram = { { GIB(1), GIB(2) } }, .nr_ram = 1,
		.image_size = MIB(30), .flags = 0xa,
		.dtb_len = KEXEC_X_DTB_MAX + 1, .ret = -EINVAL,
	},
	{
		.desc = "no RAM",
		.image_size = MIB(30), .flags = 0xa, .dtb_len = 0x1000,
		.ret = -EINVAL,
	},
	{
		.desc = "bad kernel",
		.ram = { { GIB(1), GIB(2) } }, .nr_ram = 1,
		.image_size = 0, .flags = 0xa, .dtb_len = 0x1000,
		.ret = -ENOEXEC,
	},
};

static void build_desc(const struct build_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(image_build, build_cases, build_desc);

static void image_build_test(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	u8 *b = kunit_kzalloc(test, IMG_LEN, GFP_KERNEL);
	struct kx_arm64_file_in in = {
		.kernel_len = IMG_LEN,
		.initrd_len = c->initrd_len,
		.dtb_len = c->dtb_len,
		.granules = KX_ARM64_GRAN_ALL,
		.ram = c->nr_ram ? c->ram : NULL,
		.nr_ram = c->nr_ram,
		.avoid = c->avoid,
		.nr_avoid = c->nr_avoid,
	};
	struct kx_arm64_file_out out;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, b);
	mk_image(b, c->text_offset, c->image_size, c->flags);
	in.kernel = b;
	ret = kx_arm64_file_build(&in, &out);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_NOT_NULL(test, out.why);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, out.kernel_mem, c->kernel);
	KUNIT_EXPECT_EQ(test, out.kernel_memsz,
			ALIGN(c->image_size, KX_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, out.initrd_mem, c->initrd);
	KUNIT_EXPECT_EQ(test, out.initrd_memsz,
			ALIGN(c->initrd_len, KX_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, out.dtb_mem, c->dtb);
	KUNIT_EXPECT_EQ(test, out.dtb_memsz, ALIGN(c->dtb_len, KX_PAGE_SIZE));
	/* The rules of booting.rst, whatever the table says. */
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(out.kernel_mem - c->text_offset,
					   KX_ARM64_KERNEL_ALIGN));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(out.dtb_mem, KX_ARM64_DTB_ALIGN));
	if (c->initrd_len)
		KUNIT_EXPECT_LE(test, out.initrd_mem + c->initrd_len,
				ALIGN_DOWN(out.kernel_mem, GIB(1)) + GIB(32));
}

static struct kunit_case image_test_cases[] = {
	KUNIT_CASE_PARAM(image_parse_test, image_parse_gen_params),
	KUNIT_CASE_PARAM(image_build_test, image_build_gen_params),
	{}
};

static struct kunit_suite image_test_suite = {
	.name = "kexec_x_arm64_image",
	.test_cases = image_test_cases,
};

kunit_test_suite(image_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
