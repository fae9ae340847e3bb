// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the crash image's ELF pieces (elfcore.c): the ELF core
 * header, RAM minus exclusions, and the per-CPU notes.
 *
 * Each built header is parsed back and checked field by field, its
 * PT_LOADs against the table's expected list and, independently, against
 * RAM minus the exclusions at every boundary address of the case.  Then
 * every smaller buffer size must give -ENOSPC without writing a byte.
 */
#include <kunit/test.h>
#include <linux/elfcore.h>
#include <linux/vmalloc.h>
#include <linux/vmcore_info.h>

#include "kx_lib.h"
#include "place.h"
#include "elfcore.h"

#define MIB(x)		((u64)(x) << 20)
#define GIB(x)		((u64)(x) << 30)

/* Where the synthetic inputs live. */
#define T_NOTE_BASE	GIB(1)		/* CPU i's notes: + i pages */
#define T_NOTE_SIZE	368		/* sizeof(note_buf_t) on x86_64 */
#define T_VMCI_PHYS	(GIB(1) + MIB(64))
#define T_VMCI_SIZE	4096
#define T_TEXT_VA	0xffffffff81000000ULL
#define T_TEXT_PA	MIB(16)
#define T_TEXT_SIZE	0x2a00000ULL
#define T_X86_PO	0xffff888000000000ULL	/* x86_64 PAGE_OFFSET */
#define T_FILL		0xa5

#define MAX_R		6
#define MAX_NOTES	80

/**
 * struct build_case - one ELF core header to build and check
 * @desc:        what the case shows
 * @machine:     e_machine, 0 for EM_X86_64
 * @nr_notes:    CPUs, 0 for 1; notes at T_NOTE_BASE + i pages
 * @text:        add the kernel text PT_LOAD
 * @page_offset: 0 for T_X86_PO
 * @ram:         System RAM
 * @nr_ram:      entries at @ram
 * @ex:          exclusions
 * @nr_ex:       entries at @ex
 * @load:        the RAM PT_LOADs expected, in order
 * @nr_load:     entries at @load
 */
struct build_case {
	const char *desc;
	u16 machine;
	unsigned int nr_notes;
	bool text;
	u64 page_offset;
	struct kx_range ram[MAX_R];
	unsigned int nr_ram;
	struct kx_range ex[MAX_R];
	unsigned int nr_ex;
	struct kx_range load[MAX_R];
	unsigned int nr_load;
};

