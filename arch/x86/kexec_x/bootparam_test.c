// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the x86 boot protocol library (bootparam.c): bzImage
 * parsing, memory map building and kx_x86_file_build().
 *
 * The images are synthetic: a setup header as a 2.12 or 2.15 kernel writes
 * it, T_SETUP_SECTS sectors of real-mode part and T_PAYLOAD bytes of
 * "protected-mode code".  Each invalid case pokes one or two header fields
 * of a valid image, or cuts the file short.
 *
 * The machine of the build cases (physical addresses):
 *   RAM     [4 KiB, 636 KiB)  [1 MiB, 2 GiB)
 *   e820    those, reserved around them and ACPI tables at [2 GiB, +1 MiB)
 */
#include <kunit/test.h>

#include "kx_lib.h"
#include "place.h"
#include "bootparam.h"

#define MIB(x)		((u64)(x) << 20)
#define GIB(x)		((u64)(x) << 30)

#define T_SETUP_SECTS	4
#define T_SETUP_SIZE	((T_SETUP_SECTS + 1) * 512)
#define T_PAYLOAD	0x4000
#define T_LEN		(T_SETUP_SIZE + T_PAYLOAD)
#define T_INIT_SIZE	(MIB(32) + 0x123)
#define T_MEMSZ		(MIB(32) + 0x1000)
#define T_ALIGN		MIB(2)
#define T_PREF		MIB(16)
#define T_INITRD_LEN	(0x10000 - 5)
#define T_CMDLINE	"console=ttyS0 root=/dev/vda rw"

#define HDR(f)		offsetof(struct boot_params, hdr.f)

/* Store the low @width bytes of @val at @off, little endian. */
static void poke(u8 *img, unsigned int off, unsigned int width, u64 val)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		img[off + i] = (u8)(val >> (8 * i));
}

