/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relocate.S - kexec_x's last code on arm64: copy the image into place
 * with the MMU and caches on, clean it to the point of coherency, turn the
 * MMU off and enter the new kernel.
 *
 * kx_relocate_kernel runs on the last CPU with interrupts masked, from the
 * module.  It points TTBR0 at kexec_x's own identity map (machine.c: 4K
 * granule, block mappings of all System RAM and the control block, built
 * at load time), sets only the TTBR0 fields of TCR (T0SZ = 16, 4K granule,
 * write-back caches, inner shareable), keeps everything else of the
 * kernel's TCR (IPS, and DS on a kernel running with LPA2, under which the
 * map's descriptors keep bits [9:8] = 0) and jumps to the identity-mapped
 * copy of kx_reloc_copy in the control block.  The kernel's linear map and
 * its page tables are never used or copied.
 *
 * With the stub_debug module parameter set, kx_reloc_copy writes stage
 * markers to the PL011 (polled) at its physical address, which the
 * identity map maps as Device memory: "kexec_x stub: copy", "copied",
 * then "jump" once the MMU is off.  (The kernel's own mapping of the UART
 * cannot be used: the copy may overwrite the kernel's page tables.)
 *
 * kx_reloc_copy walks the indirection list (kimage.h), copying each source
 * page to its destination once and skipping pages already in place, then
 * cleans every segment and the control block to the PoC, invalidates the
 * instruction cache, turns the MMU and caches off and enters the new
 * kernel with x0 = DTB, x1 = x2 = x3 = 0 (Documentation/arch/arm64/
 * booting.rst): at this exception level, or at EL2 through the hyp stub's
 * HVC_SOFT_RESTART when the kernel runs at EL1 on a machine booted at EL2
 * (nVHE), so that the new kernel starts at EL2 too.
 *
 * kx_el2_vectors is the EL2 vector table machine.c installs (a copy in the
 * control block) with HVC_SET_VECTORS before the copy: the old kernel's
 * hyp stub may lie in a destination and be overwritten.  It implements the
 * stub calls HVC_SOFT_RESTART, HVC_SET_VECTORS and HVC_RESET_VECTORS.
 *
 * kx_arch_call enters a function found through kallsyms with "ret x16",
 * which branch target identification does not check, so the target's
 * landing pad does not matter; it returns straight to our caller.
 */

#include <linux/linkage.h>
#include <asm/assembler.h>

#include "relocate.h"

#define KX_PAGE_SIZE		4096
#define KX_PAGE_MASK		(~(KX_PAGE_SIZE - 1))

/* Indirection list entry flags (kimage.h) */
#define IND_DESTINATION_BIT	0
#define IND_INDIRECTION_BIT	1
#define IND_DONE_BIT		2
#define IND_SOURCE_BIT		3

#define KX_TCR_EPD0		(1 << 7)
#define KX_SCTLR_M		(1 << 0)
#define KX_SCTLR_C		(1 << 2)
#define KX_SCTLR_I		(1 << 12)

	.text

/*
 * void kx_relocate_kernel(u64 head, u64 entry, u64 arg, u64 control_phys,
 *			   u64 ttbr0, u64 tcr_t0, u64 enter)
 *   x0  head of the indirection list
 *   x1  physical entry point
 *   x2  argument of the new kernel (physical address of the DTB)
 *   x3  physical address of the control block
 *   x4  TTBR0 value: root of the identity map
 *   x5  TCR bits [15:0]: T0SZ, EPD0 = 0, IRGN0, ORGN0, SH0, TG0
 *   x6  KX_ENTER_DIRECT or KX_ENTER_HVC
 */
SYM_FUNC_START(kx_relocate_kernel)
	/* No TTBR0 walks while TTBR0 and its TCR fields change. */
	mrs	x9, tcr_el1
	orr	x10, x9, #KX_TCR_EPD0
	msr	tcr_el1, x10
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	ttbr0_el1, x4
	bic	x9, x9, #0xffff
	orr	x9, x9, x5
	msr	tcr_el1, x9
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	/* Leave the module for the identity-mapped copy of kx_reloc_copy. */
	add	x9, x3, #KX_CTRL_CODE
	br	x9
SYM_FUNC_END(kx_relocate_kernel)

/* Stage marker words: up to 8 ASCII bytes, the first in the lowest byte. */
#define KX_W_COPY		0x0a0d79706f63		/* "copy\r\n" */
#define KX_W_COPIED		0x0a0d646569706f63	/* "copied\r\n" */
#define KX_W_JUMP		0x0a0d706d756a		/* "jump\r\n" */
#define KX_W_PREFIX0		0x20785f636578656b	/* "kexec_x " */
#define KX_W_PREFIX1		0x203a62757473		/* "stub: " */

#define KX_PL011_DR		0x00
#define KX_PL011_FR		0x18
#define KX_PL011_FR_TXFF	5

/*
 * "kexec_x stub: <word>" on the PL011 at x19 (nothing when x19 is 0);
 * clobbers x20-x25 and x30.  kx_reloc_copy's callee-saved registers are
 * free: it never returns.
 */
.macro KX_MARK word:req
	mov_q	x25, \word
	bl	.Lmark
.endm

/* Copied to the control block: position independent, no literal pool. */
	.balign	8
SYM_CODE_START(kx_reloc_copy)
	add	x9, x3, #KX_CTRL_DATA
	ldr	x19, [x9, #KX_DATA_UART]
	KX_MARK	KX_W_COPY
	mov	x10, x0			/* current entry */
	mov	x11, xzr		/* address of the next entry */
	mov	x12, xzr		/* current destination */
	mov	x15, xzr		/* pages copied */
.Lloop:
	tbnz	x10, #IND_DONE_BIT, .Ldone
	tbz	x10, #IND_DESTINATION_BIT, 1f
	and	x12, x10, #KX_PAGE_MASK
	b	.Lnext
1:	tbz	x10, #IND_INDIRECTION_BIT, 2f
	and	x11, x10, #KX_PAGE_MASK
	b	.Lnext
2:	tbz	x10, #IND_SOURCE_BIT, .Lnext
	and	x13, x10, #KX_PAGE_MASK
	cmp	x13, x12
	b.eq	4f			/* already in place */
	mov	x14, x12
	mov	x16, #KX_PAGE_SIZE
3:	ldp	x7, x8, [x13], #16
	ldp	x9, x17, [x13], #16
	stp	x7, x8, [x14], #16
	stp	x9, x17, [x14], #16
	subs	x16, x16, #32
	b.ne	3b
	add	x15, x15, #1
4:	add	x12, x12, #KX_PAGE_SIZE
.Lnext:
	ldr	x10, [x11], #8
	b	.Lloop

.Ldone:
	add	x9, x3, #KX_CTRL_DATA
	str	x15, [x9, #KX_DATA_PAGES_COPIED]
	KX_MARK	KX_W_COPIED
	add	x9, x3, #KX_CTRL_DATA

	/* Clean and invalidate every range to the PoC: the MMU goes off. */
	mrs	x13, ctr_el0
	ubfx	x13, x13, #16, #4	/* DminLine: log2 of words */
	mov	x14, #4
	lsl	x14, x14, x13		/* line size in bytes */
	sub	x16, x14, #1
	ldr	x10, [x9, #KX_DATA_NR_RANGES]
	add	x11, x9, #KX_DATA_RANGES
5:	cbz	x10, 8f
	ldp	x12, x13, [x11], #16
	bic	x12, x12, x16
6:	cmp	x12, x13
	b.hs	7f
	dc	civac, x12
	add	x12, x12, x14
	b	6b
7:	sub	x10, x10, #1
	b	5b
8:	dsb	sy
	ic	iallu
	dsb	nsh
	isb

	/* MMU and caches off; this page is identity mapped. */
	mrs	x9, sctlr_el1
	bic	x9, x9, #KX_SCTLR_M
	bic	x9, x9, #KX_SCTLR_C
	bic	x9, x9, #KX_SCTLR_I
	isb
	msr	sctlr_el1, x9
	isb
	ic	iallu
	dsb	nsh
	isb

	KX_MARK	KX_W_JUMP

	cbnz	x6, .Lhvc
	mov	x9, x1
	mov	x0, x2
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x9
.Lhvc:
	/* x1 = entry, x2 = DTB: the new kernel starts at EL2. */
	mov	x0, #KX_HVC_SOFT_RESTART
	mov	x3, xzr
	mov	x4, xzr
	hvc	#0
1:	wfe
	b	1b

/* "kexec_x stub: " and the word in x25; x24 keeps the return address. */
.Lmark:
	cbz	x19, 2f
	mov	x24, x30
	mov_q	x20, KX_W_PREFIX0
	bl	.Lputw
	mov_q	x20, KX_W_PREFIX1
	bl	.Lputw
	mov	x20, x25
	bl	.Lputw
	mov	x30, x24
2:	ret

/* The bytes of x20 up to the first 0, polled out of the PL011 at x19. */
.Lputw:
	ands	x21, x20, #0xff
	b.eq	2f
1:	ldr	w22, [x19, #KX_PL011_FR]
	tbnz	w22, #KX_PL011_FR_TXFF, 1b
	str	w21, [x19, #KX_PL011_DR]
	lsr	x20, x20, #8
	b	.Lputw
2:	ret
SYM_CODE_END(kx_reloc_copy)
	.globl	kx_reloc_copy_end
kx_reloc_copy_end:

/*
 * EL2 vectors, copied to a 2 KiB aligned page of the control block.  Only
 * a synchronous exception from EL1 (hvc) is expected; anything else parks
 * the CPU.  EL2's MMU is off under the hyp stub.
 */
	.balign	2048
SYM_CODE_START(kx_el2_vectors)
	.rept	8			/* current EL: SP0, SPx */
	b	.
	.balign	128
	.endr
	/* 0x400: synchronous, lower EL, AArch64 */
	cmp	x0, #KX_HVC_SOFT_RESTART
	b.ne	1f
	mrs	x5, sctlr_el2
	bic	x5, x5, #KX_SCTLR_M
	bic	x5, x5, #KX_SCTLR_C
	msr	sctlr_el2, x5
	isb
	mov	x5, x1
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	br	x5
1:	cmp	x0, #KX_HVC_SET_VECTORS
	b.ne	2f
	msr	vbar_el2, x1
	isb
	mov	x0, xzr
	eret
2:	cmp	x0, #KX_HVC_RESET_VECTORS
	b.ne	3f
	mov	x0, xzr
	eret
3:	movz	x0, #(KX_HVC_STUB_ERR & 0xffff)
	movk	x0, #(KX_HVC_STUB_ERR >> 16), lsl #16
	eret
	.balign	128
	.rept	7			/* lower EL AArch64 irq..serror, AArch32 */
	b	.
	.balign	128
	.endr
SYM_CODE_END(kx_el2_vectors)
	.globl	kx_el2_vectors_end
kx_el2_vectors_end:

/*
 * unsigned long kx_arch_call(void *fn, unsigned long a0, unsigned long a1,
 *			      unsigned long a2)
 */
SYM_FUNC_START(kx_arch_call)
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	ret	x16
SYM_FUNC_END(kx_arch_call)