static const struct build_case build_cases[] = {
	{
		.desc = "no exclusion: one PT_LOAD per RAM range",
		.text = true,
		.ram = { { MIB(1), GIB(2) }, { GIB(4), GIB(6) } }, .nr_ram = 2,
		.load = { { MIB(1), GIB(2) }, { GIB(4), GIB(6) } },
		.nr_load = 2,
	},
	{
		.desc = "an exclusion in the middle splits a range",
		.ram = { { MIB(1), GIB(2) } }, .nr_ram = 1,
		.ex = { { MIB(512), MIB(768) } }, .nr_ex = 1,
		.load = { { MIB(1), MIB(512) }, { MIB(768), GIB(2) } },
		.nr_load = 2,
	},
	{
		.desc = "an exclusion at the start trims a range",
		.ram = { { MIB(1), GIB(2) } }, .nr_ram = 1,
		.ex = { { MIB(1), MIB(256) } }, .nr_ex = 1,
		.load = { { MIB(256), GIB(2) } }, .nr_load = 1,
	},
	{
		.desc = "an exclusion at the end trims a range",
		.ram = { { MIB(1), GIB(2) } }, .nr_ram = 1,
		.ex = { { MIB(1792), GIB(2) } }, .nr_ex = 1,
		.load = { { MIB(1), MIB(1792) } }, .nr_load = 1,
	},
	{
		.desc = "an exclusion equal to a range removes it",
		.ram = { { 0x1000, 0x9f000 }, { MIB(1), GIB(2) },
			 { GIB(4), GIB(5) } },
		.nr_ram = 3,
		.ex = { { MIB(1), GIB(2) } }, .nr_ex = 1,
		.load = { { 0x1000, 0x9f000 }, { GIB(4), GIB(5) } },
		.nr_load = 2,
	},
	{
		.desc = "an exclusion wider than a range removes it",
		.ram = { { 0x1000, 0x9f000 }, { MIB(1), MIB(2) },
			 { GIB(4), GIB(5) } },
		.nr_ram = 3,
		.ex = { { 0xa0000, MIB(3) } }, .nr_ex = 1,
		.load = { { 0x1000, 0x9f000 }, { GIB(4), GIB(5) } },
		.nr_load = 2,
	},
	{
		/* The class of bug fixed by a2e9a95d2190 and 6dff31597264. */
		.desc = "an exclusion over several ranges trims and removes",
		.ram = { { MIB(1), MIB(8) }, { MIB(9), MIB(10) },
			 { MIB(11), MIB(12) }, { MIB(13), MIB(20) } },
		.nr_ram = 4,
		.ex = { { MIB(4), MIB(16) } }, .nr_ex = 1,
		.load = { { MIB(1), MIB(4) }, { MIB(16), MIB(20) } },
		.nr_load = 2,
	},
	{
		/* Inclusive ends, as in crash_mem, invite off-by-ones. */
		.desc = "a one-byte exclusion at the last byte",
		.ram = { { 0x1000, 0x3000 } }, .nr_ram = 1,
		.ex = { { 0x2fff, 0x3000 } }, .nr_ex = 1,
		.load = { { 0x1000, 0x2fff } }, .nr_load = 1,
	},
	{
		.desc = "a one-byte exclusion at the first byte",
		.ram = { { 0x1000, 0x3000 } }, .nr_ram = 1,
		.ex = { { 0x1000, 0x1001 } }, .nr_ex = 1,
		.load = { { 0x1001, 0x3000 } }, .nr_load = 1,
	},
	{
		.desc = "unsorted exclusions in one range make three pieces",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.ex = { { MIB(40), MIB(48) }, { MIB(8), MIB(16) } },
		.nr_ex = 2,
		.load = { { MIB(1), MIB(8) }, { MIB(16), MIB(40) },
			  { MIB(48), MIB(64) } },
		.nr_load = 3,
	},
	{
		.desc = "overlapping exclusions: elfcorehdr inside crashkernel",
		.ram = { { MIB(1), GIB(2) } }, .nr_ram = 1,
		.ex = { { MIB(512) + 0x10000, MIB(512) + 0x11000 },
			{ MIB(512), MIB(768) } },
		.nr_ex = 2,
		.load = { { MIB(1), MIB(512) }, { MIB(768), GIB(2) } },
		.nr_load = 2,
	},
	{
		.desc = "chained exclusions, each starting inside the last",
		.ram = { { MIB(1), MIB(64) } }, .nr_ram = 1,
		.ex = { { MIB(20), MIB(30) }, { MIB(10), MIB(21) },
			{ MIB(29), MIB(40) } },
		.nr_ex = 3,
		.load = { { MIB(1), MIB(10) }, { MIB(40), MIB(64) } },
		.nr_load = 2,
	},
	{
		.desc = "exclusions outside or touching RAM change nothing",
		.ram = { { MIB(1), MIB(2) }, { MIB(4), MIB(5) } }, .nr_ram = 2,
		.ex = { { 0, MIB(1) }, { MIB(2), MIB(4) }, { MIB(5), GIB(1) } },
		.nr_ex = 3,
		.load = { { MIB(1), MIB(2) }, { MIB(4), MIB(5) } },
		.nr_load = 2,
	},
	{
		.desc = "everything excluded: no RAM PT_LOAD",
		.text = true,
		.ram = { { MIB(1), MIB(2) }, { MIB(4), MIB(5) } }, .nr_ram = 2,
		.ex = { { MIB(4), MIB(5) }, { 0, MIB(3) } }, .nr_ex = 2,
		.nr_load = 0,
	},
	{
		.desc = "touching RAM ranges stay separate PT_LOADs",
		.ram = { { MIB(1), MIB(2) }, { MIB(2), MIB(3) } }, .nr_ram = 2,
		.ex = { { MIB(2) + 0x1000, MIB(2) + 0x2000 } }, .nr_ex = 1,
		.load = { { MIB(1), MIB(2) }, { MIB(2), MIB(2) + 0x1000 },
			  { MIB(2) + 0x2000, MIB(3) } },
		.nr_load = 3,
	},
	{
		.desc = "x86 crashkernel high and low, elfcorehdr in high",
		.nr_notes = 4, .text = true,
		.ram = { { 0x1000, 0x9fc00 }, { MIB(1), 0x7ffe0000 },
			 { GIB(4), GIB(12) } },
		.nr_ram = 3,
		.ex = { { GIB(11), GIB(11) + MIB(512) },
			{ MIB(128), MIB(384) },
			{ GIB(11) + MIB(511), GIB(11) + MIB(511) + 0x2000 } },
		.nr_ex = 3,
		.load = { { 0x1000, 0x9fc00 }, { MIB(1), MIB(128) },
			  { MIB(384), 0x7ffe0000 }, { GIB(4), GIB(11) },
			  { GIB(11) + MIB(512), GIB(12) } },
		.nr_load = 5,
	},
	{
		/* __va(pa) = pa - PHYS_OFFSET + PAGE_OFFSET, VA_BITS = 48. */
		.desc = "arm64: the linear map offset wraps modulo 2^64",
		.machine = EM_AARCH64, .nr_notes = 2, .text = true,
		.page_offset = 0xffff000000000000ULL - GIB(1),
		.ram = { { GIB(1), GIB(3) } }, .nr_ram = 1,
		.ex = { { GIB(2), GIB(2) + MIB(256) } }, .nr_ex = 1,
		.load = { { GIB(1), GIB(2) }, { GIB(2) + MIB(256), GIB(3) } },
		.nr_load = 2,
	},
	{
		.desc = "80 CPUs: the header spills into a second page",
		.nr_notes = MAX_NOTES, .text = true,
		.ram = { { MIB(1), GIB(2) } }, .nr_ram = 1,
		.ex = { { MIB(512), MIB(768) } }, .nr_ex = 1,
		.load = { { MIB(1), MIB(512) }, { MIB(768), GIB(2) } },
		.nr_load = 2,
	},
	{
		.desc = "the top of the address space",
		.ram = { { GIB(1), ~0ULL } }, .nr_ram = 1,
		.ex = { { ~0ULL - 0x1000, ~0ULL } }, .nr_ex = 1,
		.load = { { GIB(1), ~0ULL - 0x1000 } }, .nr_load = 1,
	},
};

