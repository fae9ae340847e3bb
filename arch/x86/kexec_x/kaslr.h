/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kaslr.h - virtual KASLR for a kernel kexec_x unpacked at load time.
 *
 * A bzImage's decompressor (arch/x86/boot/compressed/kaslr.c and misc.c)
 * picks a random virtual base for the kernel and applies the relocation
 * table that travels at the end of its payload; the kernel then finds its
 * offset from where it runs.  A kernel that kexec_x unpacks at load never
 * runs its decompressor, so kexec_x does the same two steps itself:
 *
 *   kx_x86_kaslr_delta()     a 2 MiB-aligned offset such that the kernel
 *                            stays inside the kernel image area, as
 *                            find_random_virt_addr() picks it
 *   kx_x86_relocs_apply()    the relocation table of vmlinux.relocs
 *                            (arch/x86/tools/relocs.c) applied to the flat
 *                            image, as handle_relocations() does
 *
 * The table is what follows the vmlinux ELF file in the payload
 * (vmlinux.bin.all = vmlinux.bin + vmlinux.relocs), u32 words read from
 * the end backwards:
 *
 *   0, 64-bit relocations..., 0, inverse 32-bit..., 0, 32-bit...  (end)
 *
 * each word the low 32 bits of the kernel virtual address of a place to
 * patch (sign-extended: __START_KERNEL_map and up): +delta on the 32 and
 * 64-bit places, -delta on the inverse (PC-relative references from the
 * per-CPU area into the kernel).  Pure code (kx_lib.h).
 */
#ifndef _KEXEC_X_X86_KASLR_H
#define _KEXEC_X_X86_KASLR_H

#include "kx_lib.h"

/* __START_KERNEL_map: the kernel's virtual address of physical 0. */
#define KX_X86_START_KERNEL_MAP		0xffffffff80000000ULL
/*
 * KERNEL_IMAGE_SIZE of a kernel with RANDOMIZE_BASE: the only kernels
 * whose payload carries a relocation table (X86_NEED_RELOCS).
 */
#define KX_X86_KERNEL_IMAGE_SIZE	0x40000000ULL
/* CONFIG_PHYSICAL_ALIGN of Debian's kernels, and the minimum of any. */
#define KX_X86_KASLR_ALIGN		0x200000ULL

/**
 * struct kx_x86_relocs - a relocation table, checked
 * @nr32:    32-bit relocations
 * @nr_inv:  inverse 32-bit relocations
 * @nr64:    64-bit relocations
 */
struct kx_x86_relocs {
	u32 nr32;
	u32 nr_inv;
	u32 nr64;
};

/*
 * The offset from @base (the kernel's link-time physical and virtual
 * offset, LOAD_PHYSICAL_ADDR) to a random virtual base: one of the
 * @align-aligned slots from @base up to where a kernel of @size bytes
 * still ends inside KX_X86_KERNEL_IMAGE_SIZE, chosen by @random.  0 (the
 * link-time base) when no other slot fits, or @align is not a power of
 * two.
 */
u64 kx_x86_kaslr_delta(u64 base, u64 size, u64 align, u64 random);

/*
 * Check the relocation table at @table (@table_len bytes) against a flat
 * kernel image of @image_len bytes linked at virtual address
 * KX_X86_START_KERNEL_MAP + @base: the three lists end exactly at the
 * table's start, and every place lies inside the image.  Then, when
 * @delta is not 0, patch @image for a kernel moved @delta bytes up.
 * Nothing is patched unless the whole table is valid.  Fills *@r.
 * Returns 0, or -ENOEXEC with *@why (when @why is non-NULL) saying why.
 */
int kx_x86_relocs_apply(u8 *image, u64 image_len, u64 base,
			const u8 *table, u64 table_len, u64 delta,
			struct kx_x86_relocs *r, const char **why);

/*
 * Whether @cmdline (at most @len bytes, up to a NUL) holds the word
 * "nokaslr", words being separated by white space: what the decompressor's
 * cmdline_find_option_bool("nokaslr") finds (no quoting, no "--").
 */
bool kx_x86_cmdline_nokaslr(const char *cmdline, size_t len);

#endif /* _KEXEC_X_X86_KASLR_H */