/* A valid bzImage speaking boot protocol @version. */
static u8 *make_image(struct kunit *test, u16 version)
{
	u32 end = version >= 0x020f ? 0x26c : 0x268;
	u8 *img = kunit_kzalloc(test, T_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, img);
	img[0x1ef] = 0xff;		/* the sentinel header.S sets */
	poke(img, HDR(setup_sects), 1, T_SETUP_SECTS);
	poke(img, HDR(syssize), 4, T_PAYLOAD / 16);
	poke(img, HDR(boot_flag), 2, KX_X86_BOOT_FLAG);
	poke(img, HDR(jump), 2, 0xeb | ((end - KX_X86_HDRS_OFFSET) << 8));
	poke(img, HDR(header), 4, KX_X86_HDRS_MAGIC);
	poke(img, HDR(version), 2, version);
	poke(img, HDR(loadflags), 1, LOADED_HIGH);
	poke(img, HDR(code32_start), 4, 0x100000);
	poke(img, HDR(initrd_addr_max), 4, 0x7fffffff);
	poke(img, HDR(kernel_alignment), 4, T_ALIGN);
	poke(img, HDR(relocatable_kernel), 1, 1);
	poke(img, HDR(min_alignment), 1, 21);
	poke(img, HDR(xloadflags), 2,
	     XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	poke(img, HDR(cmdline_size), 4, 2047);
	poke(img, HDR(pref_address), 8, T_PREF);
	poke(img, HDR(init_size), 4, T_INIT_SIZE);
	poke(img, HDR(handover_offset), 4, 0x190);
	if (version >= 0x020f)
		poke(img, HDR(kernel_info_offset), 4, 0x4000);
	memset(img + T_SETUP_SIZE, 0x90, T_PAYLOAD);
	return img;
}

/* ---- parsing ---- */

struct parse_case {
	const char *desc;
	u16 version;
	unsigned int off, width;	/* width 0: nothing poked */
	u64 val;
	unsigned int off2, width2;
	u64 val2;
	size_t len;			/* 0: the whole image */
	int ret;
	/* expectations for a valid image, 0: not checked */
	u32 hdr_end;
	u64 memsz;
	u64 min_align;
	u64 initrd_max;
};

static const struct parse_case parse_cases[] = {
	{
		.desc = "valid: protocol 2.12",
		.version = 0x020c, .hdr_end = 0x268, .memsz = T_MEMSZ,
		.min_align = MIB(2), .initrd_max = 0x80000000,
	},
	{
		.desc = "valid: protocol 2.15",
		.version = 0x020f, .hdr_end = 0x26c, .memsz = T_MEMSZ,
	},
	{
		.desc = "valid: setup_sects 0 means 4",
		.version = 0x020f, .off = HDR(setup_sects), .width = 1,
		.val = 0,
	},
	{
		.desc = "valid: payload larger than init_size sets memsz",
		.version = 0x020f, .off = HDR(init_size), .width = 4,
		.val = 0x1000, .memsz = T_PAYLOAD,
	},
	{
		.desc = "valid: min_alignment 0 means kernel_alignment",
		.version = 0x020f, .off = HDR(min_alignment), .width = 1,
		.val = 0, .min_align = T_ALIGN,
	},
	{
		.desc = "valid: min_alignment below a page is a page",
		.version = 0x020f, .off = HDR(min_alignment), .width = 1,
		.val = 4, .min_align = KX_PAGE_SIZE,
	},
	{
		.desc = "valid: initrd_addr_max 0 is the protocol default",
		.version = 0x020f, .off = HDR(initrd_addr_max), .width = 4,
		.val = 0, .initrd_max = 0x38000000,
	},
	{
		.desc = "valid: not relocatable, at pref_address",
		.version = 0x020f, .off = HDR(relocatable_kernel), .width = 1,
		.val = 0,
	},
	{
		.desc = "truncated: 0x200 bytes",
		.version = 0x020f, .len = 0x200, .ret = -ENOEXEC,
	},
	{
		.desc = "truncated: inside the setup header",
		.version = 0x020f, .len = 0x268, .ret = -ENOEXEC,
	},
	{
		.desc = "truncated: no protected-mode part",
		.version = 0x020f, .len = T_SETUP_SIZE, .ret = -ENOEXEC,
	},
	{
		.desc = "truncated: kernel larger than the file",
		.version = 0x020f, .len = T_SETUP_SIZE + 0x100,
		.ret = -ENOEXEC,
	},
	{
		.desc = "syssize larger than the file",
		.version = 0x020f, .off = HDR(syssize), .width = 4,
		.val = 0x100000, .ret = -ENOEXEC,
	},
	{
		.desc = "zero syssize",
		.version = 0x020f, .off = HDR(syssize), .width = 4,
		.val = 0, .ret = -ENOEXEC,
	},
	{
		.desc = "bad 0xAA55 boot flag",
		.version = 0x020f, .off = HDR(boot_flag), .width = 2,
		.val = 0xaa56, .ret = -ENOEXEC,
	},
	{
		.desc = "bad HdrS magic",
		.version = 0x020f, .off = HDR(header), .width = 4,
		.val = 0x53726468, .ret = -ENOEXEC,
	},
	{
		.desc = "protocol 2.11 is too old",
		.version = 0x020b, .ret = -ENOEXEC,
	},
	{
		.desc = "protocol 2.00 is too old",
		.version = 0x0200, .ret = -ENOEXEC,
	},
	{
		.desc = "no XLF_KERNEL_64",
		.version = 0x020f, .off = HDR(xloadflags), .width = 2,
		.val = XLF_CAN_BE_LOADED_ABOVE_4G, .ret = -ENOEXEC,
	},
	{
		.desc = "not loaded high (zImage)",
		.version = 0x020f, .off = HDR(loadflags), .width = 1,
		.val = 0, .ret = -ENOEXEC,
	},
	{
		.desc = "kernel_alignment not a power of two",
		.version = 0x020f, .off = HDR(kernel_alignment), .width = 4,
		.val = 0x300000, .ret = -ENOEXEC,
	},
	{
		.desc = "kernel_alignment below a page",
		.version = 0x020f, .off = HDR(kernel_alignment), .width = 4,
		.val = 0x800, .ret = -ENOEXEC,
	},
	{
		.desc = "kernel_alignment above 1 GiB",
		.version = 0x020f, .off = HDR(kernel_alignment), .width = 4,
		.val = 0x80000000, .ret = -ENOEXEC,
	},
	{
		.desc = "min_alignment out of range",
		.version = 0x020f, .off = HDR(min_alignment), .width = 1,
		.val = 31, .ret = -ENOEXEC,
	},
	{
		.desc = "zero init_size",
		.version = 0x020f, .off = HDR(init_size), .width = 4,
		.val = 0, .ret = -ENOEXEC,
	},
	{
		.desc = "init_size above 1 GiB",
		.version = 0x020f, .off = HDR(init_size), .width = 4,
		.val = 0x50000000, .ret = -ENOEXEC,
	},
	{
		.desc = "zero cmdline_size",
		.version = 0x020f, .off = HDR(cmdline_size), .width = 4,
		.val = 0, .ret = -ENOEXEC,
	},
	{
		.desc = "setup header shorter than init_size",
		.version = 0x020f, .off = HDR(jump), .width = 2,
		.val = 0x50eb, .ret = -ENOEXEC,
	},
	{
		.desc = "no jump over the setup header",
		.version = 0x020f, .off = HDR(jump), .width = 2,
		.val = 0x6a90, .ret = -ENOEXEC,
	},
	{
		.desc = "not relocatable, pref_address 0",
		.version = 0x020f, .off = HDR(relocatable_kernel), .width = 1,
		.val = 0, .off2 = HDR(pref_address), .width2 = 8, .val2 = 0,
		.ret = -ENOEXEC,
	},
	{
		.desc = "not relocatable, pref_address not page aligned",
		.version = 0x020f, .off = HDR(relocatable_kernel), .width = 1,
		.val = 0, .off2 = HDR(pref_address), .width2 = 8,
		.val2 = MIB(16) + 0x200, .ret = -ENOEXEC,
	},
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void parse_test(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	u8 *img = make_image(test, c->version);
	struct kx_bzimage bz;
	const char *why = "unset";
	int ret;

	if (c->width)
		poke(img, c->off, c->width, c->val);
	if (c->width2)
		poke(img, c->off2, c->width2, c->val2);
	ret = kx_bzimage_parse(img, c->len ? c->len : T_LEN, &bz, &why);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->ret, "why: %s", why ? why : "-");
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		KUNIT_EXPECT_EQ(test, bz.version, 0);
		KUNIT_EXPECT_EQ(test, bz.memsz, 0);
		return;
	}
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, bz.version, c->version);
	KUNIT_EXPECT_EQ(test, bz.setup_size, T_SETUP_SIZE);
	KUNIT_EXPECT_EQ(test, bz.payload, T_PAYLOAD);
	KUNIT_EXPECT_EQ(test, bz.kernel_alignment, T_ALIGN);
	KUNIT_EXPECT_EQ(test, bz.pref_address, T_PREF);
	KUNIT_EXPECT_EQ(test, bz.cmdline_size, 2047);
	KUNIT_EXPECT_TRUE(test, bz.xloadflags & XLF_KERNEL_64);
	if (c->hdr_end)
		KUNIT_EXPECT_EQ(test, bz.hdr_end, c->hdr_end);
	if (c->memsz)
		KUNIT_EXPECT_EQ(test, bz.memsz, c->memsz);
	if (c->min_align)
		KUNIT_EXPECT_EQ(test, bz.min_align, c->min_align);
	if (c->initrd_max)
		KUNIT_EXPECT_EQ(test, bz.initrd_max, c->initrd_max);
}

/* ---- memory map ---- */

#define E820_CASE_MAX	6

struct e820_case {
	const char *desc;
	struct kx_e820 in[E820_CASE_MAX];
	unsigned int nr_in;
	unsigned int max;		/* 0: E820_CASE_MAX */
	int ret;			/* entries out, or -errno */
	struct kx_e820 out[E820_CASE_MAX];
};

#define RAM	KX_E820_RAM
#define RES	KX_E820_RESERVED
#define ACPI	KX_E820_ACPI

