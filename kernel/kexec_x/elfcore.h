/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elfcore.h - the ELF pieces of a crash (kdump) image: the ELF core header
 * ("elfcorehdr") the crash kernel builds /proc/vmcore from, the per-CPU
 * register notes it points at, and RAM-minus-exclusions arithmetic.
 *
 * Pure code (see kx_lib.h): the module and the loader build the same
 * header with the same functions.
 *
 * Every range is [start, end): @end is exclusive.  Values are stored in
 * the host's byte order, which is little endian (ELFDATA2LSB) on every
 * kexec_x target.
 */
#ifndef _KEXEC_X_ELFCORE_H
#define _KEXEC_X_ELFCORE_H

#include "kx_lib.h"
#include "place.h"
#include <linux/elf.h>

/* Owner name of the per-CPU NT_PRSTATUS notes, the kernel's "CORE". */
#define KX_ELF_NOTE_CORE	"CORE"

/* The ELF core header is a page-aligned, page-sized-multiple segment. */
#define KX_ELFCORE_ALIGN	KX_PAGE_SIZE

/* Most program headers: e_phnum is 16 bits and PN_XNUM means "more". */
#define KX_ELFCORE_PHNUM_MAX	(PN_XNUM - 1)

/**
 * struct kx_range_iter - walk what is left of RAM after exclusions
 * @ram:    RAM ranges, walked in array order
 * @nr_ram: entries at @ram
 * @ex:     ranges to leave out, in any order, overlapping allowed; empty
 *          ones (start >= end) are ignored
 * @nr_ex:  entries at @ex
 * @i:      RAM range being walked
 * @pos:    nothing below @pos in @ram[@i] is left to report
 *
 * Invariant: every piece reported so far lies inside one RAM range, below
 * @pos when in @ram[@i], and overlaps no exclusion.
 */
struct kx_range_iter {
	const struct kx_range *ram;
	unsigned int nr_ram;
	const struct kx_range *ex;
	unsigned int nr_ex;
	unsigned int i;
	u64 pos;
};

/* Start walking @ram minus @ex; the arrays are not copied. */
void kx_range_iter_init(struct kx_range_iter *it, const struct kx_range *ram,
			unsigned int nr_ram, const struct kx_range *ex,
			unsigned int nr_ex);

/*
 * Store the next piece of RAM left after the exclusions in *@piece and
 * return true, or return false when there is none.  Pieces are maximal:
 * each ends at the end of its RAM range or at the start of an exclusion.
 * They come in RAM array order, ascending inside each RAM range, so in
 * ascending order when the RAM ranges are sorted.  An exclusion in the
 * middle of a RAM range splits it in two; one covering a RAM range
 * removes it; one may reach over several RAM ranges.
 */
bool kx_range_iter_next(struct kx_range_iter *it, struct kx_range *piece);

/**
 * struct kx_elfcore_in - what the ELF core header describes
 * @machine:         e_machine: EM_X86_64 or EM_AARCH64
 * @note_phys:       physical address of each CPU's note buffer
 * @nr_notes:        entries at @note_phys, at least 1
 * @note_size:       bytes of one CPU note buffer, non-zero
 * @vmcoreinfo_phys: physical address of the VMCOREINFO note
 * @vmcoreinfo_size: its size in bytes, non-zero
 * @text_va:         virtual address of the kernel text
 * @text_pa:         physical address of the kernel text
 * @text_size:       bytes of kernel text mapping (_end - _text), or 0 for
 *                   no kernel text PT_LOAD
 * @page_offset:     added (modulo 2^64) to a physical address to get its
 *                   linear map address: PAGE_OFFSET on x86_64; on arm64,
 *                   where __va(pa) = pa - PHYS_OFFSET + PAGE_OFFSET, that
 *                   difference PAGE_OFFSET - PHYS_OFFSET
 * @ram:             System RAM, sorted, non-overlapping (touching is
 *                   fine), every range non-empty; at least one
 * @nr_ram:          entries at @ram
 * @exclude:         ranges not to dump: the crash reservation(s), the
 *                   elfcorehdr segment, ...; any order, may overlap each
 *                   other and reach outside RAM, every range non-empty
 * @nr_exclude:      entries at @exclude
 */
