// SPDX-License-Identifier: GPL-2.0
/*
 * vmlinux_elf.c - flatten an uncompressed kernel's PT_LOAD segments into
 * one image, as the x86 decompressor's parse_elf() does (see
 * vmlinux_elf.h).
 */
#include "kx_lib.h"
#include "vmlinux_elf.h"
#include <linux/elf.h>

static int kx_vm_fail(struct kx_vmlinux *vm, const char **why,
		      const char *reason)
{
	memset(vm, 0, sizeof(*vm));
	if (why)
		*why = reason;
	return -ENOEXEC;
}

static const Elf64_Phdr *kx_vm_phdr(const void *buf, const Elf64_Ehdr *eh,
				    unsigned int i, Elf64_Phdr *tmp)
{
	memcpy(tmp, (const u8 *)buf + eh->e_phoff + (u64)i * sizeof(*tmp),
	       sizeof(*tmp));
	return tmp;
}

static const char *kx_vm_ehdr(const void *buf, size_t len, u16 machine,
			      Elf64_Ehdr *eh)
{
	if (len < sizeof(*eh))
		return "shorter than an ELF header";
	memcpy(eh, buf, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return "no ELF magic";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return "not ELF64";
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return "not little endian";
	if (eh->e_type != ET_EXEC)
		return "not an executable";
	if (eh->e_machine != machine)
		return "for another machine";
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "odd program header size";
	if (!eh->e_phnum || eh->e_phnum > KX_VMLINUX_PHNUM_MAX)
		return "no or too many program headers";
	if (eh->e_phoff > len ||
	    (u64)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return "program headers past the end of the file";
	return NULL;
}

/*
 * Where the ELF file in @buf ends: past its headers, its segments'
 * file data and its sections' (what follows is not part of it).  @end:
 * the end of the PT_LOAD data.  @len when the section headers cannot be
 * read, or use extended numbering: the file may then be all of @buf.
 */
static u64 kx_vm_file_end(const void *buf, size_t len, const Elf64_Ehdr *eh,
			  u64 end)
{
	const u8 *p = buf;
	Elf64_Shdr sh;
	unsigned int i;

	end = max_t(u64, end, sizeof(*eh));
	end = max_t(u64, end, eh->e_phoff + (u64)eh->e_phnum * sizeof(Elf64_Phdr));
	if (!eh->e_shnum)
		return eh->e_shoff ? len : end;
	if (eh->e_shentsize != sizeof(sh) || eh->e_shoff > len ||
	    (u64)eh->e_shnum * sizeof(sh) > len - eh->e_shoff)
		return len;
	end = max_t(u64, end, eh->e_shoff + (u64)eh->e_shnum * sizeof(sh));
	for (i = 0; i < eh->e_shnum; i++) {
		memcpy(&sh, p + eh->e_shoff + (u64)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
			return len;
		end = max_t(u64, end, sh.sh_offset + sh.sh_size);
	}
	return end;
}

int kx_vmlinux_parse(const void *buf, size_t len, u16 machine, u64 align,
		     struct kx_vmlinux *vm, const char **why)
{
	u64 end = 0, fend = 0, data_end = 0;
	const Elf64_Phdr *ph;
	const char *reason;
	Elf64_Ehdr eh;
	Elf64_Phdr tmp;
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	if (why)
		*why = NULL;
	reason = kx_vm_ehdr(buf, len, machine, &eh);
	if (reason)
		return kx_vm_fail(vm, why, reason);
	if (!align || (align & (align - 1)))
		return kx_vm_fail(vm, why, "bad alignment request");

	for (i = 0; i < eh.e_phnum; i++) {
		u64 off;

		ph = kx_vm_phdr(buf, &eh, i, &tmp);
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz)
			return kx_vm_fail(vm, why, "segment larger in the file than in memory");
		if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
			return kx_vm_fail(vm, why, "segment past the end of the file");
		if (!vm->nr_load) {
			if (!IS_ALIGNED(ph->p_paddr, align))
				return kx_vm_fail(vm, why, "first segment not aligned");
			vm->base = ph->p_paddr;
		} else if (ph->p_paddr < vm->base + end) {
			return kx_vm_fail(vm, why, "segments out of order or overlapping");
		}
		off = ph->p_paddr - vm->base;
		if (ph->p_memsz > KX_VMLINUX_MEMSZ_MAX ||
		    off > KX_VMLINUX_MEMSZ_MAX - ph->p_memsz)
			return kx_vm_fail(vm, why, "kernel too large");
		if (off > ph->p_offset)
			return kx_vm_fail(vm, why, "segment cannot move down in place");
		end = off + ph->p_memsz;
		fend = off + ph->p_filesz;
		data_end = max(data_end, ph->p_offset + ph->p_filesz);
		vm->nr_load++;
	}
	if (!vm->nr_load)
		return kx_vm_fail(vm, why, "no PT_LOAD segment");
	if (eh.e_entry < vm->base || eh.e_entry - vm->base >= end)
		return kx_vm_fail(vm, why, "entry point outside the kernel");
	vm->entry = eh.e_entry - vm->base;
	vm->memsz = end;
	vm->filesz = fend;
	vm->file_end = kx_vm_file_end(buf, len, &eh, data_end);
	return 0;
}

void kx_vmlinux_flatten(void *buf, const struct kx_vmlinux *vm)
{
	struct { u64 off, src, len; } ld[KX_VMLINUX_PHNUM_MAX];
	const Elf64_Ehdr *eh = buf;
	unsigned int i, n = 0;
	Elf64_Phdr tmp;
	u64 done = 0;
	u8 *img = buf;

	/* Read the headers first: the first move may overwrite them. */
	for (i = 0; i < eh->e_phnum && n < ARRAY_SIZE(ld); i++) {
		const Elf64_Phdr *ph = kx_vm_phdr(buf, eh, i, &tmp);

		if (ph->p_type != PT_LOAD)
			continue;
		ld[n].off = ph->p_paddr - vm->base;
		ld[n].src = ph->p_offset;
		ld[n].len = ph->p_filesz;
		n++;
	}
	for (i = 0; i < n; i++) {
		/* The gap lies below every later source (parse checked). */
		if (ld[i].off > done)
			memset(img + done, 0, ld[i].off - done);
		memmove(img + ld[i].off, img + ld[i].src, ld[i].len);
		/* A bss before the next segment is zeroed as part of its gap. */
		done = ld[i].off + ld[i].len;
	}
}