static void build_case_desc(const struct build_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(elfcore_build, build_cases, build_case_desc);

/* CPU @i's note buffer. */
static u64 t_note(unsigned int i)
{
	return T_NOTE_BASE + i * KX_PAGE_SIZE;
}

/* The input @c describes, with @notes (room for MAX_NOTES) filled in. */
static void make_in(const struct build_case *c, u64 *notes,
		    struct kx_elfcore_in *in)
{
	unsigned int i;

	for (i = 0; i < MAX_NOTES; i++)
		notes[i] = t_note(i);
	memset(in, 0, sizeof(*in));
	in->machine = c->machine ? c->machine : EM_X86_64;
	in->note_phys = notes;
	in->nr_notes = c->nr_notes ? c->nr_notes : 1;
	in->note_size = T_NOTE_SIZE;
	in->vmcoreinfo_phys = T_VMCI_PHYS;
	in->vmcoreinfo_size = T_VMCI_SIZE;
	if (c->text) {
		in->text_va = T_TEXT_VA;
		in->text_pa = T_TEXT_PA;
		in->text_size = T_TEXT_SIZE;
	}
	in->page_offset = c->page_offset ? c->page_offset : T_X86_PO;
	in->ram = c->ram;
	in->nr_ram = c->nr_ram;
	in->exclude = c->ex;
	in->nr_exclude = c->nr_ex;
}

/* Page-aligned size of a header with @phnum program headers. */
static size_t hdr_bytes(unsigned int phnum)
{
	return ALIGN(sizeof(struct elf64_hdr) +
		     (size_t)phnum * sizeof(struct elf64_phdr),
		     KX_ELFCORE_ALIGN);
}

static bool in_ranges(const struct kx_range *r, unsigned int nr, u64 x)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (r[i].start <= x && x < r[i].end)
			return true;
	return false;
}

static bool in_loads(const struct elf64_phdr *ph, unsigned int nr, u64 x)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ph[i].p_paddr <= x && x - ph[i].p_paddr < ph[i].p_memsz)
			return true;
	return false;
}

/* @x is dumped exactly when it is RAM and no exclusion covers it. */
static void check_point(struct kunit *test, const struct build_case *c,
			const struct elf64_phdr *ld, unsigned int nr, u64 x)
{
	bool want = in_ranges(c->ram, c->nr_ram, x) &&
		    !in_ranges(c->ex, c->nr_ex, x);

	KUNIT_EXPECT_EQ_MSG(test, in_loads(ld, nr, x), want, "at %#llx", x);
}

static void check_range_points(struct kunit *test, const struct build_case *c,
			       const struct elf64_phdr *ld, unsigned int nr,
			       u64 start, u64 end)
{
	check_point(test, c, ld, nr, start);
	if (start)
		check_point(test, c, ld, nr, start - 1);
	check_point(test, c, ld, nr, end - 1);
	if (end != ~0ULL)
		check_point(test, c, ld, nr, end);
}

