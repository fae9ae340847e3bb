/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relocate.h - the x86_64 control block, shared by machine.c and relocate.S.
 *
 * The control block is KX_CTRL_PAGES physically contiguous pages outside
 * every destination, allocated at load time:
 *
 *   page 0-1  a copy of the module pages holding kx_relocate_kernel, at the
 *             same offsets, so the code keeps running at its module
 *             address through a transition mapping and can then jump to
 *             its identity-mapped copy here
 *   page 2    data: GDT, GDT and IDT pointers, statistics
 *   page 3    stack
 */
#ifndef _KEXEC_X_X86_RELOCATE_H
#define _KEXEC_X_X86_RELOCATE_H

#define KX_CTRL_ORDER		2
#define KX_CTRL_PAGES		(1 << KX_CTRL_ORDER)
#define KX_CTRL_CODE_PAGES	2

#define KX_CTRL_DATA		0x2000		/* page 2 */
#define KX_CTRL_STACK_TOP	0x4000		/* end of page 3 */

/* Offsets from KX_CTRL_DATA */
#define KX_DATA_GDT		0x00	/* 4 descriptors: null, null, CS, DS */
#define KX_DATA_GDT_PTR		0x20	/* limit (2 bytes), base (8 bytes) */
#define KX_DATA_IDT_PTR		0x30	/* limit 0: any exception resets */
#define KX_DATA_PAGES_COPIED	0x40	/* written by the stub */

#define KX_BOOT_CS		0x10	/* boot protocol __BOOT_CS */
#define KX_BOOT_DS		0x18	/* boot protocol __BOOT_DS */

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * relocate.S.  kx_relocate_kernel does not return; it is not declared
 * __noreturn so that objtool, which cannot see into another object, is
 * told so by the unreachable() after the call.
 */
void kx_relocate_kernel(u64 head, u64 arg, u64 entry, u64 control_phys,
			u64 pgd_phys);
extern const u8 kx_relocate_kernel_end[];
#endif

#endif /* _KEXEC_X_X86_RELOCATE_H */
