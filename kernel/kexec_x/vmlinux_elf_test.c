// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kexec_x's vmlinux flattening (vmlinux_elf.c).
 *
 * Each table row is a synthetic ELF file: an ELF header edit and program
 * headers.  The test builds the file (the bytes of every segment are a
 * pattern of its index, the rest 0xee), parses it, compares the result
 * with the row and, when it parses, flattens it and checks every byte of
 * the image against the file: each segment's bytes at its image offset,
 * zeros in between.
 */
#include <kunit/test.h>
#include <linux/elf.h>

#include "kx_lib.h"
#include "vmlinux_elf.h"

#define MIB(x)		((u64)(x) << 20)
#define KIB(x)		((u64)(x) << 10)
#define BASE		MIB(16)
#define MAX_PH		6
/* Synthetic files are small: offsets and sizes in KiB. */
#define FILE_MAX	KIB(256)

struct vm_case {
	const char *desc;
	Elf64_Phdr ph[MAX_PH];
	unsigned int nr_ph;
	/* Header edits: 0 keeps the default. */
	u16 type, machine, phentsize, phnum;
	u64 phoff, entry;
	u8 class, data;
	bool bad_magic;
	size_t len;		/* file length, default FILE_MAX */
	u64 align;		/* default 2 MiB */
	int ret;
	u64 base, filesz, memsz, ventry;
	unsigned int nr_load;
	/*
	 * Section headers: @shnum of them at @shoff (none when 0), index 1
	 * of type @sec_type (default SHT_PROGBITS) at @sec_off, @sec_size
	 * bytes, the others SHT_NULL.  @file_end: expected, when not 0.
	 */
	u64 shoff, sec_off, sec_size, file_end;
	u16 shnum;
	u32 sec_type;
};

#define LOAD(off, paddr, fsz, msz) \
	{ .p_type = PT_LOAD, .p_offset = (off), .p_paddr = (paddr), \
	  .p_filesz = (fsz), .p_memsz = (msz), .p_align = MIB(2) }
#define NOTE(off, paddr) \
	{ .p_type = PT_NOTE, .p_offset = (off), .p_paddr = (paddr), \
	  .p_filesz = 64, .p_memsz = 64 }