/*
 * Independent of the expected list: being dumped only changes at the
 * boundaries of the inputs and outputs, so checking around all of them
 * checks every address.
 */
static void check_coverage(struct kunit *test, const struct build_case *c,
			   const struct elf64_phdr *ld, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < c->nr_ram; i++)
		check_range_points(test, c, ld, nr, c->ram[i].start,
				   c->ram[i].end);
	for (i = 0; i < c->nr_ex; i++)
		check_range_points(test, c, ld, nr, c->ex[i].start,
				   c->ex[i].end);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_GT(test, ld[i].p_memsz, 0);
		check_range_points(test, c, ld, nr, ld[i].p_paddr,
				   ld[i].p_paddr + ld[i].p_memsz);
		if (i)
			KUNIT_EXPECT_LE(test, ld[i - 1].p_paddr +
					ld[i - 1].p_memsz, ld[i].p_paddr);
	}
}

static void check_ehdr(struct kunit *test, const struct kx_elfcore_in *in,
		       const struct elf64_hdr *eh, unsigned int phnum)
{
	static const u8 ident[EI_NIDENT] = {
		ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
		ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
	};

	KUNIT_EXPECT_MEMEQ(test, eh->e_ident, ident, EI_NIDENT);
	KUNIT_EXPECT_EQ(test, eh->e_type, ET_CORE);
	KUNIT_EXPECT_EQ(test, eh->e_machine, in->machine);
	KUNIT_EXPECT_EQ(test, eh->e_version, EV_CURRENT);
	KUNIT_EXPECT_EQ(test, eh->e_entry, 0);
	KUNIT_EXPECT_EQ(test, eh->e_phoff, sizeof(struct elf64_hdr));
	KUNIT_EXPECT_EQ(test, eh->e_shoff, 0);
	KUNIT_EXPECT_EQ(test, eh->e_flags, 0);
	KUNIT_EXPECT_EQ(test, eh->e_ehsize, sizeof(struct elf64_hdr));
	KUNIT_EXPECT_EQ(test, eh->e_phentsize, sizeof(struct elf64_phdr));
	KUNIT_EXPECT_EQ(test, eh->e_phnum, phnum);
	KUNIT_EXPECT_EQ(test, eh->e_shentsize, 0);
	KUNIT_EXPECT_EQ(test, eh->e_shnum, 0);
	KUNIT_EXPECT_EQ(test, eh->e_shstrndx, 0);
}

static void check_phdr(struct kunit *test, const struct elf64_phdr *ph,
		       u32 type, u64 vaddr, u64 paddr, u64 size)
{
	KUNIT_EXPECT_EQ(test, ph->p_type, type);
	KUNIT_EXPECT_EQ(test, ph->p_flags,
			type == PT_LOAD ? PF_R | PF_W | PF_X : 0);
	KUNIT_EXPECT_EQ(test, ph->p_offset, paddr);
	KUNIT_EXPECT_EQ(test, ph->p_vaddr, vaddr);
	KUNIT_EXPECT_EQ(test, ph->p_paddr, paddr);
	KUNIT_EXPECT_EQ(test, ph->p_filesz, size);
	KUNIT_EXPECT_EQ(test, ph->p_memsz, size);
	KUNIT_EXPECT_EQ(test, ph->p_align, 0);
}

/* Every buffer smaller than @used fails and stays untouched. */
static void check_nospc(struct kunit *test, const struct kx_elfcore_in *in,
			u8 *buf, size_t used)
{
	size_t size, got;

	memset(buf, T_FILL, used);
	for (size = 0; size < used; size++) {
		got = 1;
		KUNIT_ASSERT_EQ_MSG(test, kx_elfcore_build(in, buf, size, &got),
				    -ENOSPC, "size %zu", size);
		KUNIT_ASSERT_EQ(test, got, 1);
	}
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, T_FILL, used));
}

