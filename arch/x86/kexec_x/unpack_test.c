// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of decompress-at-load (unpack.c), with the running kernel's
 * own decompressors, in all four formats it unpacks.
 *
 * Each row is a bzImage whose payload is one of four small streams of the
 * same 8 KiB (t_data()), made by the tools and options the kernel's build
 * uses for its payload (scripts/Makefile.lib, scripts/xz_wrap.sh):
 *
 *   xz --check=crc32 --x86 --lzma2=dict=1MiB    t_xz
 *   zstd -19                                    t_zstd
 *   lz4 -l -9                                   t_lz4
 *   gzip -n -9                                  t_gz
 *
 * the first three followed by the uncompressed size (size_append), gzip
 * by its own trailer, possibly spoilt as the row says.  A good payload must
 * come out byte for byte; a spoilt one must fail with the row's errno and
 * leave nothing allocated.
 */
#include <kunit/test.h>
#include <linux/vmalloc.h>
#include <asm/bootparam.h>

#include "bootparam.h"
#include "unpack.h"

#define T_DATA_LEN	8192
#define T_SETUP		0x400		/* real-mode part: two sectors */
#define T_PAYLOAD_OFF	0x100		/* payload_offset */
#define T_BUF_LEN	(T_SETUP + T_PAYLOAD_OFF + 512)

static const u8 t_xz[] = {
	0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x01, 0x69, 0x22, 0xde, 0x36,
	0x02, 0x01, 0x04, 0x00, 0x21, 0x01, 0x10, 0x00, 0x8b, 0x21, 0x6f, 0x49,
	0xe0, 0x1f, 0xff, 0x00, 0x58, 0x5d, 0x00, 0x00, 0x1a, 0x50, 0x47, 0x49,
	0x3c, 0x57, 0x96, 0x32, 0x5d, 0xac, 0x80, 0x55, 0x02, 0xdd, 0xaa, 0x94,
	0x73, 0xa1, 0xc9, 0x0d, 0x5e, 0xbc, 0x80, 0x1b, 0x2b, 0xff, 0xbf, 0xfe,
	0x90, 0x16, 0xbd, 0x15, 0x06, 0x9d, 0xac, 0x97, 0x14, 0xf7, 0x65, 0x4f,
	0x16, 0x3d, 0xad, 0xa3, 0x18, 0xf5, 0x71, 0x05, 0xb7, 0xe2, 0x30, 0x09,
	0x01, 0xfa, 0x48, 0xe7, 0x28, 0x86, 0xaf, 0x9a, 0x64, 0xc3, 0xb7, 0x60,
	0x8e, 0x85, 0x36, 0x83, 0x0c, 0xc2, 0xf6, 0xee, 0xcc, 0xa6, 0x81, 0x26,
	0x02, 0x43, 0xa0, 0xb7, 0x2e, 0xa3, 0x1c, 0x66, 0x0b, 0x72, 0xbd, 0x00,
	0x84, 0x21, 0x63, 0x89, 0x00, 0x01, 0x70, 0x80, 0x40, 0x00, 0x00, 0x00,
	0xb3, 0x31, 0x85, 0xe2, 0x3e, 0x30, 0x0d, 0x8b, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x59, 0x5a,
};

static const u8 t_zstd[] = {
	0x28, 0xb5, 0x2f, 0xfd, 0x64, 0x00, 0x1f, 0x3d, 0x02, 0x00, 0x04, 0x02,
	0x00, 0x65, 0x78, 0x65, 0x63, 0x5f, 0x78, 0x20, 0x75, 0x6e, 0x70, 0x61,
	0x63, 0x6b, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x6b, 0x01, 0x02, 0x03,
	0x04, 0x05, 0x06, 0x07, 0x75, 0x6e, 0x70, 0x61, 0x0e, 0xa8, 0x10, 0x5f,
	0xff, 0x33, 0x10, 0xbb, 0xd6, 0x0c, 0x10, 0x78, 0xf1, 0xff, 0xff, 0xff,
	0x7c, 0xf8, 0xb5, 0xf8, 0xbd, 0xf8, 0x29, 0xf1, 0x33, 0xf1, 0x1b, 0xe2,
	0xf7, 0x12, 0xfe, 0xff, 0x49, 0xd1, 0xdf, 0x27, 0x29, 0x92, 0xf7, 0x14,
	0x0b,
};