static const struct e820_case e820_cases[] = {
	{
		.desc = "entries are sorted by start",
		.in = { { 0x3000, 0x4000, RAM }, { 0x1000, 0x2000, RES },
			{ 0, 0x1000, ACPI } },
		.nr_in = 3, .ret = 3,
		.out = { { 0, 0x1000, ACPI }, { 0x1000, 0x2000, RES },
			 { 0x3000, 0x4000, RAM } },
	},
	{
		.desc = "adjacent entries of one type merge",
		.in = { { 0x2000, 0x3000, RAM }, { 0x1000, 0x2000, RAM },
			{ 0x3000, 0x5000, RAM } },
		.nr_in = 3, .ret = 1,
		.out = { { 0x1000, 0x5000, RAM } },
	},
	{
		.desc = "overlapping entries of one type merge",
		.in = { { 0x1000, 0x3000, RAM }, { 0x2000, 0x4000, RAM },
			{ 0x1800, 0x2000, RAM } },
		.nr_in = 3, .ret = 1,
		.out = { { 0x1000, 0x4000, RAM } },
	},
	{
		.desc = "adjacent entries of different types stay apart",
		.in = { { 0x1000, 0x2000, RAM }, { 0x2000, 0x3000, RES },
			{ 0x3000, 0x4000, RAM } },
		.nr_in = 3, .ret = 3,
		.out = { { 0x1000, 0x2000, RAM }, { 0x2000, 0x3000, RES },
			 { 0x3000, 0x4000, RAM } },
	},
	{
		.desc = "overlapping entries of different types are kept",
		.in = { { 0x1000, 0x4000, RAM }, { 0x2000, 0x3000, RES } },
		.nr_in = 2, .ret = 2,
		.out = { { 0x1000, 0x4000, RAM }, { 0x2000, 0x3000, RES } },
	},
	{
		.desc = "a bridging entry joins its two neighbours",
		.in = { { 0x1000, 0x2000, RAM }, { 0x5000, 0x6000, RES },
			{ 0x3000, 0x4000, RAM }, { 0x2000, 0x3000, RAM } },
		.nr_in = 4, .ret = 2,
		.out = { { 0x1000, 0x4000, RAM }, { 0x5000, 0x6000, RES } },
	},
	{
		.desc = "an entry swallows several",
		.in = { { 0x2000, 0x3000, RAM }, { 0x4000, 0x5000, RAM },
			{ 0x6000, 0x7000, RAM }, { 0, 0x9000, RAM } },
		.nr_in = 4, .ret = 1,
		.out = { { 0, 0x9000, RAM } },
	},
	{
		.desc = "empty entries are ignored",
		.in = { { 0x1000, 0x1000, RAM }, { 0x2000, 0x3000, RES } },
		.nr_in = 2, .ret = 1,
		.out = { { 0x2000, 0x3000, RES } },
	},
	{
		.desc = "start above end is refused",
		.in = { { 0x2000, 0x1000, RAM } },
		.nr_in = 1, .ret = -EINVAL,
	},
	{
		.desc = "one entry too many is -E2BIG",
		.in = { { 0x1000, 0x2000, RAM }, { 0x3000, 0x4000, RAM },
			{ 0x5000, 0x6000, RAM } },
		.nr_in = 3, .max = 2, .ret = -E2BIG,
	},
	{
		.desc = "a full map still takes an entry that merges",
		.in = { { 0x1000, 0x2000, RAM }, { 0x3000, 0x4000, RAM },
			{ 0x2000, 0x3000, RAM } },
		.nr_in = 3, .max = 2, .ret = 1,
		.out = { { 0x1000, 0x4000, RAM } },
	},
	{
		.desc = "the top of the address space",
		.in = { { ~0ULL - 0xfff, ~0ULL, RES }, { 0, 0x1000, RAM } },
		.nr_in = 2, .ret = 2,
		.out = { { 0, 0x1000, RAM }, { ~0ULL - 0xfff, ~0ULL, RES } },
	},
};

static void e820_case_desc(const struct e820_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(e820, e820_cases, e820_case_desc);

static void e820_build_test(struct kunit *test)
{
	const struct e820_case *c = test->param_value;
	struct kx_e820 out[E820_CASE_MAX] = { };
	int i, ret;

	ret = kx_e820_build(out, c->max ? c->max : E820_CASE_MAX, c->in,
			    c->nr_in);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	for (i = 0; i < ret; i++) {
		KUNIT_EXPECT_EQ(test, out[i].start, c->out[i].start);
		KUNIT_EXPECT_EQ(test, out[i].end, c->out[i].end);
		KUNIT_EXPECT_EQ(test, out[i].type, c->out[i].type);
	}
}

/* -E2BIG leaves the map as it was. */
static void e820_full_unchanged_test(struct kunit *test)
{
	struct kx_e820 map[2] = { { 0x1000, 0x2000, RAM },
				  { 0x4000, 0x5000, RAM } };
	unsigned int nr = 2;

	KUNIT_EXPECT_EQ(test, kx_e820_add(map, &nr, 2, 0x2800, 0x3000, RES),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, map[0].end, 0x2000);
	KUNIT_EXPECT_EQ(test, map[1].start, 0x4000);
	KUNIT_EXPECT_EQ(test, kx_e820_add(map, &nr, 2, 0x2000, 0x4000, RAM),
			0);
	KUNIT_EXPECT_EQ(test, nr, 1);
	KUNIT_EXPECT_EQ(test, map[0].start, 0x1000);
	KUNIT_EXPECT_EQ(test, map[0].end, 0x5000);
}

static void e820_type_names_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("System RAM\n"), KX_E820_RAM);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("System RAM"), KX_E820_RAM);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Reserved\n"),
			KX_E820_RESERVED);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("ACPI Tables\n"), KX_E820_ACPI);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("ACPI Non-volatile Storage\n"),
			KX_E820_NVS);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Unusable memory\n"),
			KX_E820_UNUSABLE);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Persistent Memory\n"),
			KX_E820_PMEM);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Persistent Memory (legacy)\n"),
			KX_E820_PRAM);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Soft Reserved\n"),
			KX_E820_SOFT_RESERVED);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("Unknown E820 type\n"),
			KX_E820_RESERVED);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of("System RAMBO"),
			KX_E820_RESERVED);
	KUNIT_EXPECT_EQ(test, kx_e820_type_of(""), KX_E820_RESERVED);
}

/* ---- building ---- */

static const struct kx_range t_ram[] = {
	{ 0x1000, 0x9f000 },
	{ MIB(1), GIB(2) },
};

static const struct kx_e820 t_e820[] = {
	{ 0, 0x1000, RES },
	{ 0x1000, 0x9f000, RAM },
	{ 0x9f000, MIB(1), RES },
	{ MIB(1), GIB(2), RAM },
	{ GIB(2), GIB(2) + MIB(1), ACPI },
};

/* Everything one build needs; the defaults describe the machine above. */
struct build_env {
	struct kunit *test;
	u8 *image;
	u8 *initrd;
	struct boot_params *running;
	struct kx_range ram[4];
	struct kx_range avoid[2];
	struct kx_x86_file_in in;
	struct kx_x86_file_out out;
};

static struct build_env *build_env(struct kunit *test)
{
	struct build_env *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	struct boot_params *run;

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->test = test;
	e->image = make_image(test, 0x020f);
	e->initrd = kunit_kzalloc(test, T_INITRD_LEN, GFP_KERNEL);
	e->running = kunit_kzalloc(test, sizeof(*run), GFP_KERNEL);
	e->out.setup_buf = kunit_kzalloc(test, KX_X86_SETUP_BUF_SIZE,
					 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->initrd);
	KUNIT_ASSERT_NOT_NULL(test, e->running);
	KUNIT_ASSERT_NOT_NULL(test, e->out.setup_buf);