static void elfcore_build_test(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	unsigned int i, fixed, phnum;
	struct kx_elfcore_in in;
	const struct elf64_phdr *ph;
	size_t max, used = 0, hdr;
	u8 *buf, *copy;
	u64 *notes;

	notes = kunit_kcalloc(test, MAX_NOTES, sizeof(*notes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, notes);
	make_in(c, notes, &in);
	fixed = in.nr_notes + 1 + (c->text ? 1 : 0);
	phnum = fixed + c->nr_load;
	hdr = sizeof(struct elf64_hdr) + phnum * sizeof(struct elf64_phdr);
	max = kx_elfcore_max_size(&in);
	/* Worst case: each exclusion splits a RAM range in two. */
	KUNIT_ASSERT_EQ(test, max, hdr_bytes(fixed + c->nr_ram + c->nr_ex));
	buf = kunit_kzalloc(test, max + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, T_FILL, max + 1);

	KUNIT_ASSERT_EQ(test, kx_elfcore_build(&in, buf, max, &used), 0);
	KUNIT_EXPECT_EQ(test, used, ALIGN(hdr, KX_ELFCORE_ALIGN));
	KUNIT_EXPECT_LE(test, used, max);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + hdr, 0, used - hdr));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + used, T_FILL, max + 1 - used));

	check_ehdr(test, &in, (const struct elf64_hdr *)buf, phnum);
	ph = (const struct elf64_phdr *)(buf + sizeof(struct elf64_hdr));
	for (i = 0; i < in.nr_notes; i++)
		check_phdr(test, &ph[i], PT_NOTE, 0, t_note(i), T_NOTE_SIZE);
	check_phdr(test, &ph[i], PT_NOTE, 0, T_VMCI_PHYS, T_VMCI_SIZE);
	if (c->text)
		check_phdr(test, &ph[i + 1], PT_LOAD, T_TEXT_VA, T_TEXT_PA,
			   T_TEXT_SIZE);
	for (i = 0; i < c->nr_load; i++)
		check_phdr(test, &ph[fixed + i], PT_LOAD,
			   c->load[i].start + in.page_offset, c->load[i].start,
			   c->load[i].end - c->load[i].start);
	check_coverage(test, c, ph + fixed, c->nr_load);

	/* A larger buffer changes nothing; *used may be NULL. */
	copy = kunit_kmalloc(test, used, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, buf, used);
	memset(buf, T_FILL, max + 1);
	KUNIT_EXPECT_EQ(test, kx_elfcore_build(&in, buf, max + 1, NULL), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, copy, used);
	check_nospc(test, &in, buf, used);
}

/* ---- -EINVAL ---- */

static const struct kx_range t_ram[] = { { MIB(1), GIB(2) },
					 { GIB(4), GIB(6) } };
static const struct kx_range t_ex[] = { { MIB(512), MIB(768) } };

static void tw_machine(struct kx_elfcore_in *in)
{
	in->machine = EM_386;
}

static void tw_no_notes(struct kx_elfcore_in *in)
{
	in->nr_notes = 0;
}

static void tw_note_size(struct kx_elfcore_in *in)
{
	in->note_size = 0;
}

static void tw_vmci_size(struct kx_elfcore_in *in)
{
	in->vmcoreinfo_size = 0;
}

static void tw_note_wraps(struct kx_elfcore_in *in)
{
	static const u64 notes[] = { T_NOTE_BASE, ~0ULL - 100 };

	in->note_phys = notes;
	in->nr_notes = ARRAY_SIZE(notes);
}

static void tw_vmci_wraps(struct kx_elfcore_in *in)
{
	in->vmcoreinfo_phys = ~0ULL - 0xfff;
	in->vmcoreinfo_size = 0x2000;
}

static void tw_text_wraps(struct kx_elfcore_in *in)
{
	in->text_size = -T_TEXT_VA + 1;
}

static void tw_no_ram(struct kx_elfcore_in *in)
{
	in->nr_ram = 0;
}

static void tw_empty_ram(struct kx_elfcore_in *in)
{
	static const struct kx_range ram[] = { { MIB(1), MIB(2) },
					       { MIB(4), MIB(4) } };

	in->ram = ram;
	in->nr_ram = ARRAY_SIZE(ram);
}

static void tw_unsorted_ram(struct kx_elfcore_in *in)
{
	static const struct kx_range ram[] = { { GIB(4), GIB(6) },
					       { MIB(1), GIB(2) } };

	in->ram = ram;
	in->nr_ram = ARRAY_SIZE(ram);
}

static void tw_overlapping_ram(struct kx_elfcore_in *in)
{
	static const struct kx_range ram[] = { { MIB(1), MIB(3) },
					       { MIB(2), MIB(4) } };

	in->ram = ram;
	in->nr_ram = ARRAY_SIZE(ram);
}

static void tw_empty_ex(struct kx_elfcore_in *in)
{
	static const struct kx_range ex[] = { { MIB(8), MIB(16) },
					      { MIB(32), MIB(32) } };

	in->exclude = ex;
	in->nr_exclude = ARRAY_SIZE(ex);
}