static const struct vm_case vm_cases[] = {
	{
		.desc = "one segment",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
	},
	{
		.desc = "vmlinux-like: gaps, a note, bss in the last",
		.ph = { LOAD(KIB(8), BASE, KIB(20), KIB(20)),
			LOAD(KIB(40), BASE + KIB(32), KIB(12), KIB(12)),
			NOTE(KIB(12), BASE + KIB(4)),
			LOAD(KIB(60), BASE + KIB(48), KIB(4), KIB(16)),
			LOAD(KIB(72), BASE + KIB(64), KIB(8), KIB(24)) },
		.nr_ph = 5, .entry = BASE + KIB(1),
		.base = BASE, .filesz = KIB(72), .memsz = KIB(88),
		.ventry = KIB(1), .nr_load = 4,
	},
	{
		.desc = "file ends with its section headers",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.shoff = KIB(16), .shnum = 3, .sec_off = KIB(12), .sec_size = 100,
		.file_end = KIB(16) + 3 * sizeof(Elf64_Shdr),
	},
	{
		.desc = "file ends with a section",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.shoff = KIB(16), .shnum = 2, .sec_off = KIB(20), .sec_size = 100,
		.file_end = KIB(20) + 100,
	},
	{
		.desc = "file ends with segment data; NOBITS past it",
		.ph = { LOAD(KIB(32), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.shoff = KIB(16), .shnum = 2, .sec_off = KIB(64), .sec_size = KIB(64),
		.sec_type = SHT_NOBITS, .file_end = KIB(40),
	},
	{
		.desc = "no section headers: the program headers and segments",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.file_end = KIB(12),
	},
	{
		.desc = "section headers past the end: the whole buffer",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.shoff = FILE_MAX - sizeof(Elf64_Shdr), .shnum = 2,
		.file_end = FILE_MAX,
	},
	{
		.desc = "a section past the end: the whole buffer",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
		.shoff = KIB(16), .shnum = 2, .sec_off = FILE_MAX - 8,
		.sec_size = 9, .file_end = FILE_MAX,
	},
	{
		.desc = "entry in the bss of the last segment",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(16)) }, .nr_ph = 1,
		.entry = BASE + KIB(12),
		.base = BASE, .filesz = KIB(4), .memsz = KIB(16),
		.ventry = KIB(12), .nr_load = 1,
	},
	{
		.desc = "segment at its file offset (no move)",
		.ph = { LOAD(0, BASE, KIB(8), KIB(8)) }, .nr_ph = 1,
		.base = BASE, .filesz = KIB(8), .memsz = KIB(8), .nr_load = 1,
	},
	{
		.desc = "smaller alignment request",
		.ph = { LOAD(KIB(4), BASE + KIB(4), KIB(4), KIB(4)) },
		.nr_ph = 1, .align = KIB(4), .entry = BASE + KIB(4),
		.base = BASE + KIB(4), .filesz = KIB(4), .memsz = KIB(4),
		.nr_load = 1,
	},
	{
		.desc = "first segment not 2 MiB aligned",
		.ph = { LOAD(KIB(4), BASE + KIB(4), KIB(4), KIB(4)) },
		.nr_ph = 1, .entry = BASE + KIB(4), .ret = -ENOEXEC,
	},
	{
		.desc = "alignment not a power of two",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.align = KIB(12), .ret = -ENOEXEC,
	},
	{
		.desc = "no PT_LOAD",
		.ph = { NOTE(KIB(4), BASE) }, .nr_ph = 1, .ret = -ENOEXEC,
	},
	{
		.desc = "bad magic",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.bad_magic = true, .ret = -ENOEXEC,
	},
	{
		.desc = "ELF32",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.class = ELFCLASS32, .ret = -ENOEXEC,
	},
	{
		.desc = "big endian",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.data = ELFDATA2MSB, .ret = -ENOEXEC,
	},
	{
		.desc = "not an executable",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.type = ET_DYN, .ret = -ENOEXEC,
	},
	{
		.desc = "another machine",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.machine = EM_AARCH64, .ret = -ENOEXEC,
	},
	{
		.desc = "odd program header size",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.phentsize = sizeof(Elf64_Phdr) - 8, .ret = -ENOEXEC,
	},
	{
		.desc = "too many program headers",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.phnum = KX_VMLINUX_PHNUM_MAX + 1, .ret = -ENOEXEC,
	},
	{
		.desc = "program headers past the end",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.phoff = FILE_MAX - 8, .ret = -ENOEXEC,
	},
	{
		.desc = "program header offset overflows",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.phoff = ~0ULL - 8, .ret = -ENOEXEC,
	},
	{
		.desc = "file shorter than an ELF header",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.len = sizeof(Elf64_Ehdr) - 1, .ret = -ENOEXEC,
	},
	{
		.desc = "segment past the end of the file",
		.ph = { LOAD(KIB(4), BASE, FILE_MAX, FILE_MAX) }, .nr_ph = 1,
		.ret = -ENOEXEC,
	},
	{
		.desc = "segment offset overflows",
		.ph = { LOAD(~0ULL - KIB(2), BASE, KIB(4), KIB(4)) },
		.nr_ph = 1, .ret = -ENOEXEC,
	},
	{
		.desc = "filesz larger than memsz",
		.ph = { LOAD(KIB(4), BASE, KIB(8), KIB(4)) }, .nr_ph = 1,
		.ret = -ENOEXEC,
	},
	{
		.desc = "segments out of order",
		.ph = { LOAD(KIB(4), BASE + KIB(64), KIB(4), KIB(4)),
			LOAD(KIB(8), BASE, KIB(4), KIB(4)) },
		.nr_ph = 2, .entry = BASE + KIB(64), .align = KIB(4),
		.ret = -ENOEXEC,
	},
	{
		.desc = "segments overlap in memory",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(8)),
			LOAD(KIB(8), BASE + KIB(4), KIB(4), KIB(4)) },
		.nr_ph = 2, .ret = -ENOEXEC,
	},
	{
		.desc = "segment would have to move up",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)),
			LOAD(KIB(8), BASE + KIB(16), KIB(4), KIB(4)) },
		.nr_ph = 2, .ret = -ENOEXEC,
	},
	{
		.desc = "footprint over 1 GiB",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KX_VMLINUX_MEMSZ_MAX + 1) },
		.nr_ph = 1, .ret = -ENOEXEC,
	},
	{
		.desc = "footprint overflows",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)),
			LOAD(KIB(8), ~0ULL - KIB(4), KIB(4), KIB(4)) },
		.nr_ph = 2, .ret = -ENOEXEC,
	},
	{
		.desc = "entry below the kernel",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(4)) }, .nr_ph = 1,
		.entry = BASE - 1, .ret = -ENOEXEC,
	},
	{
		.desc = "entry past the kernel",
		.ph = { LOAD(KIB(4), BASE, KIB(4), KIB(8)) }, .nr_ph = 1,
		.entry = BASE + KIB(8), .ret = -ENOEXEC,
	},
};

static void vm_case_desc(const struct vm_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vm, vm_cases, vm_case_desc);

/* The pattern byte of segment @i at offset @off into it. */
static u8 vm_byte(unsigned int i, u64 off)
{
	return (u8)(0x10 * (i + 1) + (off % 13) + 1);
}

