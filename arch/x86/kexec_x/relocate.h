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
 *   page 2    data: GDT, GDT and IDT pointers, mode, statistics, the
 *             state a rehearsal restores, the rehearsal's IDT
 *   page 3    stack
 *
 * Modes (KX_DATA_MODE), set by machine.c before it enters the stub:
 *   KX_MODE_REHEARSE  after the copy, go back to the running kernel instead
 *                     of entering the new one: restore the registers saved
 *                     on entry and return to the caller (a rehearsal,
 *                     whose list points every destination at scratch
 *                     pages)
 *   KX_MODE_SERIAL    write stage markers to the 8250 UART at KX_UART_BASE
 *                     (the stub_debug module parameter)
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
#define KX_DATA_MODE		0x48	/* KX_MODE_* */
#define KX_DATA_TSC_BEFORE	0x50	/* rdtsc before the copy loop */
#define KX_DATA_TSC_AFTER	0x58	/* rdtsc after it */
#define KX_DATA_CODE_VA		0x60	/* module address of the code pages */
#define KX_DATA_CTRL_VA		0x68	/* kernel address of the control block */
/* Saved on entry in KX_MODE_REHEARSE, restored before the return. */
#define KX_DATA_SAVE_RSP	0x70
#define KX_DATA_SAVE_CR0	0x78
#define KX_DATA_SAVE_CR3	0x80
#define KX_DATA_SAVE_CR4	0x88
#define KX_DATA_SAVE_GDT	0x90	/* 10 bytes, sgdt */
#define KX_DATA_SAVE_IDT	0xa0	/* 10 bytes, sidt */
#define KX_DATA_SAVE_FS_BASE	0xb0
#define KX_DATA_SAVE_GS_BASE	0xb8
#define KX_DATA_SAVE_SEL	0xc0	/* ds, es, ss, fs, gs: 2 bytes each */
#define KX_DATA_SAVE_XCR0	0xd0	/* when CR4.OSXSAVE was set */
#define KX_DATA_REH_IDT_PTR	0xe0	/* the rehearsal's IDT: NMI only */
#define KX_DATA_REH_IDT		0x100	/* vectors 0-2, 16 bytes each */
#define KX_REH_IDT_VECTORS	3

#define KX_MODE_REHEARSE	0x1
#define KX_MODE_SERIAL		0x2

#define KX_UART_BASE		0x3f8	/* COM1 */

#define KX_BOOT_CS		0x10	/* boot protocol __BOOT_CS */
#define KX_BOOT_DS		0x18	/* boot protocol __BOOT_DS */

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * relocate.S.  kx_relocate_kernel returns only in KX_MODE_REHEARSE, with
 * every register the C calling convention preserves, CR0, CR3, CR4, GDT,
 * IDT, segment registers and the FS and GS bases as they were; otherwise
 * it does not return (machine.c, which says so with unreachable()).
 * @control_va is the control block's kernel address.
 */
void kx_relocate_kernel(u64 head, u64 arg, u64 entry, u64 control_phys,
			u64 pgd_phys, void *control_va);
/* The rehearsal's NMI handler (an iretq), inside the copied code pages. */
extern const u8 kx_stub_nmi[];
extern const u8 kx_relocate_kernel_end[];
#endif

#endif /* _KEXEC_X_X86_RELOCATE_H */