static void tw_reversed_ex(struct kx_elfcore_in *in)
{
	static const struct kx_range ex[] = { { MIB(16), MIB(8) } };

	in->exclude = ex;
	in->nr_exclude = ARRAY_SIZE(ex);
}

struct inval_case {
	const char *desc;
	void (*tweak)(struct kx_elfcore_in *in);
};

static const struct inval_case inval_cases[] = {
	{ "e_machine neither x86_64 nor arm64", tw_machine },
	{ "no CPU note", tw_no_notes },
	{ "CPU notes of size 0", tw_note_size },
	{ "VMCOREINFO of size 0", tw_vmci_size },
	{ "a CPU note wraps past 2^64", tw_note_wraps },
	{ "VMCOREINFO wraps past 2^64", tw_vmci_wraps },
	{ "kernel text wraps past 2^64", tw_text_wraps },
	{ "no RAM", tw_no_ram },
	{ "an empty RAM range", tw_empty_ram },
	{ "unsorted RAM", tw_unsorted_ram },
	{ "overlapping RAM", tw_overlapping_ram },
	{ "an empty exclusion", tw_empty_ex },
	{ "an exclusion ending before it starts", tw_reversed_ex },
};

static void inval_case_desc(const struct inval_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(elfcore_inval, inval_cases, inval_case_desc);

static void elfcore_inval_test(struct kunit *test)
{
	const struct inval_case *c = test->param_value;
	static const u64 notes[] = { T_NOTE_BASE };
	struct kx_elfcore_in in = {
		.machine = EM_X86_64,
		.note_phys = notes, .nr_notes = 1, .note_size = T_NOTE_SIZE,
		.vmcoreinfo_phys = T_VMCI_PHYS,
		.vmcoreinfo_size = T_VMCI_SIZE,
		.text_va = T_TEXT_VA, .text_pa = T_TEXT_PA,
		.text_size = T_TEXT_SIZE,
		.page_offset = T_X86_PO,
		.ram = t_ram, .nr_ram = ARRAY_SIZE(t_ram),
		.exclude = t_ex, .nr_exclude = ARRAY_SIZE(t_ex),
	};
	size_t used = 1;
	u8 *buf;

	buf = kunit_kmalloc(test, 2 * KX_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, T_FILL, 2 * KX_PAGE_SIZE);

	/* The base input is valid; the tweak alone makes it invalid. */
	KUNIT_ASSERT_EQ(test, kx_elfcore_build(&in, buf, KX_PAGE_SIZE, NULL),
			0);
	memset(buf, T_FILL, 2 * KX_PAGE_SIZE);
	c->tweak(&in);
	KUNIT_EXPECT_EQ(test, kx_elfcore_build(&in, buf, 2 * KX_PAGE_SIZE,
					       &used), -EINVAL);
	KUNIT_EXPECT_EQ(test, used, 1);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, T_FILL, 2 * KX_PAGE_SIZE));
}

static void vfree_action(void *p)
{
	vfree(p);
}

/*
 * e_phnum is 16 bits and PN_XNUM is reserved: KX_ELFCORE_PHNUM_MAX headers
 * fit, one more is -EINVAL even with room for it, and the maximum size
 * never counts past the limit.
 */
static void elfcore_phnum_limit_test(struct kunit *test)
{
	static const struct kx_range ram[] = { { MIB(1), MIB(2) } };
	static const struct kx_range ex[] = { { MIB(1), MIB(1) + 0x1000 } };
	unsigned int nr = KX_ELFCORE_PHNUM_MAX - 2;
	struct kx_elfcore_in in = {
		.machine = EM_X86_64, .note_size = T_NOTE_SIZE,
		.vmcoreinfo_phys = T_VMCI_PHYS,
		.vmcoreinfo_size = T_VMCI_SIZE,
		.ram = ram, .nr_ram = 1, .exclude = ex, .nr_exclude = 1,
	};
	size_t max, size, used = 0;
	u64 *notes;
	u8 *buf;

	notes = kunit_kcalloc(test, nr + 1, sizeof(*notes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, notes);
	in.note_phys = notes;
	in.nr_notes = nr;
	max = kx_elfcore_max_size(&in);
	size = hdr_bytes(KX_ELFCORE_PHNUM_MAX);
	KUNIT_EXPECT_EQ(test, max, size);
	buf = vmalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_action,
							buf), 0);

	/* nr notes + VMCOREINFO + one RAM piece: exactly the limit. */
	KUNIT_ASSERT_EQ(test, kx_elfcore_build(&in, buf, size, &used), 0);
	KUNIT_EXPECT_EQ(test, used, size);
	KUNIT_EXPECT_EQ(test, ((struct elf64_hdr *)buf)->e_phnum,
			KX_ELFCORE_PHNUM_MAX);

	/* One more CPU would need e_phnum == PN_XNUM. */
	in.nr_notes = nr + 1;
	KUNIT_EXPECT_EQ(test, kx_elfcore_max_size(&in), size);
	KUNIT_EXPECT_EQ(test, kx_elfcore_build(&in, buf, size, &used),
			-EINVAL);

	/* It is the count that matters: without RAM pieces it fits. */
	in.exclude = ram;
	KUNIT_EXPECT_EQ(test, kx_elfcore_build(&in, buf, size, &used), 0);
	KUNIT_EXPECT_EQ(test, ((struct elf64_hdr *)buf)->e_phnum,
			KX_ELFCORE_PHNUM_MAX);
}