struct kx_elfcore_in {
	u16 machine;
	const u64 *note_phys;
	unsigned int nr_notes;
	u64 note_size;
	u64 vmcoreinfo_phys;
	u64 vmcoreinfo_size;
	u64 text_va;
	u64 text_pa;
	u64 text_size;
	u64 page_offset;
	const struct kx_range *ram;
	unsigned int nr_ram;
	const struct kx_range *exclude;
	unsigned int nr_exclude;
};

/*
 * Bytes kx_elfcore_build() needs at most for @in, page aligned, whatever
 * the exclusions do: each of them splits at most one RAM range in two.
 * Never less than what a successful build uses, so a caller can size the
 * elfcorehdr segment before it knows where the segment goes (and so which
 * range it excludes).
 */
size_t kx_elfcore_max_size(const struct kx_elfcore_in *in);

/*
 * Build the ELF core header for @in in @buf (@size bytes, any alignment):
 *
 *   struct elf64_hdr  ET_CORE, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, @machine;
 *               e_phoff = sizeof(struct elf64_hdr), no section headers
 *   struct elf64_phdr  PT_NOTE per CPU: p_offset = p_paddr = @note_phys[i],
 *               p_filesz = p_memsz = @note_size
 *   struct elf64_phdr  PT_NOTE, likewise for VMCOREINFO
 *   struct elf64_phdr  PT_LOAD for the kernel text when @text_size != 0:
 *               p_vaddr = @text_va, p_offset = p_paddr = @text_pa
 *   struct elf64_phdr  PT_LOAD per piece of @ram minus @exclude, ascending:
 *               p_offset = p_paddr = start, p_vaddr = start + @page_offset,
 *               p_filesz = p_memsz = size
 *
 * Every PT_LOAD has p_flags PF_R | PF_W | PF_X; p_align is 0 throughout.
 * The rest, up to the next page boundary, is zeroed, and *@used (when
 * non-NULL) receives that page-aligned size, at most
 * kx_elfcore_max_size(@in).
 *
 * Returns 0, -EINVAL (@in breaks a rule of struct kx_elfcore_in, a range
 * wraps past 2^64, or there would be more than KX_ELFCORE_PHNUM_MAX
 * program headers) or -ENOSPC (@size is too small).  On error @buf and
 * *@used are left untouched.
 */
int kx_elfcore_build(const struct kx_elfcore_in *in, void *buf, size_t size,
		     size_t *used);

/* Bytes one note with owner @name and @descsz bytes of data takes. */
size_t kx_elf_note_size(const char *name, size_t descsz);

/*
 * Write one ELF note at @buf (@room bytes, any alignment), laid out as the
 * kernel's append_elf_note(): struct elf64_note { n_namesz = strlen(@name) + 1,
 * n_descsz = @descsz, n_type = @type }, @name with its NUL, @desc; name and
 * desc each zero-padded to a multiple of 4 bytes.  Returns the bytes
 * written, kx_elf_note_size(), or 0, writing nothing, when that exceeds
 * @room or @descsz does not fit n_descsz.
 */
size_t kx_elf_note(void *buf, size_t room, const char *name, u32 type,
		   const void *desc, size_t descsz);

/*
 * Write the all-zero struct elf64_note that ends a note list, as the kernel's
 * final_note().  Returns sizeof(struct elf64_note), or 0 if @room is smaller.
 */
size_t kx_elf_note_final(void *buf, size_t room);

/*
 * Bytes of one CPU's note buffer: a "CORE" NT_PRSTATUS note of
 * @prstatus_size bytes (sizeof(struct elf_prstatus), 336 on x86_64) and
 * the terminator; the kernel's sizeof(note_buf_t) for the same size.
 */
size_t kx_crash_note_bytes(size_t prstatus_size);

/*
 * Fill one CPU's note buffer: the "CORE" NT_PRSTATUS note holding
 * @prstatus, then the terminator.  Returns kx_crash_note_bytes(), or 0,
 * writing nothing, when @room is smaller.
 */
size_t kx_crash_note_fill(void *buf, size_t room, const void *prstatus,
			  size_t prstatus_size);

#endif /* _KEXEC_X_ELFCORE_H */
