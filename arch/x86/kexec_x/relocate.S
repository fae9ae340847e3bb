/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relocate.S - kexec_x's last code on x86_64: copy the image into place
 * and enter the new kernel.
 *
 * kx_relocate_kernel runs on the last CPU, interrupts off, after the
 * machine was shut down.  It switches to identity page tables built at load
 * time (machine.c), which also map the module page holding this code onto a
 * copy of it in the control block (relocate.h).  It then leaves the module
 * for that identity-mapped copy, loads its own flat GDT and an empty IDT
 * (any fault now resets the machine instead of running old-kernel code),
 * walks the indirection list copying each source page to its destination
 * exactly once (pages already at their destination are skipped), and jumps
 * to the new kernel's 64-bit entry with %rsi = boot_params, as the x86 boot
 * protocol asks: paging on, identity mapped, flat __BOOT_CS/__BOOT_DS.
 *
 * Only the control block and the page tables are used once the copy
 * starts: neither lies inside a destination (kimage.h), so the copy cannot
 * overwrite the code doing it.
 *
 * kx_arch_call reaches a kernel function found through kallsyms with a
 * return instead of an indirect call, so that it works when the kernel
 * sealed the function's ENDBR64 (IBT): returns are not subject to IBT.
 */

#include <linux/linkage.h>
#include <linux/objtool.h>
#include <linux/version.h>
#include <asm/nospec-branch.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/unwind_hints.h>

#include "relocate.h"

/* Indirection list entry flags (kimage.h) */
#define IND_DESTINATION		0x1
#define IND_INDIRECTION		0x2
#define IND_DONE		0x4
#define IND_SOURCE		0x8

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define KX_UNWIND_HINT_END	UNWIND_HINT_END_OF_STACK
#else
#define KX_UNWIND_HINT_END	UNWIND_HINT_EMPTY
#endif

	.text
	.code64

/*
 * void kx_relocate_kernel(u64 head, u64 arg, u64 entry, u64 control_phys,
 *			   u64 pgd_phys)
 *   %rdi  head of the indirection list
 *   %rsi  argument of the new kernel (the physical address of boot_params)
 *   %rdx  physical entry point
 *   %rcx  physical address of the control block
 *   %r8   physical address of the identity page tables' root
 */
SYM_CODE_START_NOALIGN(kx_relocate_kernel)
	KX_UNWIND_HINT_END
	ANNOTATE_NOENDBR
	movq	%rdi, %r12
	movq	%rsi, %r13
	movq	%rdx, %r14
	movq	%rcx, %r15

	/* CET off: what follows jumps to code without ENDBR64. */
	movq	%cr4, %rax
	andq	$~X86_CR4_CET, %rax
	movq	%rax, %cr4

	/*
	 * The identity tables map this page at its module address onto the
	 * control block's copy: the next instruction comes from the copy.
	 */
	movq	%r8, %cr3

	lgdt	(KX_CTRL_DATA + KX_DATA_GDT_PTR)(%r15)
	lidt	(KX_CTRL_DATA + KX_DATA_IDT_PTR)(%r15)
	leaq	KX_CTRL_STACK_TOP(%r15), %rsp

	/* Far return to the identity address of .Lidentity, with __BOOT_CS. */
	leaq	.Lidentity(%rip), %rax
	leaq	kx_relocate_kernel(%rip), %rbx
	andq	$PAGE_MASK, %rbx
	subq	%rbx, %rax
	addq	%r15, %rax
	pushq	$KX_BOOT_CS
	pushq	%rax
	lretq

.Lidentity:
	KX_UNWIND_HINT_END
	movl	$KX_BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Paging and protection on, caches on, no WP/AM/TS/EM. */
	movq	%cr0, %rax
	andq	$~(X86_CR0_AM | X86_CR0_WP | X86_CR0_TS | X86_CR0_EM | \
		   X86_CR0_CD | X86_CR0_NW), %rax
	orl	$(X86_CR0_PG | X86_CR0_PE), %eax
	movq	%rax, %cr0

	/*
	 * CR4: keep PAE and LA57 (neither may change with paging on); dropping
	 * PGE flushes global TLB entries of the old kernel.
	 */
	movq	%cr4, %rax
	andq	$(X86_CR4_PAE | X86_CR4_LA57), %rax
	movq	%rax, %cr4
	movq	%cr3, %rax
	movq	%rax, %cr3

	/*
	 * Walk the indirection list.
	 *   %r8   current entry       %r9   next entry's address
	 *   %r10  current destination %r11  pages copied
	 */
	movq	%r12, %r8
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
.Lloop:
	testq	$IND_DONE, %r8
	jnz	.Ldone
	testq	$IND_DESTINATION, %r8
	jz	.Lnot_dest
	movq	%r8, %r10
	andq	$PAGE_MASK, %r10
	jmp	.Lnext
.Lnot_dest:
	testq	$IND_INDIRECTION, %r8
	jz	.Lnot_ind
	movq	%r8, %r9
	andq	$PAGE_MASK, %r9
	jmp	.Lnext
.Lnot_ind:
	testq	$IND_SOURCE, %r8
	jz	.Lnext
	movq	%r8, %rsi
	andq	$PAGE_MASK, %rsi
	cmpq	%rsi, %r10
	je	.Lin_place
	movq	%r10, %rdi
	movl	$(PAGE_SIZE / 8), %ecx
	rep movsq
	incq	%r11
.Lin_place:
	addq	$PAGE_SIZE, %r10
.Lnext:
	movq	(%r9), %r8
	addq	$8, %r9
	jmp	.Lloop

.Ldone:
	movq	%r11, (KX_CTRL_DATA + KX_DATA_PAGES_COPIED)(%r15)

	/* Enter the new kernel: %rsi = boot_params, nothing else leaks. */
	movq	%r13, %rsi
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r15d, %r15d
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%r14
	int3
SYM_CODE_END(kx_relocate_kernel)
	/* machine.c copies every page from kx_relocate_kernel to here. */
	.globl	kx_relocate_kernel_end
kx_relocate_kernel_end:

/*
 * unsigned long kx_arch_call(void *fn, unsigned long a0, unsigned long a1,
 *			      unsigned long a2)
 *
 * Tail-calls fn(a0, a1, a2) by pushing its address and returning to it:
 * fn then returns straight to our caller.
 */
SYM_FUNC_START(kx_arch_call)
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	pushq	%rax
	ANNOTATE_UNRET_SAFE
	ret
	int3
SYM_FUNC_END(kx_arch_call)
STACK_FRAME_NON_STANDARD kx_arch_call