	run = e->running;
	run->screen_info.orig_video_lines = 25;
	run->screen_info.lfb_base = 0xc0000000;
	run->acpi_rsdp_addr = 0xf05b0;
	run->efi_info.efi_systab = 0x7f9e5018;
	run->efi_info.efi_loader_signature = 0x34364c45;
	run->tboot_addr = 0x7777000;
	run->secure_boot = 3;
	run->eddbuf_entries = 1;
	run->eddbuf[0].device = 0x80;
	run->edd_mbr_sig_buf_entries = 2;
	run->edd_mbr_sig_buffer[1] = 0xcafe;
	run->hdr.setup_data = 0x1234000;
	run->sentinel = 0xff;

	memcpy(e->ram, t_ram, sizeof(t_ram));
	e->in.kernel = e->image;
	e->in.kernel_len = T_LEN;
	e->in.initrd = e->initrd;
	e->in.initrd_len = T_INITRD_LEN;
	e->in.cmdline = T_CMDLINE;
	e->in.cmdline_len = sizeof(T_CMDLINE);
	e->in.ram = e->ram;
	e->in.nr_ram = ARRAY_SIZE(t_ram);
	e->in.e820 = t_e820;
	e->in.nr_e820 = ARRAY_SIZE(t_e820);
	e->in.avoid = e->avoid;
	e->in.running = run;
	return e;
}

/* boot_params points at the pieces where they were placed. */
static void check_pointers(struct kunit *test, const struct build_env *e)
{
	const struct kexec_x_segment *s = e->out.segs;
	const struct boot_params *bp = e->out.setup_buf;
	u64 kernel = s[KX_X86_SEG_KERNEL].mem;
	u64 initrd = e->in.initrd_len ? s[KX_X86_SEG_INITRD].mem : 0;
	u64 cmdline = s[KX_X86_SEG_SETUP].mem + KX_X86_CMDLINE_OFFSET;

	KUNIT_EXPECT_EQ(test, bp->hdr.ramdisk_image |
			(u64)bp->ext_ramdisk_image << 32, initrd);
	KUNIT_EXPECT_EQ(test, bp->hdr.ramdisk_size |
			(u64)bp->ext_ramdisk_size << 32, e->in.initrd_len);
	KUNIT_EXPECT_EQ(test, bp->hdr.cmd_line_ptr |
			(u64)bp->ext_cmd_line_ptr << 32, cmdline);
	KUNIT_EXPECT_EQ(test, bp->hdr.code32_start,
			kernel < KX_X86_4G ? kernel : 0);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(kernel, bp->hdr.kernel_alignment));
}

/* Every piece page aligned, above 1 MiB, in RAM, clear of the rest. */
static void check_layout(struct kunit *test, const struct build_env *e)
{
	const struct kx_x86_file_out *o = &e->out;
	const struct kexec_x_segment *s = o->segs, *k;
	unsigned int i, j;

	KUNIT_ASSERT_EQ(test, o->nr_segs, e->in.initrd_len ? 3 : 2);
	for (i = 0; i < o->nr_segs; i++) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(s[i].mem, KX_PAGE_SIZE));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(s[i].memsz, KX_PAGE_SIZE));
		KUNIT_EXPECT_LE(test, s[i].bufsz, s[i].memsz);
		KUNIT_EXPECT_GE(test, s[i].mem, KX_X86_LOW_LIMIT);
		KUNIT_EXPECT_TRUE(test, kx_range_inside(e->in.ram,
							e->in.nr_ram, s[i].mem,
							s[i].mem + s[i].memsz));
		for (j = 0; j < e->in.nr_avoid; j++)
			KUNIT_EXPECT_FALSE(test,
					   kx_overlaps(s[i].mem,
						       s[i].mem + s[i].memsz,
						       e->in.avoid[j].start,
						       e->in.avoid[j].end));
		for (j = i + 1; j < o->nr_segs; j++)
			KUNIT_EXPECT_FALSE(test,
					   kx_overlaps(s[i].mem,
						       s[i].mem + s[i].memsz,
						       s[j].mem,
						       s[j].mem + s[j].memsz));
	}
	k = &s[KX_X86_SEG_KERNEL];
	KUNIT_EXPECT_EQ(test, o->arg, s[KX_X86_SEG_SETUP].mem);
	/* An unpacked kernel: build_vmlinux_test() checks its segment. */
	if (!e->in.vmlinux) {
		KUNIT_EXPECT_EQ(test, o->entry,
				k->mem + KX_X86_ENTRY64_OFFSET);
		KUNIT_EXPECT_EQ(test, k->buf, (u64)(uintptr_t)(e->image +
							      T_SETUP_SIZE));
		KUNIT_EXPECT_EQ(test, k->bufsz, T_PAYLOAD);
		KUNIT_EXPECT_EQ(test, k->memsz, T_MEMSZ);
	}
	KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_SETUP].buf,
			(u64)(uintptr_t)o->setup_buf);
	if (e->in.initrd_len) {
		KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_INITRD].buf,
				(u64)(uintptr_t)e->initrd);
		KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_INITRD].bufsz,
				e->in.initrd_len);
	}
}

struct build_case {
	const char *desc;
	void (*tweak)(struct build_env *e);
	int ret;
	u64 kernel, initrd, setup;	/* expected; 0: not checked */
	u32 kernel_alignment;		/* in boot_params; 0: not checked */
};

static void tw_none(struct build_env *e)
{
}

static void tw_crash_avoid(struct build_env *e)
{
	e->avoid[0] = (struct kx_range){ MIB(16), MIB(272) };
	e->in.nr_avoid = 1;
}

static void tw_low_pref(struct build_env *e)
{
	poke(e->image, HDR(pref_address), 8, MIB(2));
}

static void tw_small_ram(struct build_env *e)
{
	tw_low_pref(e);
	e->ram[1] = (struct kx_range){ MIB(1), MIB(40) };
}

static void tw_min_align(struct build_env *e)
{
	poke(e->image, HDR(min_alignment), 1, 12);
	e->ram[1] = (struct kx_range){ MIB(17), MIB(50) };
}

static void tw_fixed(struct build_env *e)
{
	poke(e->image, HDR(relocatable_kernel), 1, 0);
	poke(e->image, HDR(pref_address), 8, MIB(32));
}

static void tw_fixed_busy(struct build_env *e)
{
	tw_fixed(e);
	e->avoid[0] = (struct kx_range){ MIB(33), MIB(34) };
	e->in.nr_avoid = 1;
}

