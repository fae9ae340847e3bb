/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinux_elf.h - an uncompressed kernel (vmlinux, ELF64) as one flat
 * image: what a bzImage's decompressor does with its payload
 * (arch/x86/boot/compressed/misc.c: parse_elf()), done at load time so
 * that the new kernel starts without decompressing itself.
 *
 * Pure code (see kx_lib.h).  The PT_LOAD segments keep their distances:
 * segment i goes to image offset p_paddr(i) - base, base being the lowest
 * p_paddr; gaps between segments are zero; the bss of the last segment is
 * not part of the image but of its memory footprint.  The image is built
 * in place, in the buffer holding the ELF file, as the decompressor does:
 * that works because no segment's offset in the image lies past its offset
 * in the file (checked).
 */
#ifndef _KEXEC_X_VMLINUX_ELF_H
#define _KEXEC_X_VMLINUX_ELF_H

#include "kx_lib.h"

/* Most program headers accepted; x86_64's vmlinux has five. */
#define KX_VMLINUX_PHNUM_MAX	16
/* Largest memory footprint accepted: 1 GiB. */
#define KX_VMLINUX_MEMSZ_MAX	0x40000000ULL

/**
 * struct kx_vmlinux - a parsed vmlinux
 * @base:    lowest PT_LOAD p_paddr (the kernel's link-time physical
 *           address, LOAD_PHYSICAL_ADDR on x86)
 * @filesz:  bytes of the flat image that hold file data: up to the end of
 *           the file part of the highest PT_LOAD
 * @memsz:   bytes the kernel occupies from its load address: up to the end
 *           of the highest PT_LOAD's memory size (bss and brk included)
 * @entry:   entry point as an offset from the load address (e_entry - base)
 * @file_end: bytes of the buffer the ELF file takes: headers, segment data
 *           and sections (SHT_NOBITS aside).  What follows is not part of
 *           it: on x86 the payload's relocation table (arch/x86 kaslr.h).
 *           The whole buffer when the section headers cannot be read.
 * @nr_load: PT_LOAD segments
 */
struct kx_vmlinux {
	u64 base;
	u64 filesz;
	u64 memsz;
	u64 entry;
	u64 file_end;
	unsigned int nr_load;
};

/*
 * Check that @buf (@len bytes) is an executable little-endian ELF64 file
 * for @machine (EM_X86_64, ...) whose PT_LOAD segments can be flattened:
 * at least one, in ascending p_paddr order without overlap, p_filesz <=
 * p_memsz, inside the file, the lowest p_paddr aligned to @align (a power
 * of two), footprint at most KX_VMLINUX_MEMSZ_MAX, e_entry inside the
 * footprint, and every segment's image offset at or below its file offset.
 * Fills *@vm.  Returns 0, or -ENOEXEC with *@why (when @why is non-NULL)
 * saying why in a few words and *@vm zeroed.
 */
int kx_vmlinux_parse(const void *buf, size_t len, u16 machine, u64 align,
		     struct kx_vmlinux *vm, const char **why);

/*
 * Turn @buf, which kx_vmlinux_parse() accepted as @vm, into the flat image
 * of @vm->filesz bytes at its start: every PT_LOAD moved to its image
 * offset, the gaps between segments zeroed.
 */
void kx_vmlinux_flatten(void *buf, const struct kx_vmlinux *vm);

#endif /* _KEXEC_X_VMLINUX_ELF_H */