static const u8 t_lz4[] = {
	0x02, 0x21, 0x4c, 0x18, 0x67, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x65,
	0x78, 0x65, 0x63, 0x5f, 0x78, 0x20, 0x75, 0x6e, 0x70, 0x61, 0x63, 0x6b,
	0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x6b, 0x14, 0x00, 0xff, 0xff, 0xff,
	0xdb, 0x1f, 0x01, 0xfc, 0x03, 0xff, 0xff, 0xff, 0xeb, 0x00, 0x14, 0x00,
	0x1f, 0x02, 0xfc, 0x03, 0xff, 0xff, 0xff, 0xeb, 0x00, 0x14, 0x00, 0x1f,
	0x03, 0xfc, 0x03, 0xff, 0xff, 0xff, 0xeb, 0x00, 0x14, 0x00, 0x1f, 0x04,
	0xfc, 0x03, 0xff, 0xff, 0xff, 0xeb, 0x00, 0x14, 0x00, 0x1f, 0x05, 0x00,
	0x14, 0xff, 0xff, 0xff, 0xef, 0x1f, 0x06, 0x00, 0x14, 0xff, 0xff, 0xff,
	0xef, 0x1f, 0x07, 0xfc, 0x03, 0xff, 0xff, 0xff, 0xea, 0x50, 0x20, 0x75,
	0x6e, 0x70, 0x61,
};

static const u8 t_gz[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xd0,
	0xcb, 0x09, 0x80, 0x30, 0x00, 0x05, 0x30, 0xff, 0xae, 0xd1, 0xcd, 0x44,
	0xa4, 0x27, 0x41, 0x04, 0x2b, 0x38, 0xbe, 0x83, 0xbc, 0x5c, 0x73, 0x4c,
	0x57, 0xbf, 0x7a, 0x6c, 0x5f, 0x79, 0xaf, 0x7b, 0x3f, 0xce, 0xd2, 0xea,
	0xd3, 0xca, 0xc9, 0x18, 0x8b, 0xb0, 0xde, 0x01, 0x63, 0xb1, 0x36, 0x38,
	0x60, 0x2c, 0xd6, 0x46, 0x07, 0x8c, 0xc5, 0xda, 0xe4, 0x80, 0xb1, 0x58,
	0x9b, 0x1d, 0x30, 0x16, 0x6b, 0x8b, 0x03, 0xc6, 0x62, 0x6d, 0x75, 0xc0,
	0x58, 0xac, 0xfd, 0x84, 0x21, 0x63, 0x89, 0x00, 0x20, 0x00, 0x00,
};

/* What every stream holds: text, with the index of each KiB at its start. */
static void t_data(u8 *d)
{
	static const char text[] = "kexec_x unpack test ";
	unsigned int i;

	for (i = 0; i < T_DATA_LEN; i++)
		d[i] = text[i % (sizeof(text) - 1)];
	for (i = 0; i < T_DATA_LEN / 1024; i++)
		d[i * 1024] = i;
}

enum spoil {
	SP_NONE,
	SP_CUT,		/* the stream cut to half its length */
	SP_SIZE,	/* the recorded size one more than the data */
	SP_SMALL,	/* the recorded size 32 */
	SP_FLIP,	/* byte @at of the stream inverted */
	SP_PAST,	/* payload_length past the end of the file */
	SP_BZIP2,	/* a bzip2 stream instead */
};

struct unpack_case {
	const char *desc;
	const u8 *stream;
	size_t len;
	bool gzip;		/* no size_append: gzip's trailer has it */
	enum spoil spoil;
	size_t at;
	int ret;
	const char *fmt;
};

#define XZ	.stream = t_xz, .len = sizeof(t_xz)
#define ZSTD	.stream = t_zstd, .len = sizeof(t_zstd)
#define LZ4	.stream = t_lz4, .len = sizeof(t_lz4)
#define GZ	.stream = t_gz, .len = sizeof(t_gz), .gzip = true