/* Below 4 GiB only room for boot_params. */
static void tw_high_ram(struct build_env *e)
{
	e->ram[1] = (struct kx_range){ MIB(1), MIB(1) + 0x8000 };
	e->ram[2] = (struct kx_range){ GIB(4), GIB(8) };
	e->in.nr_ram = 3;
}

static void tw_high_ram_4g_only(struct build_env *e)
{
	tw_high_ram(e);
	poke(e->image, HDR(xloadflags), 2, XLF_KERNEL_64);
}

static void tw_huge_initrd(struct build_env *e)
{
	e->in.initrd_len = GIB(3);
}

static void tw_no_initrd(struct build_env *e)
{
	e->in.initrd = NULL;
	e->in.initrd_len = 0;
}

static void tw_initrd_no_data(struct build_env *e)
{
	e->in.initrd = NULL;
}

static void tw_cmdline_size(struct build_env *e)
{
	poke(e->image, HDR(cmdline_size), 4, sizeof(T_CMDLINE) - 2);
}

static void tw_cmdline_exact(struct build_env *e)
{
	poke(e->image, HDR(cmdline_size), 4, sizeof(T_CMDLINE) - 1);
}

static void tw_cmdline_no_nul(struct build_env *e)
{
	e->in.cmdline_len = sizeof(T_CMDLINE) - 1;
}

static void tw_cmdline_huge(struct build_env *e)
{
	e->in.cmdline_len = KEXEC_X_CMDLINE_MAX + 1;
}

static void tw_cmdline_empty(struct build_env *e)
{
	e->in.cmdline = NULL;
	e->in.cmdline_len = 0;
}

static void tw_bad_image(struct build_env *e)
{
	poke(e->image, HDR(boot_flag), 2, 0);
}

static void tw_la57(struct build_env *e)
{
	e->in.la57 = true;
}

static void tw_la57_ok(struct build_env *e)
{
	e->in.la57 = true;
	poke(e->image, HDR(xloadflags), 2, XLF_KERNEL_64 | XLF_5LEVEL);
}

static void tw_e820_empty(struct build_env *e)
{
	e->in.nr_e820 = 0;
}

static void tw_e820_too_many(struct build_env *e)
{
	struct kx_e820 *map;
	unsigned int i;

	map = kunit_kcalloc(e->test, KX_X86_E820_MAX + 1, sizeof(*map),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(e->test, map);
	for (i = 0; i <= KX_X86_E820_MAX; i++)
		map[i] = (struct kx_e820){ i * 0x2000, i * 0x2000 + 0x1000,
					   RAM };
	e->in.e820 = map;
	e->in.nr_e820 = KX_X86_E820_MAX + 1;
}

static void tw_no_ram(struct build_env *e)
{
	e->in.nr_ram = 0;
}

static void tw_no_setup_buf(struct build_env *e)
{
	e->out.setup_buf = NULL;
}

static const struct build_case build_cases[] = {
	{
		.desc = "kernel at pref_address, initrd and setup at the top",
		.tweak = tw_none, .kernel = T_PREF,
		.initrd = GIB(2) - 0x10000,
		.setup = GIB(2) - 0x10000 - 0x2000,
		.kernel_alignment = T_ALIGN,
	},
	{
		.desc = "kernel above a crash reservation",
		.tweak = tw_crash_avoid, .kernel = MIB(272),
	},
	{
		.desc = "kernel at 16 MiB rather than a lower pref_address",
		.tweak = tw_low_pref, .kernel = MIB(16),
	},
	{
		.desc = "kernel below 16 MiB when RAM is short",
		.tweak = tw_small_ram, .kernel = MIB(2),
		.initrd = MIB(40) - 0x10000,
	},
	{
		.desc = "kernel at min_alignment when nothing else fits",
		.tweak = tw_min_align, .kernel = MIB(17),
		.kernel_alignment = 0x1000,
	},
	{
		.desc = "not relocatable: at pref_address",
		.tweak = tw_fixed, .kernel = MIB(32),
	},
	{
		.desc = "not relocatable: pref_address busy",
		.tweak = tw_fixed_busy, .ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "above 4 GiB with XLF_CAN_BE_LOADED_ABOVE_4G",
		.tweak = tw_high_ram, .kernel = GIB(4),
		.initrd = GIB(8) - 0x10000, .setup = MIB(1) + 0x6000,
	},
	{
		.desc = "above 4 GiB refused without the flag",
		.tweak = tw_high_ram_4g_only, .ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "initrd larger than any hole",
		.tweak = tw_huge_initrd, .ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "no initrd: two segments",
		.tweak = tw_no_initrd, .kernel = T_PREF,
		.setup = GIB(2) - 0x2000,
	},
	{
		.desc = "initrd length without data",
		.tweak = tw_initrd_no_data, .ret = -EINVAL,
	},
	{
		.desc = "command line longer than cmdline_size",
		.tweak = tw_cmdline_size, .ret = -EINVAL,
	},
	{
		.desc = "command line exactly cmdline_size",
		.tweak = tw_cmdline_exact, .kernel = T_PREF,
	},
	{
		.desc = "command line not NUL terminated",
		.tweak = tw_cmdline_no_nul, .ret = -EINVAL,
	},
	{
		.desc = "command line above KEXEC_X_CMDLINE_MAX",
		.tweak = tw_cmdline_huge, .ret = -EINVAL,
	},
	{
		.desc = "empty command line",
		.tweak = tw_cmdline_empty, .kernel = T_PREF,
	},
	{
		.desc = "not a bzImage",
		.tweak = tw_bad_image, .ret = -ENOEXEC,
	},
	{
		.desc = "5-level paging without XLF_5LEVEL",
		.tweak = tw_la57, .ret = -ENOEXEC,
	},
	{
		.desc = "5-level paging with XLF_5LEVEL",
		.tweak = tw_la57_ok, .kernel = T_PREF,
	},
	{
		.desc = "empty memory map",
		.tweak = tw_e820_empty, .ret = -EINVAL,
	},
	{
		.desc = "memory map above KX_X86_E820_MAX",
		.tweak = tw_e820_too_many, .ret = -E2BIG,
	},
	{
		.desc = "no RAM at all",
		.tweak = tw_no_ram, .ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "no setup buffer",
		.tweak = tw_no_setup_buf, .ret = -EINVAL,
	},
};

static void build_case_desc(const struct build_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(build, build_cases, build_case_desc);

static void build_test(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	struct build_env *e = build_env(test);
	const struct kexec_x_segment *s = e->out.segs;
	const struct boot_params *bp;
	int ret;

	c->tweak(e);
	ret = kx_x86_file_build(&e->in, &e->out);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->ret, "why: %s", e->out.why);
	KUNIT_ASSERT_NOT_NULL(test, e->out.why);
	if (ret) {
		KUNIT_EXPECT_GT(test, strlen(e->out.why), 0);
		return;
	}
	check_layout(test, e);
	check_pointers(test, e);
	bp = e->out.setup_buf;
	if (c->kernel)
		KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_KERNEL].mem, c->kernel);
	if (c->initrd)
		KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_INITRD].mem, c->initrd);
	if (c->setup)
		KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_SETUP].mem, c->setup);
	if (c->kernel_alignment)
		KUNIT_EXPECT_EQ(test, bp->hdr.kernel_alignment,
				c->kernel_alignment);
}