/* ---- notes ---- */

#define NOTE_MAX	40

/**
 * struct note_case - one note and the bytes it must produce
 * @name:   owner name
 * @type:   n_type
 * @desc:   descriptor bytes
 * @descsz: bytes of @desc used
 * @bytes:  the expected note, little endian
 * @len:    bytes of @bytes, what kx_elf_note() must return
 */
struct note_case {
	const char *name;
	u32 type;
	u8 desc[NOTE_MAX];
	size_t descsz;
	u8 bytes[NOTE_MAX];
	size_t len;
};

static const struct note_case note_cases[] = {
	{
		.name = "CORE", .type = NT_PRSTATUS,
		.desc = { 0xa1, 0xa2, 0xa3 }, .descsz = 3,
		.bytes = { 5, 0, 0, 0,  3, 0, 0, 0,  1, 0, 0, 0,
			   'C', 'O', 'R', 'E',  0, 0, 0, 0,
			   0xa1, 0xa2, 0xa3, 0 },
		.len = 24,
	},
	{
		.name = "CORE", .type = NT_PRSTATUS, .descsz = 0,
		.bytes = { 5, 0, 0, 0,  0, 0, 0, 0,  1, 0, 0, 0,
			   'C', 'O', 'R', 'E',  0, 0, 0, 0 },
		.len = 20,
	},
	{
		.name = "LINUX", .type = 7,
		.desc = { 1, 2, 3, 4, 5 }, .descsz = 5,
		.bytes = { 6, 0, 0, 0,  5, 0, 0, 0,  7, 0, 0, 0,
			   'L', 'I', 'N', 'U',  'X', 0, 0, 0,
			   1, 2, 3, 4,  5, 0, 0, 0 },
		.len = 28,
	},
	{
		.name = "LINUX", .type = 0x202,
		.desc = { 1, 2, 3, 4, 5, 6, 7 }, .descsz = 7,
		.bytes = { 6, 0, 0, 0,  7, 0, 0, 0,  2, 2, 0, 0,
			   'L', 'I', 'N', 'U',  'X', 0, 0, 0,
			   1, 2, 3, 4,  5, 6, 7, 0 },
		.len = 28,
	},
	{
		.name = "KEXECX64", .type = 0x12345678,
		.desc = { 0xff }, .descsz = 1,
		.bytes = { 9, 0, 0, 0,  1, 0, 0, 0,  0x78, 0x56, 0x34, 0x12,
			   'K', 'E', 'X', 'E',  'C', 'X', '6', '4',
			   0, 0, 0, 0,  0xff, 0, 0, 0 },
		.len = 28,
	},
	{
		.name = "KEXECX64", .type = 3,
		.desc = { 8, 7, 6, 5, 4, 3, 2, 1 }, .descsz = 8,
		.bytes = { 9, 0, 0, 0,  8, 0, 0, 0,  3, 0, 0, 0,
			   'K', 'E', 'X', 'E',  'C', 'X', '6', '4',
			   0, 0, 0, 0,  8, 7, 6, 5,  4, 3, 2, 1 },
		.len = 32,
	},
	{
		.name = "", .type = 3,
		.desc = { 0xee, 0xdd }, .descsz = 2,
		.bytes = { 1, 0, 0, 0,  2, 0, 0, 0,  3, 0, 0, 0,
			   0, 0, 0, 0,  0xee, 0xdd, 0, 0 },
		.len = 20,
	},
};

