// SPDX-License-Identifier: GPL-2.0
/*
 * elfcore.c - the ELF core header and CPU notes of a crash image.
 *
 * Pure code (see kx_lib.h), shared by the module and the loader.
 *
 * RAM minus exclusions is computed by walking, never by editing a range
 * list in place: kx_range_iter_next() finds the lowest address left in the
 * current RAM range, then the first exclusion start above it.  The header
 * is built in two passes over the same walk, one counting program headers
 * (so that the size is known before anything is written) and one writing
 * them, so the two cannot disagree.
 */
#include "kx_lib.h"
#include "elfcore.h"

/* ---- RAM minus exclusions ---- */

void kx_range_iter_init(struct kx_range_iter *it, const struct kx_range *ram,
			unsigned int nr_ram, const struct kx_range *ex,
			unsigned int nr_ex)
{
	memset(it, 0, sizeof(*it));
	it->ram = ram;
	it->nr_ram = nr_ram;
	it->ex = ex;
	it->nr_ex = nr_ex;
}

/*
 * Lowest address at or above @s that no exclusion covers.  A jump moves @s
 * to the end of the exclusion covering it and @s never decreases, so that
 * exclusion never covers @s again: at most @nr jumps, @nr + 1 passes.
 */
static u64 kx_skip_excluded(const struct kx_range *ex, unsigned int nr, u64 s)
{
	unsigned int i;
	bool moved;

	do {
		moved = false;
		for (i = 0; i < nr; i++) {
			if (ex[i].start <= s && s < ex[i].end) {
				s = ex[i].end;
				moved = true;
			}
		}
	} while (moved);
	return s;
}

/*
 * End of the piece that starts at @s (which no exclusion covers) inside a
 * RAM range ending at @end: the lowest start of a non-empty exclusion
 * above @s, or @end.  No exclusion then overlaps [@s, result): one starting
 * at or below @s would cover @s, one starting above is cut off.
 */
static u64 kx_piece_end(const struct kx_range *ex, unsigned int nr, u64 s,
			u64 end)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ex[i].start < ex[i].end && ex[i].start > s)
			end = min(end, ex[i].start);
	return end;
}

bool kx_range_iter_next(struct kx_range_iter *it, struct kx_range *piece)
{
	const struct kx_range *r;
	u64 s;

	for (; it->i < it->nr_ram; it->i++, it->pos = 0) {
		r = &it->ram[it->i];
		s = kx_skip_excluded(it->ex, it->nr_ex, max(it->pos, r->start));
		if (s >= r->end)
			continue;
		piece->start = s;
		piece->end = kx_piece_end(it->ex, it->nr_ex, s, r->end);
		it->pos = piece->end;
		return true;
	}
	return false;
}

/* ---- ELF core header ---- */

/* True when [start, start + size) does not fit below 2^64. */
static bool kx_wraps(u64 start, u64 size)
{
	return start + size < start;
}

/* RAM is non-empty, sorted, without overlaps and without empty ranges. */
static bool kx_elfcore_ram_ok(const struct kx_range *ram, unsigned int nr)
{
	unsigned int i;

	if (!nr)
		return false;
	for (i = 0; i < nr; i++) {
		if (ram[i].start >= ram[i].end)
			return false;
		if (i && ram[i - 1].end > ram[i].start)
			return false;
	}
	return true;
}

static bool kx_ranges_nonempty(const struct kx_range *r, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (r[i].start >= r[i].end)
			return false;
	return true;
}

static bool kx_elfcore_in_ok(const struct kx_elfcore_in *in)
{
	unsigned int i;

	if (in->machine != EM_X86_64 && in->machine != EM_AARCH64)
		return false;
	if (!in->nr_notes || !in->note_size || !in->vmcoreinfo_size)
		return false;
	for (i = 0; i < in->nr_notes; i++)
		if (kx_wraps(in->note_phys[i], in->note_size))
			return false;
	if (kx_wraps(in->vmcoreinfo_phys, in->vmcoreinfo_size))
		return false;
	if (in->text_size && (kx_wraps(in->text_pa, in->text_size) ||
			      kx_wraps(in->text_va, in->text_size)))
		return false;
	return kx_elfcore_ram_ok(in->ram, in->nr_ram) &&
	       kx_ranges_nonempty(in->exclude, in->nr_exclude);
}

/* Program headers that do not depend on RAM: notes, VMCOREINFO, text. */
static u64 kx_elfcore_fixed_phnum(const struct kx_elfcore_in *in)
{
	return (u64)in->nr_notes + 1 + (in->text_size ? 1 : 0);
}

/* Page-aligned bytes of a header with @phnum program headers. */
static u64 kx_elfcore_bytes(u64 phnum)
{
	u64 bytes = sizeof(struct elf64_hdr) + phnum * sizeof(struct elf64_phdr);

	return ALIGN(bytes, KX_ELFCORE_ALIGN);
}

size_t kx_elfcore_max_size(const struct kx_elfcore_in *in)
{
	u64 phnum = kx_elfcore_fixed_phnum(in) + in->nr_ram + in->nr_exclude;

	/* A build with more program headers fails, so it needs no room. */
	return kx_elfcore_bytes(min_t(u64, phnum, KX_ELFCORE_PHNUM_MAX));
}