/*
 * An unpacked kernel (in->vmlinux): the kernel segment holds it, 2 MiB
 * aligned whatever the header allows, its footprint rounded to 2 MiB, and
 * the entry point is its startup_64.
 */
#define T_VM_LEN	0x3000
#define T_VM_ENTRY	0xb53

/*
 * A 34 MiB footprint fits at 17 MiB (4 KiB aligned) and nowhere 2 MiB
 * aligned; initrd and setup have RAM of their own.
 */
static void tw_min_align_tight(struct build_env *e)
{
	tw_min_align(e);
	e->ram[0] = (struct kx_range){ MIB(60), MIB(62) };
	e->ram[1] = (struct kx_range){ MIB(17), MIB(51) };
}

/* The image's own header claims KASLR_FLAG: the builder decides. */
static void tw_image_kaslr(struct build_env *e)
{
	poke(e->image, HDR(loadflags), 1, LOADED_HIGH | KASLR_FLAG);
}

struct vm_build_case {
	const char *desc;
	void (*tweak)(struct build_env *e);
	u64 memsz, entry;	/* of the vmlinux; len is T_VM_LEN */
	bool kaslr;		/* in->kaslr: relocated for KASLR */
	int ret;
	u64 kernel, seg_memsz;
};

static const struct vm_build_case vm_build_cases[] = {
	{
		.desc = "unpacked: at pref_address, footprint to 2 MiB",
		.tweak = tw_none, .memsz = MIB(3) + 5, .entry = T_VM_ENTRY,
		.kernel = T_PREF, .seg_memsz = MIB(4),
	},
	{
		.desc = "unpacked, relocated for KASLR: KASLR_FLAG set",
		.tweak = tw_none, .memsz = MIB(3) + 5, .entry = T_VM_ENTRY,
		.kaslr = true, .kernel = T_PREF, .seg_memsz = MIB(4),
	},
	{
		.desc = "unpacked, not relocated: KASLR_FLAG cleared",
		.tweak = tw_image_kaslr, .memsz = MIB(3) + 5, .entry = T_VM_ENTRY,
		.kernel = T_PREF, .seg_memsz = MIB(4),
	},
	{
		.desc = "unpacked: 2 MiB aligned where min_alignment allows 4 KiB",
		.tweak = tw_min_align, .memsz = MIB(20), .entry = T_VM_ENTRY,
		.kernel = MIB(18), .seg_memsz = MIB(20),
	},
	{
		.desc = "unpacked: never below 2 MiB alignment",
		.tweak = tw_min_align_tight, .memsz = MIB(32) + 1,
		.ret = -EADDRNOTAVAIL,
	},
	{
		.desc = "unpacked: above a crash reservation",
		.tweak = tw_crash_avoid, .memsz = MIB(2), .entry = 0,
		.kernel = MIB(272), .seg_memsz = MIB(2),
	},
	{
		.desc = "unpacked: data longer than the footprint",
		.tweak = tw_none, .memsz = T_VM_LEN - 1, .ret = -EINVAL,
	},
	{
		.desc = "unpacked: entry past the footprint",
		.tweak = tw_none, .memsz = MIB(2), .entry = MIB(2),
		.ret = -EINVAL,
	},
	{
		.desc = "unpacked: footprint over KX_X86_KERNEL_MAX",
		.tweak = tw_none, .memsz = KX_X86_KERNEL_MAX + 1,
		.ret = -EINVAL,
	},
};

static void vm_build_case_desc(const struct vm_build_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vm_build, vm_build_cases, vm_build_case_desc);

static void build_vmlinux_test(struct kunit *test)
{
	const struct vm_build_case *c = test->param_value;
	struct build_env *e = build_env(test);
	const struct kexec_x_segment *k = &e->out.segs[KX_X86_SEG_KERNEL];
	const struct boot_params *bp;
	u8 *vm = kunit_kzalloc(test, T_VM_LEN, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	c->tweak(e);
	e->in.vmlinux = vm;
	e->in.vmlinux_len = T_VM_LEN;
	e->in.vmlinux_memsz = c->memsz;
	e->in.vmlinux_entry = c->entry;
	e->in.kaslr = c->kaslr;
	ret = kx_x86_file_build(&e->in, &e->out);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->ret, "why: %s", e->out.why);
	if (ret)
		return;
	check_layout(test, e);
	check_pointers(test, e);
	bp = e->out.setup_buf;
	KUNIT_EXPECT_EQ(test, k->buf, (u64)(uintptr_t)vm);
	KUNIT_EXPECT_EQ(test, k->bufsz, T_VM_LEN);
	KUNIT_EXPECT_EQ(test, k->mem, c->kernel);
	KUNIT_EXPECT_EQ(test, k->memsz, c->seg_memsz);
	KUNIT_EXPECT_EQ(test, e->out.entry, c->kernel + c->entry);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(k->mem, MIB(2)));
	KUNIT_EXPECT_GE(test, bp->hdr.kernel_alignment, MIB(2));
	KUNIT_EXPECT_EQ(test, !!(bp->hdr.loadflags & KASLR_FLAG), c->kaslr);
	KUNIT_EXPECT_TRUE(test, bp->hdr.loadflags & LOADED_HIGH);
}