/* Build the synthetic file of @c into @buf (FILE_MAX bytes). */
static void vm_build(const struct vm_case *c, u8 *buf)
{
	Elf64_Ehdr hdr = { }, *eh = &hdr;
	unsigned int i;
	u64 j;

	memset(buf, 0xee, FILE_MAX);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	if (c->bad_magic)
		eh->e_ident[EI_MAG3] = 'X';
	eh->e_ident[EI_CLASS] = c->class ?: ELFCLASS64;
	eh->e_ident[EI_DATA] = c->data ?: ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = c->type ?: ET_EXEC;
	eh->e_machine = c->machine ?: EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = c->entry ?: BASE;
	eh->e_phoff = c->phoff ?: sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = c->phentsize ?: sizeof(Elf64_Phdr);
	eh->e_phnum = c->phnum ?: c->nr_ph;
	eh->e_shoff = c->shoff;
	eh->e_shnum = c->shnum;
	eh->e_shentsize = c->shnum ? sizeof(Elf64_Shdr) : 0;
	/* Segment data first: the headers win where a test overlaps them. */
	for (i = 0; i < c->nr_ph; i++) {
		const Elf64_Phdr *ph = &c->ph[i];

		if (ph->p_type != PT_LOAD || ph->p_offset >= FILE_MAX)
			continue;
		for (j = 0; j < ph->p_filesz && ph->p_offset + j < FILE_MAX; j++)
			buf[ph->p_offset + j] = vm_byte(i, j);
	}
	memcpy(buf, eh, sizeof(*eh));
	if (eh->e_phoff < FILE_MAX &&
	    c->nr_ph * sizeof(Elf64_Phdr) <= FILE_MAX - eh->e_phoff)
		memcpy(buf + eh->e_phoff, c->ph, c->nr_ph * sizeof(Elf64_Phdr));
	for (i = 0; i < c->shnum; i++) {
		Elf64_Shdr sh = { };
		u64 at = c->shoff + i * sizeof(sh);

		if (i == 1) {
			sh.sh_type = c->sec_type ?: SHT_PROGBITS;
			sh.sh_offset = c->sec_off;
			sh.sh_size = c->sec_size;
		}
		/* Headers past the buffer are cut: the parser must notice. */
		if (at < FILE_MAX)
			memcpy(buf + at, &sh, min_t(u64, sizeof(sh), FILE_MAX - at));
	}
}

static void vm_parse_test(struct kunit *test)
{
	const struct vm_case *c = test->param_value;
	size_t len = c->len ?: FILE_MAX;
	struct kx_vmlinux vm;
	const char *why = "unset";
	unsigned int i;
	u8 *buf, *orig;
	u64 j, pos;
	int ret;

	buf = kunit_kzalloc(test, FILE_MAX, GFP_KERNEL);
	orig = kunit_kzalloc(test, FILE_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, orig);
	vm_build(c, buf);
	memcpy(orig, buf, FILE_MAX);
	ret = kx_vmlinux_parse(buf, len, EM_X86_64, c->align ?: MIB(2), &vm,
			       &why);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		KUNIT_EXPECT_EQ(test, vm.base, 0);
		KUNIT_EXPECT_EQ(test, vm.memsz, 0);
		KUNIT_EXPECT_EQ(test, vm.nr_load, 0);
		KUNIT_EXPECT_EQ(test, memcmp(buf, orig, FILE_MAX), 0);
		return;
	}
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, vm.base, c->base);
	KUNIT_EXPECT_EQ(test, vm.filesz, c->filesz);
	KUNIT_EXPECT_EQ(test, vm.memsz, c->memsz);
	KUNIT_EXPECT_EQ(test, vm.entry, c->ventry);
	KUNIT_EXPECT_EQ(test, vm.nr_load, c->nr_load);
	if (c->file_end)
		KUNIT_EXPECT_EQ(test, vm.file_end, c->file_end);
	KUNIT_EXPECT_LE(test, vm.file_end, (u64)len);

	/* Flatten and check every byte of the image. */
	kx_vmlinux_flatten(buf, &vm);
	pos = 0;
	for (i = 0; i < c->nr_ph; i++) {
		const Elf64_Phdr *ph = &c->ph[i];
		u64 off = ph->p_paddr - vm.base;

		if (ph->p_type != PT_LOAD)
			continue;
		for (j = pos; j < off && !buf[j]; j++)
			;
		KUNIT_ASSERT_EQ_MSG(test, j, off, "gap byte not zero");
		for (j = 0; j < ph->p_filesz; j++)
			if (buf[off + j] != orig[ph->p_offset + j])
				break;
		KUNIT_ASSERT_EQ_MSG(test, j, ph->p_filesz,
				    "segment %u moved wrong", i);
		pos = off + ph->p_filesz;
	}
	KUNIT_EXPECT_EQ(test, pos, vm.filesz);
}

static void vm_null_why_test(struct kunit *test)
{
	struct kx_vmlinux vm;
	u8 buf[16] = { 0 };

	KUNIT_EXPECT_EQ(test, kx_vmlinux_parse(buf, sizeof(buf), EM_X86_64,
					       MIB(2), &vm, NULL), -ENOEXEC);
}

static struct kunit_case vm_test_cases[] = {
	KUNIT_CASE_PARAM(vm_parse_test, vm_gen_params),
	KUNIT_CASE(vm_null_why_test),
	{}
};

static struct kunit_suite vm_test_suite = {
	.name = "kexec_x_vmlinux_elf",
	.test_cases = vm_test_cases,
};

kunit_test_suite(vm_test_suite);

/* With CONFIG_KEXEC_X the tests are part of kexec_x.ko, described by main.c. */
#if !IS_ENABLED(CONFIG_KEXEC_X)
MODULE_DESCRIPTION("KUnit tests for kexec_x");
MODULE_LICENSE("GPL");
#endif