/* Number of PT_LOADs for RAM: pieces of RAM left after the exclusions. */
static u64 kx_elfcore_nr_loads(const struct kx_elfcore_in *in)
{
	struct kx_range_iter it;
	struct kx_range piece;
	u64 n = 0;

	kx_range_iter_init(&it, in->ram, in->nr_ram, in->exclude,
			   in->nr_exclude);
	while (kx_range_iter_next(&it, &piece))
		n++;
	return n;
}

static u8 *kx_put_ehdr(u8 *p, u16 machine, u16 phnum)
{
	struct elf64_hdr eh;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(struct elf64_hdr);
	eh.e_ehsize = sizeof(struct elf64_hdr);
	eh.e_phentsize = sizeof(struct elf64_phdr);
	eh.e_phnum = phnum;
	memcpy(p, &eh, sizeof(eh));
	return p + sizeof(eh);
}

/* One program header; p_offset is the physical address, as kdump wants. */
static u8 *kx_put_phdr(u8 *p, u32 type, u64 vaddr, u64 paddr, u64 size)
{
	struct elf64_phdr ph;

	memset(&ph, 0, sizeof(ph));
	ph.p_type = type;
	if (type == PT_LOAD)
		ph.p_flags = PF_R | PF_W | PF_X;
	ph.p_offset = paddr;
	ph.p_vaddr = vaddr;
	ph.p_paddr = paddr;
	ph.p_filesz = size;
	ph.p_memsz = size;
	memcpy(p, &ph, sizeof(ph));
	return p + sizeof(ph);
}

/* Write the program headers, in the order kx_elfcore_build() documents. */
static void kx_put_phdrs(const struct kx_elfcore_in *in, u8 *p)
{
	struct kx_range_iter it;
	struct kx_range piece;
	unsigned int i;

	for (i = 0; i < in->nr_notes; i++)
		p = kx_put_phdr(p, PT_NOTE, 0, in->note_phys[i], in->note_size);
	p = kx_put_phdr(p, PT_NOTE, 0, in->vmcoreinfo_phys,
			in->vmcoreinfo_size);
	if (in->text_size)
		p = kx_put_phdr(p, PT_LOAD, in->text_va, in->text_pa,
				in->text_size);

	kx_range_iter_init(&it, in->ram, in->nr_ram, in->exclude,
			   in->nr_exclude);
	while (kx_range_iter_next(&it, &piece))
		p = kx_put_phdr(p, PT_LOAD, piece.start + in->page_offset,
				piece.start, piece.end - piece.start);
}

int kx_elfcore_build(const struct kx_elfcore_in *in, void *buf, size_t size,
		     size_t *used)
{
	u64 phnum, need;

	if (!kx_elfcore_in_ok(in))
		return -EINVAL;
	phnum = kx_elfcore_fixed_phnum(in) + kx_elfcore_nr_loads(in);
	if (phnum > KX_ELFCORE_PHNUM_MAX)
		return -EINVAL;
	need = kx_elfcore_bytes(phnum);
	if (size < need)
		return -ENOSPC;

	memset(buf, 0, need);
	kx_put_phdrs(in, kx_put_ehdr(buf, in->machine, phnum));
	if (used)
		*used = need;
	return 0;
}

/* ---- notes ---- */

/* Largest n_namesz or n_descsz: both are 32-bit fields. */
#define KX_NOTE_FIELD_MAX	0xffffffffULL

size_t kx_elf_note_size(const char *name, size_t descsz)
{
	return sizeof(struct elf64_note) + ALIGN(strlen(name) + 1, 4) +
	       ALIGN(descsz, 4);
}

size_t kx_elf_note(void *buf, size_t room, const char *name, u32 type,
		   const void *desc, size_t descsz)
{
	size_t namesz = strlen(name) + 1, len;
	struct elf64_note nh;
	u8 *p = buf;

	if ((u64)namesz > KX_NOTE_FIELD_MAX || (u64)descsz > KX_NOTE_FIELD_MAX)
		return 0;
	len = kx_elf_note_size(name, descsz);
	if (len > room)
		return 0;

	/* Zero first: the padding after name and desc must read as 0. */
	memset(p, 0, len);
	nh.n_namesz = namesz;
	nh.n_descsz = descsz;
	nh.n_type = type;
	memcpy(p, &nh, sizeof(nh));
	p += sizeof(nh);
	memcpy(p, name, namesz);
	p += ALIGN(namesz, 4);
	if (descsz)
		memcpy(p, desc, descsz);
	return len;
}

size_t kx_elf_note_final(void *buf, size_t room)
{
	if (room < sizeof(struct elf64_note))
		return 0;
	memset(buf, 0, sizeof(struct elf64_note));
	return sizeof(struct elf64_note);
}

size_t kx_crash_note_bytes(size_t prstatus_size)
{
	return kx_elf_note_size(KX_ELF_NOTE_CORE, prstatus_size) +
	       sizeof(struct elf64_note);
}

size_t kx_crash_note_fill(void *buf, size_t room, const void *prstatus,
			  size_t prstatus_size)
{
	size_t n;

	if ((u64)prstatus_size > KX_NOTE_FIELD_MAX ||
	    kx_crash_note_bytes(prstatus_size) > room)
		return 0;
	n = kx_elf_note(buf, room, KX_ELF_NOTE_CORE, NT_PRSTATUS, prstatus,
			prstatus_size);
	return n + kx_elf_note_final((u8 *)buf + n, room - n);
}