/* The boot_params of the default build, field by field. */
static void build_boot_params_test(struct kunit *test)
{
	struct build_env *e = build_env(test);
	const struct kexec_x_segment *s = e->out.segs;
	const struct boot_params *bp;
	const char *cmdline;
	u64 initrd, setup;

	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	cmdline = (const char *)e->out.setup_buf + KX_X86_CMDLINE_OFFSET;
	initrd = s[KX_X86_SEG_INITRD].mem;
	setup = s[KX_X86_SEG_SETUP].mem;

	/* setup header: copied, then completed */
	KUNIT_EXPECT_EQ(test, bp->hdr.boot_flag, KX_X86_BOOT_FLAG);
	KUNIT_EXPECT_EQ(test, bp->hdr.header, KX_X86_HDRS_MAGIC);
	KUNIT_EXPECT_EQ(test, bp->hdr.version, 0x020f);
	KUNIT_EXPECT_EQ(test, bp->hdr.init_size, T_INIT_SIZE);
	KUNIT_EXPECT_EQ(test, bp->hdr.kernel_info_offset, 0x4000);
	KUNIT_EXPECT_EQ(test, bp->hdr.type_of_loader, KX_X86_LOADER_TYPE);
	KUNIT_EXPECT_TRUE(test, bp->hdr.loadflags & LOADED_HIGH);
	KUNIT_EXPECT_FALSE(test, bp->hdr.loadflags & CAN_USE_HEAP);
	KUNIT_EXPECT_EQ(test, bp->hdr.code32_start, T_PREF);
	KUNIT_EXPECT_EQ(test, bp->hdr.ramdisk_image, (u32)initrd);
	KUNIT_EXPECT_EQ(test, bp->ext_ramdisk_image, 0);
	KUNIT_EXPECT_EQ(test, bp->hdr.ramdisk_size, T_INITRD_LEN);
	KUNIT_EXPECT_EQ(test, bp->ext_ramdisk_size, 0);
	KUNIT_EXPECT_EQ(test, bp->hdr.cmd_line_ptr,
			(u32)(setup + KX_X86_CMDLINE_OFFSET));
	KUNIT_EXPECT_EQ(test, bp->ext_cmd_line_ptr, 0);
	KUNIT_EXPECT_EQ(test, bp->hdr.setup_data, 0);
	KUNIT_EXPECT_STREQ(test, cmdline, T_CMDLINE);
	KUNIT_EXPECT_EQ(test, s[KX_X86_SEG_SETUP].bufsz,
			KX_X86_CMDLINE_OFFSET + sizeof(T_CMDLINE));
	/* not copied from the image: the sentinel byte before the header */
	KUNIT_EXPECT_EQ(test, bp->sentinel, 0);

	/* inherited */
	KUNIT_EXPECT_EQ(test, bp->screen_info.orig_video_lines, 25);
	KUNIT_EXPECT_EQ(test, bp->screen_info.lfb_base, 0xc0000000);
	KUNIT_EXPECT_EQ(test, bp->acpi_rsdp_addr, 0xf05b0);
	KUNIT_EXPECT_EQ(test, bp->secure_boot, 3);
	KUNIT_EXPECT_EQ(test, bp->eddbuf_entries, 1);
	KUNIT_EXPECT_EQ(test, bp->eddbuf[0].device, 0x80);
	KUNIT_EXPECT_EQ(test, bp->edd_mbr_sig_buf_entries, 2);
	KUNIT_EXPECT_EQ(test, bp->edd_mbr_sig_buffer[1], 0xcafe);

	/* not inherited: no EFI, no tboot */
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_systab, 0);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_loader_signature, 0);
	KUNIT_EXPECT_EQ(test, bp->tboot_addr, 0);

	/* memory map */
	KUNIT_ASSERT_EQ(test, bp->e820_entries, ARRAY_SIZE(t_e820));
	KUNIT_EXPECT_EQ(test, bp->e820_table[3].addr, MIB(1));
	KUNIT_EXPECT_EQ(test, bp->e820_table[3].size, GIB(2) - MIB(1));
	KUNIT_EXPECT_EQ(test, bp->e820_table[3].type, KX_E820_RAM);
	KUNIT_EXPECT_EQ(test, bp->e820_table[4].type, KX_E820_ACPI);
}

/* The header is copied up to the jump's end, not further. */
static void build_header_extent_test(struct kunit *test)
{
	struct build_env *e = build_env(test);
	const struct boot_params *bp;

	e->image = make_image(test, 0x020c);
	poke(e->image, HDR(kernel_info_offset), 4, 0x5555);
	e->in.kernel = e->image;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	KUNIT_EXPECT_EQ(test, bp->hdr.version, 0x020c);
	KUNIT_EXPECT_EQ(test, bp->hdr.handover_offset, 0x190);
	KUNIT_EXPECT_EQ(test, bp->hdr.kernel_info_offset, 0);
}

/* No running kernel: nothing inherited; acpi_rsdp replaces its value. */
static void build_inherit_test(struct kunit *test)
{
	struct build_env *e = build_env(test);
	const struct boot_params *bp;

	e->in.running = NULL;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	KUNIT_EXPECT_EQ(test, bp->screen_info.orig_video_lines, 0);
	KUNIT_EXPECT_EQ(test, bp->acpi_rsdp_addr, 0);

	e = build_env(test);
	e->in.acpi_rsdp = 0x7fb7e014;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	KUNIT_EXPECT_EQ(test, bp->acpi_rsdp_addr, 0x7fb7e014);
	KUNIT_EXPECT_EQ(test, bp->screen_info.lfb_base, 0xc0000000);
}