static void note_case_desc(const struct note_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "name \"%s\" desc %zu bytes",
		 c->name, c->descsz);
}

KUNIT_ARRAY_PARAM(elf_note, note_cases, note_case_desc);

static void elf_note_test(struct kunit *test)
{
	const struct note_case *c = test->param_value;
	u8 buf[NOTE_MAX + 8];
	size_t room;

	KUNIT_EXPECT_EQ(test, kx_elf_note_size(c->name, c->descsz), c->len);

	/* Exactly enough room: the bytes, and nothing past them. */
	memset(buf, T_FILL, sizeof(buf));
	KUNIT_ASSERT_EQ(test, kx_elf_note(buf + 1, c->len, c->name, c->type,
					  c->desc, c->descsz), c->len);
	KUNIT_EXPECT_EQ(test, buf[0], T_FILL);
	KUNIT_EXPECT_MEMEQ(test, buf + 1, c->bytes, c->len);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 1 + c->len, T_FILL,
					   sizeof(buf) - 1 - c->len));

	/* Any less: nothing written. */
	for (room = 0; room < c->len; room++) {
		memset(buf, T_FILL, sizeof(buf));
		KUNIT_EXPECT_EQ(test, kx_elf_note(buf, room, c->name, c->type,
						  c->desc, c->descsz), 0);
		KUNIT_EXPECT_NULL(test, memchr_inv(buf, T_FILL, sizeof(buf)));
	}
}

static void elf_note_final_test(struct kunit *test)
{
	u8 buf[16];

	memset(buf, T_FILL, sizeof(buf));
	KUNIT_EXPECT_EQ(test, kx_elf_note_final(buf, 11), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, T_FILL, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, kx_elf_note_final(buf, sizeof(buf)), 12);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 12));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 12, T_FILL, 4));
}

/* The CPU buffer size matches the kernel's own note_buf_t. */
static void crash_note_bytes_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kx_crash_note_bytes(sizeof(struct elf_prstatus)),
			CRASH_CORE_NOTE_BYTES);
	KUNIT_EXPECT_EQ(test, kx_crash_note_bytes(336), 368);
	KUNIT_EXPECT_EQ(test, kx_crash_note_bytes(0), 32);
	KUNIT_EXPECT_EQ(test, kx_crash_note_bytes(1), 36);
	if (IS_ENABLED(CONFIG_X86_64))
		KUNIT_EXPECT_EQ(test, sizeof(struct elf_prstatus), 336);
}

static void crash_note_fill_test(struct kunit *test)
{
	size_t size = sizeof(struct elf_prstatus), need;
	u8 *prs, *buf;
	struct elf64_note nh;

	need = kx_crash_note_bytes(size);
	prs = kunit_kmalloc(test, size, GFP_KERNEL);
	buf = kunit_kmalloc(test, need + 4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prs);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(prs, 0x3c, size);

	memset(buf, T_FILL, need + 4);
	KUNIT_EXPECT_EQ(test, kx_crash_note_fill(buf, need - 1, prs, size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, T_FILL, need + 4));

	KUNIT_ASSERT_EQ(test, kx_crash_note_fill(buf, need + 4, prs, size),
			need);
	memcpy(&nh, buf, sizeof(nh));
	KUNIT_EXPECT_EQ(test, nh.n_namesz, 5);
	KUNIT_EXPECT_EQ(test, nh.n_descsz, size);
	KUNIT_EXPECT_EQ(test, nh.n_type, NT_PRSTATUS);
	KUNIT_EXPECT_MEMEQ(test, buf + 12, "CORE\0\0\0", 8);
	KUNIT_EXPECT_MEMEQ(test, buf + 20, prs, size);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + 20 + size, 0,
					   need - 20 - size));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf + need, T_FILL, 4));
}

static struct kunit_case elfcore_test_cases[] = {
	KUNIT_CASE_PARAM(elfcore_build_test, elfcore_build_gen_params),
	KUNIT_CASE_PARAM(elfcore_inval_test, elfcore_inval_gen_params),
	KUNIT_CASE(elfcore_phnum_limit_test),
	KUNIT_CASE_PARAM(elf_note_test, elf_note_gen_params),
	KUNIT_CASE(elf_note_final_test),
	KUNIT_CASE(crash_note_bytes_test),
	KUNIT_CASE(crash_note_fill_test),
	{}
};

static struct kunit_suite elfcore_test_suite = {
	.name = "kexec_x_elfcore",
	.test_cases = elfcore_test_cases,
};

kunit_test_suite(elfcore_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