static const struct unpack_case unpack_cases[] = {
	{ "xz", XZ, .fmt = "xz" },
	{ "zstd", ZSTD, .fmt = "zstd" },
	{ "lz4 legacy", LZ4, .fmt = "lz4" },
	{ "gzip", GZ, .fmt = "gzip" },
	{ "xz cut short", XZ, .spoil = SP_CUT, .ret = -ENOEXEC, .fmt = "xz" },
	{ "zstd cut short", ZSTD, .spoil = SP_CUT, .ret = -ENOEXEC, .fmt = "zstd" },
	{ "lz4 cut short", LZ4, .spoil = SP_CUT, .ret = -ENOEXEC, .fmt = "lz4" },
	{ "gzip cut short", GZ, .spoil = SP_CUT, .ret = -ENOEXEC, .fmt = "gzip" },
	{ "xz: recorded size too large", XZ, .spoil = SP_SIZE, .ret = -ENOEXEC,
	  .fmt = "xz" },
	{ "zstd: recorded size too large", ZSTD, .spoil = SP_SIZE,
	  .ret = -ENOEXEC, .fmt = "zstd" },
	{ "lz4: recorded size too large", LZ4, .spoil = SP_SIZE,
	  .ret = -ENOEXEC, .fmt = "lz4" },
	{ "gzip: recorded size too large", GZ, .spoil = SP_SIZE,
	  .ret = -ENOEXEC, .fmt = "gzip" },
	{ "xz: data corrupt (its CRC32)", XZ, .spoil = SP_FLIP, .at = 40,
	  .ret = -ENOEXEC, .fmt = "xz" },
	{ "zstd: data corrupt", ZSTD, .spoil = SP_FLIP, .at = 30,
	  .ret = -ENOEXEC, .fmt = "zstd" },
	{ "gzip: CRC32 wrong", GZ, .spoil = SP_FLIP, .at = sizeof(t_gz) - 8,
	  .ret = -ENOEXEC, .fmt = "gzip" },
	{ "recorded size below 64", XZ, .spoil = SP_SMALL, .ret = -ENOEXEC,
	  .fmt = "none" },
	{ "payload past the end of the file", XZ, .spoil = SP_PAST,
	  .ret = -ENOEXEC, .fmt = "none" },
	{ "bzip2: not unpacked", XZ, .spoil = SP_BZIP2, .ret = -EOPNOTSUPP,
	  .fmt = "none" },
};

static void unpack_case_desc(const struct unpack_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unpack, unpack_cases, unpack_case_desc);

/* The bzImage of @c into @buf (T_BUF_LEN bytes); returns its length. */
static size_t make_image(const struct unpack_case *c, u8 *buf)
{
	static const u8 bzip2[] = "BZh91AY&SY kexec_x: not a payload";
	struct setup_header *h = (void *)(buf + KX_X86_HDR_OFFSET);
	u8 *p = buf + T_SETUP + T_PAYLOAD_OFF;
	size_t len = c->len;
	u32 size = T_DATA_LEN;

	memcpy(p, c->stream, len);
	switch (c->spoil) {
	case SP_CUT:
		len /= 2;
		/* gzip: the deflate data cut, its trailer after it. */
		if (c->gzip) {
			memcpy(p + len, c->stream + c->len - 8, 8);
			len += 8;
		}
		break;
	case SP_SIZE:
		size++;
		break;
	case SP_SMALL:
		size = 32;
		break;
	case SP_FLIP:
		p[c->at] ^= 0xff;
		break;
	case SP_BZIP2:
		memcpy(p, bzip2, sizeof(bzip2));
		len = sizeof(bzip2);
		break;
	default:
		break;
	}
	if (c->gzip) {
		/* ISIZE is the last word of gzip's own trailer. */
		if (c->spoil == SP_SIZE || c->spoil == SP_SMALL)
			kx_put_le32(p + len - 4, size);
	} else {
		kx_put_le32(p + len, size);
		len += 4;
	}
	h->payload_offset = T_PAYLOAD_OFF;
	h->payload_length = len + (c->spoil == SP_PAST ? 1 : 0);
	return T_SETUP + T_PAYLOAD_OFF + len;
}

static void unpack_test(struct kunit *test)
{
	const struct unpack_case *c = test->param_value;
	u8 *buf = kunit_kzalloc(test, T_BUF_LEN, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, T_DATA_LEN, GFP_KERNEL);
	const char *fmt = NULL;
	size_t len, out_len = 1;
	void *out = (void *)1;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	t_data(want);
	len = make_image(c, buf);
	ret = kx_x86_unpack(buf, len, T_SETUP, &out, &out_len, &fmt);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_STREQ(test, fmt, c->fmt);
	if (ret) {
		KUNIT_EXPECT_NULL(test, out);
		KUNIT_EXPECT_EQ(test, out_len, 0);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, out_len, T_DATA_LEN);
	KUNIT_EXPECT_MEMEQ(test, out, want, T_DATA_LEN);
	vfree(out);
}

static struct kunit_case unpack_test_cases[] = {
	KUNIT_CASE_PARAM(unpack_test, unpack_gen_params),
	{}
};

static struct kunit_suite unpack_test_suite = {
	.name = "kexec_x_unpack",
	.test_cases = unpack_test_cases,
};

kunit_test_suite(unpack_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