/* Above 128 entries the rest of the map goes to SETUP_E820_EXT. */
static void build_e820_ext_test(struct kunit *test)
{
	struct build_env *e = build_env(test);
	const unsigned int nr = 200;
	const struct boot_e820_entry *ext;
	const struct setup_data *sd;
	const struct boot_params *bp;
	struct kx_e820 *map;
	u64 setup;
	unsigned int i;

	map = kunit_kcalloc(test, nr, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	for (i = 0; i < nr; i++)
		map[i] = (struct kx_e820){ GIB(4) + i * MIB(2),
					   GIB(4) + i * MIB(2) + MIB(1),
					   i % 2 ? RAM : RES };
	e->in.e820 = map;
	e->in.nr_e820 = nr;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	setup = e->out.segs[KX_X86_SEG_SETUP].mem;
	sd = (const void *)((const u8 *)e->out.setup_buf +
			    KX_X86_E820EXT_OFFSET);
	ext = (const struct boot_e820_entry *)sd->data;

	KUNIT_EXPECT_EQ(test, bp->e820_entries, E820_MAX_ENTRIES_ZEROPAGE);
	KUNIT_EXPECT_EQ(test, bp->e820_table[127].addr, GIB(4) + 127 * MIB(2));
	KUNIT_EXPECT_EQ(test, bp->hdr.setup_data,
			setup + KX_X86_E820EXT_OFFSET);
	KUNIT_EXPECT_EQ(test, sd->type, SETUP_E820_EXT);
	KUNIT_EXPECT_EQ(test, sd->next, 0);
	KUNIT_EXPECT_EQ(test, sd->len, (nr - 128) * sizeof(*ext));
	KUNIT_EXPECT_EQ(test, ext[0].addr, GIB(4) + 128 * MIB(2));
	KUNIT_EXPECT_EQ(test, ext[0].size, MIB(1));
	KUNIT_EXPECT_EQ(test, ext[0].type, RES);
	KUNIT_EXPECT_EQ(test, ext[nr - 129].type, RAM);
	KUNIT_EXPECT_EQ(test, e->out.segs[KX_X86_SEG_SETUP].bufsz,
			KX_X86_E820EXT_OFFSET + sizeof(*sd) +
			(nr - 128) * sizeof(*ext));
	KUNIT_EXPECT_EQ(test, e->out.segs[KX_X86_SEG_SETUP].memsz,
			KX_X86_E820EXT_OFFSET + 0x1000);
}

/*
 * EFI handover: efi_info points at the system table and at the copied
 * runtime map, and a SETUP_EFI node heads the setup_data list.
 */
static void build_efi_test(struct kunit *test)
{
	static const u8 map[3 * 48] = { [0] = 5, [48] = 6, [96] = 11 };
	struct kx_x86_efi efi = {
		.loader_signature = 0x34364c45,
		.systab = 0x17f9e5018ULL,
		.memdesc_size = 48,
		.memdesc_version = 1,
		.map = map,
		.map_size = sizeof(map),
		.fw_vendor = 0x7f9e1000,
		.tables = 0x7f9e2000,
		.smbios = 0x7f518000,
	};
	const struct kx_efi_setup_data *esd;
	const struct setup_data *sd;
	const struct boot_params *bp;
	struct build_env *e;
	struct kx_e820 *big;
	const u8 *buf;
	u64 setup;
	unsigned int i;

	/* No EFI state given: nothing of the running kernel's is passed. */
	e = build_env(test);
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_systab, 0);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memmap_size, 0);
	KUNIT_EXPECT_EQ(test, bp->hdr.setup_data, 0);

	e = build_env(test);
	e->in.efi = &efi;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	bp = e->out.setup_buf;
	buf = e->out.setup_buf;
	setup = e->out.segs[KX_X86_SEG_SETUP].mem;
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_loader_signature, 0x34364c45);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_systab, 0x7f9e5018);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_systab_hi, 1);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memdesc_size, 48);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memdesc_version, 1);
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memmap,
			(u32)(setup + KX_X86_EFI_OFFSET));
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memmap_hi,
			(u32)((setup + KX_X86_EFI_OFFSET) >> 32));
	KUNIT_EXPECT_EQ(test, bp->efi_info.efi_memmap_size, sizeof(map));
	KUNIT_EXPECT_EQ(test, memcmp(buf + KX_X86_EFI_OFFSET, map,
				     sizeof(map)), 0);
	sd = (const void *)(buf + KX_X86_EFI_SETUP_OFFSET);
	esd = (const void *)sd->data;
	KUNIT_EXPECT_EQ(test, bp->hdr.setup_data,
			setup + KX_X86_EFI_SETUP_OFFSET);
	KUNIT_EXPECT_EQ(test, sd->type, SETUP_EFI);
	KUNIT_EXPECT_EQ(test, sd->len, sizeof(*esd));
	KUNIT_EXPECT_EQ(test, sd->next, 0);
	KUNIT_EXPECT_EQ(test, esd->fw_vendor, 0x7f9e1000);
	KUNIT_EXPECT_EQ(test, esd->tables, 0x7f9e2000);
	KUNIT_EXPECT_EQ(test, esd->smbios, 0x7f518000);
	KUNIT_EXPECT_EQ(test, e->out.segs[KX_X86_SEG_SETUP].bufsz,
			KX_X86_EFI_SETUP_OFFSET + sizeof(*sd) + sizeof(*esd));
	KUNIT_EXPECT_LE(test, e->out.segs[KX_X86_SEG_SETUP].bufsz,
			KX_X86_SETUP_BUF_SIZE);

	/* With a memory map extension too: SETUP_EFI, then SETUP_E820_EXT. */
	e = build_env(test);
	big = kunit_kcalloc(test, 200, sizeof(*big), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	for (i = 0; i < 200; i++)
		big[i] = (struct kx_e820){ GIB(4) + i * MIB(2),
					   GIB(4) + i * MIB(2) + MIB(1), RAM };
	e->in.e820 = big;
	e->in.nr_e820 = 200;
	e->in.efi = &efi;
	KUNIT_ASSERT_EQ(test, kx_x86_file_build(&e->in, &e->out), 0);
	setup = e->out.segs[KX_X86_SEG_SETUP].mem;
	sd = (const void *)((const u8 *)e->out.setup_buf +
			    KX_X86_EFI_SETUP_OFFSET);
	KUNIT_EXPECT_EQ(test, sd->next, setup + KX_X86_E820EXT_OFFSET);

	/* A runtime map too large for the setup segment. */
	e = build_env(test);
	efi.map_size = KX_X86_EFI_MAP_MAX + 48;
	e->in.efi = &efi;
	KUNIT_EXPECT_EQ(test, kx_x86_file_build(&e->in, &e->out), -E2BIG);
}

static void layout_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct boot_params), KX_X86_BP_SIZE);
	KUNIT_EXPECT_EQ(test, HDR(setup_sects), KX_X86_HDR_OFFSET);
	KUNIT_EXPECT_EQ(test, HDR(header), KX_X86_HDRS_OFFSET);
	KUNIT_EXPECT_EQ(test, HDR(init_size) + 4, KX_X86_HDR_MIN_END);
	KUNIT_EXPECT_LE(test, KX_X86_E820EXT_OFFSET + KX_X86_E820EXT_SIZE,
			KX_X86_SETUP_BUF_SIZE);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(KX_X86_SETUP_BUF_SIZE,
					   KX_PAGE_SIZE));
}

static struct kunit_case bootparam_test_cases[] = {
	KUNIT_CASE(layout_test),
	KUNIT_CASE_PARAM(parse_test, parse_gen_params),
	KUNIT_CASE_PARAM(e820_build_test, e820_gen_params),
	KUNIT_CASE(e820_full_unchanged_test),
	KUNIT_CASE(e820_type_names_test),
	KUNIT_CASE_PARAM(build_test, build_gen_params),
	KUNIT_CASE_PARAM(build_vmlinux_test, vm_build_gen_params),
	KUNIT_CASE(build_boot_params_test),
	KUNIT_CASE(build_header_extent_test),
	KUNIT_CASE(build_inherit_test),
	KUNIT_CASE(build_e820_ext_test),
	KUNIT_CASE(build_efi_test),
	{}
};

static struct kunit_suite bootparam_test_suite = {
	.name = "kexec_x_x86_bootparam",
	.test_cases = bootparam_test_cases,
};

kunit_test_suite(bootparam_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
