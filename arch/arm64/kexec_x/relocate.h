/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relocate.h - the arm64 control block, shared by machine.c and relocate.S.
 *
 * The control block is KX_CTRL_PAGES physically contiguous pages outside
 * every destination, allocated at load time and identity mapped:
 *
 *   page 0  a copy of the copy loop (kx_reloc_copy .. kx_reloc_copy_end),
 *           which runs at its physical address
 *   page 1  a copy of kexec_x's EL2 vectors (kx_el2_vectors), 2 KiB
 *           aligned there, installed with HVC_SET_VECTORS on nVHE
 *   page 2  data: the ranges the copy loop cleans to the point of
 *           coherency before it turns the MMU off (every segment and the
 *           control block itself), statistics, and the UART for markers
 */
#ifndef _KEXEC_X_ARM64_RELOCATE_H
#define _KEXEC_X_ARM64_RELOCATE_H

#define KX_CTRL_ORDER		2
#define KX_CTRL_PAGES		(1 << KX_CTRL_ORDER)

#define KX_CTRL_CODE		0x0000		/* page 0 */
#define KX_CTRL_VECTORS		0x1000		/* page 1 */
#define KX_CTRL_DATA		0x2000		/* page 2 */

/* Offsets from KX_CTRL_DATA */
#define KX_DATA_PAGES_COPIED	0x00	/* written by the copy loop */
#define KX_DATA_NR_RANGES	0x08	/* ranges to clean to PoC */
#define KX_DATA_RANGES		0x10	/* { start, end } physical */
#define KX_DATA_MAX_RANGES	32
/*
 * The PL011 for stage markers (stub_debug), 0 for none: its physical
 * address, identity mapped as Device memory while the MMU is on.
 */
#define KX_DATA_UART		0x210

/* How the copy loop enters the new kernel (x6 of kx_relocate_kernel). */
#define KX_ENTER_DIRECT		0	/* br at this exception level */
#define KX_ENTER_HVC		1	/* hvc HVC_SOFT_RESTART: at EL2 */

/* The hyp stub ABI (arch/arm64/include/asm/virt.h, stable since 5.x) */
#define KX_HVC_SET_VECTORS	0
#define KX_HVC_SOFT_RESTART	1
#define KX_HVC_RESET_VECTORS	2
#define KX_HVC_STUB_ERR		0xbadca11

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * relocate.S.  kx_relocate_kernel does not return: it turns the MMU off
 * and enters the new kernel.
 */
void kx_relocate_kernel(u64 head, u64 entry, u64 arg, u64 control_phys,
			u64 ttbr0, u64 tcr_t0, u64 enter);
extern const u8 kx_reloc_copy[], kx_reloc_copy_end[];
extern const u8 kx_el2_vectors[], kx_el2_vectors_end[];
#endif

#endif /* _KEXEC_X_ARM64_RELOCATE_H */
