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
 * The stub reads rdtsc before and after the copy loop into the control
 * block.  With KX_MODE_SERIAL it writes stage markers to the 8250 UART
 * (polled, no interrupts): "kexec_x stub: idmap", "ident", "copy",
 * "copied <pages in hex>", then "jump" or "return".  With KX_MODE_REHEARSE
 * (machine.c's rehearsal: every destination in the list is a scratch page)
 * it goes back to the running kernel after the copy instead of entering
 * the new one: back to the module address of this code through the
 * transition mapping, then the saved CR0, CR3, CR4 (and XCR0), GDT, IDT,
 * segment registers, FS and GS bases, stack and callee-saved registers,
 * and a plain return.  Everything between the two is the same code.
 *
 * kx_arch_call reaches a kernel function found through kallsyms with a
 * return instead of an indirect call, so that it works when the kernel
 * sealed the function's ENDBR64 (IBT): returns are not subject to IBT.
 */

#include <linux/linkage.h>
#include <linux/objtool.h>
#include <linux/version.h>
#include <asm/msr-index.h>
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

#define KX_D(field)		(KX_CTRL_DATA + KX_DATA_##field)

/* Stage marker words: up to 8 ASCII bytes, the first in the lowest byte. */
#define KX_W_IDMAP		0x0a0d70616d6469	/* "idmap\r\n" */
#define KX_W_IDENT		0x0a0d746e656469	/* "ident\r\n" */
#define KX_W_COPY		0x0a0d79706f63		/* "copy\r\n" */
#define KX_W_COPIED		0x20646569706f63	/* "copied " */
#define KX_W_JUMP		0x0a0d706d756a		/* "jump\r\n" */
#define KX_W_RETURN		0x0a0d6e7275746572	/* "return\r\n" */
#define KX_W_PREFIX0		0x20785f636578656b	/* "kexec_x " */
#define KX_W_PREFIX1		0x203a62757473		/* "stub: " */
#define KX_W_CRLF		0x0a0d

/*
 * "kexec_x stub: <word>" on the UART when KX_MODE_SERIAL is set.  Needs
 * the control block's stack; clobbers %rax, %rcx, %rdx, %rsi, %rdi, %rbp.  The
 * unwind hint after each call tells objtool that the code after it runs:
 * it does not follow the return of a call inside the function; the
 * called labels carry UNWIND_HINT_FUNC, so that their returns check out.
 */
.macro KX_MARK word:req
	testq	$KX_MODE_SERIAL, KX_D(MODE)(%r15)
	jz	.Lno_mark_\@
	movabsq	$\word, %rdi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lmark
	KX_UNWIND_HINT_END
.Lno_mark_\@:
.endm

	.text
	.code64

/*
 * void kx_relocate_kernel(u64 head, u64 arg, u64 entry, u64 control_phys,
 *			   u64 pgd_phys, void *control_va)
 *   %rdi  head of the indirection list
 *   %rsi  argument of the new kernel (the physical address of boot_params)
 *   %rdx  physical entry point
 *   %rcx  physical address of the control block
 *   %r8   physical address of the identity page tables' root
 *   %r9   kernel address of the control block
 */
SYM_CODE_START_NOALIGN(kx_relocate_kernel)
	KX_UNWIND_HINT_END
	ANNOTATE_NOENDBR
	/* What a rehearsal gives back to its caller. */
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdi, %r12
	movq	%rsi, %r13
	movq	%rdx, %r14
	movq	%rcx, %r15
	movq	%r8, %rbp
	movq	%r9, %rbx

	testq	$KX_MODE_REHEARSE, KX_D(MODE)(%rbx)
	jz	.Lsaved
	movq	%rsp, KX_D(SAVE_RSP)(%rbx)
	movq	%cr0, %rax
	movq	%rax, KX_D(SAVE_CR0)(%rbx)
	movq	%cr3, %rax
	movq	%rax, KX_D(SAVE_CR3)(%rbx)
	movq	%cr4, %rax
	movq	%rax, KX_D(SAVE_CR4)(%rbx)
	sgdt	KX_D(SAVE_GDT)(%rbx)
	sidt	KX_D(SAVE_IDT)(%rbx)
	movw	%ds, KX_D(SAVE_SEL)(%rbx)
	movw	%es, (KX_D(SAVE_SEL) + 2)(%rbx)
	movw	%ss, (KX_D(SAVE_SEL) + 4)(%rbx)
	movw	%fs, (KX_D(SAVE_SEL) + 6)(%rbx)
	movw	%gs, (KX_D(SAVE_SEL) + 8)(%rbx)
	movl	$MSR_FS_BASE, %ecx
	rdmsr
	movl	%eax, KX_D(SAVE_FS_BASE)(%rbx)
	movl	%edx, (KX_D(SAVE_FS_BASE) + 4)(%rbx)
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	movl	%eax, KX_D(SAVE_GS_BASE)(%rbx)
	movl	%edx, (KX_D(SAVE_GS_BASE) + 4)(%rbx)
	testq	$X86_CR4_OSXSAVE, KX_D(SAVE_CR4)(%rbx)
	jz	.Lsaved
	xorl	%ecx, %ecx
	xgetbv
	movl	%eax, KX_D(SAVE_XCR0)(%rbx)
	movl	%edx, (KX_D(SAVE_XCR0) + 4)(%rbx)
.Lsaved:

	/* CET off: what follows jumps to code without ENDBR64. */
	movq	%cr4, %rax
	andq	$~X86_CR4_CET, %rax
	movq	%rax, %cr4

	/*
	 * The identity tables map this page at its module address onto the
	 * control block's copy: the next instruction comes from the copy.
	 */
	movq	%rbp, %cr3

	lgdt	KX_D(GDT_PTR)(%r15)
	lidt	KX_D(IDT_PTR)(%r15)
	leaq	KX_CTRL_STACK_TOP(%r15), %rsp
	KX_MARK	KX_W_IDMAP

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
	KX_MARK	KX_W_IDENT
	KX_MARK	KX_W_COPY

	lfence
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, KX_D(TSC_BEFORE)(%r15)

	/*
	 * Walk the indirection list.
	 *   %r8   current entry       %r9   next entry's address
	 *   %r10  current destination %r11  pages copied
	 * A page is copied 64 bytes a round through four registers, as the
	 * kernel's memcpy() does on CPUs without fast string moves: under
	 * QEMU's TCG "rep movsq" ran at 0.3-1.1x memcpy(), this at 1.0-1.7x.
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
	movl	$(PAGE_SIZE / 64), %ecx
.Lcopy64:
	movq	(%rsi), %rax
	movq	8(%rsi), %rdx
	movq	16(%rsi), %rbx
	movq	24(%rsi), %rbp
	movq	%rax, (%rdi)
	movq	%rdx, 8(%rdi)
	movq	%rbx, 16(%rdi)
	movq	%rbp, 24(%rdi)
	movq	32(%rsi), %rax
	movq	40(%rsi), %rdx
	movq	48(%rsi), %rbx
	movq	56(%rsi), %rbp
	movq	%rax, 32(%rdi)
	movq	%rdx, 40(%rdi)
	movq	%rbx, 48(%rdi)
	movq	%rbp, 56(%rdi)
	addq	$64, %rsi
	addq	$64, %rdi
	decl	%ecx
	jnz	.Lcopy64
	incq	%r11
.Lin_place:
	addq	$PAGE_SIZE, %r10
.Lnext:
	movq	(%r9), %r8
	addq	$8, %r9
	jmp	.Lloop

.Ldone:
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, KX_D(TSC_AFTER)(%r15)
	movq	%r11, KX_D(PAGES_COPIED)(%r15)

	testq	$KX_MODE_SERIAL, KX_D(MODE)(%r15)
	jz	.Lcopied
	movabsq	$KX_W_COPIED, %rdi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lmark
	KX_UNWIND_HINT_END
	movq	KX_D(PAGES_COPIED)(%r15), %rdi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lputhex
	KX_UNWIND_HINT_END
	movl	$KX_W_CRLF, %edi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lput8
	KX_UNWIND_HINT_END
.Lcopied:
	testq	$KX_MODE_REHEARSE, KX_D(MODE)(%r15)
	jnz	.Lrehearse_return
	KX_MARK	KX_W_JUMP

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

.Lrehearse_return:
	KX_MARK	KX_W_RETURN
	/* Back to the module address of this code (the transition mapping). */
	leaq	.Lmodule(%rip), %rax
	subq	%r15, %rax
	addq	KX_D(CODE_VA)(%r15), %rax
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rax
	int3

.Lmodule:
	KX_UNWIND_HINT_END
	movq	KX_D(CTRL_VA)(%r15), %rbx
	movq	KX_D(SAVE_CR0)(%r15), %rax
	movq	%rax, %cr0
	movq	KX_D(SAVE_CR4)(%r15), %rcx
	movq	KX_D(SAVE_RSP)(%r15), %rdx
	movq	KX_D(SAVE_CR3)(%r15), %rax
	/*
	 * The kernel's tables first, with PCID 0 while CR4.PCIDE is off; then
	 * CR4 (PCIDE may only be set with CR3[11:0] = 0); then CR3 as it was.
	 * The kernel maps this code at the same address: nothing changes for
	 * the instruction stream.
	 */
	movq	%rax, %rdi
	andq	$PAGE_MASK, %rdi
	movq	%rdi, %cr3
	movq	%rcx, %cr4
	movq	%rax, %cr3
	movq	%rdx, %rsp
	/* The caller's stack: six saved registers above the return address. */
	UNWIND_HINT type=UNWIND_HINT_TYPE_CALL sp_reg=ORC_REG_SP sp_offset=56
	lgdt	KX_D(SAVE_GDT)(%rbx)
	lidt	KX_D(SAVE_IDT)(%rbx)
	testq	$X86_CR4_OSXSAVE, KX_D(SAVE_CR4)(%rbx)
	jz	.Lno_xcr0
	xorl	%ecx, %ecx
	movl	KX_D(SAVE_XCR0)(%rbx), %eax
	movl	(KX_D(SAVE_XCR0) + 4)(%rbx), %edx
	xsetbv
.Lno_xcr0:
	movw	KX_D(SAVE_SEL)(%rbx), %ds
	movw	(KX_D(SAVE_SEL) + 2)(%rbx), %es
	movw	(KX_D(SAVE_SEL) + 4)(%rbx), %ss
	movw	(KX_D(SAVE_SEL) + 6)(%rbx), %fs
	movw	(KX_D(SAVE_SEL) + 8)(%rbx), %gs
	/* Loading %fs and %gs replaced their bases: restore them. */
	movl	$MSR_FS_BASE, %ecx
	movl	KX_D(SAVE_FS_BASE)(%rbx), %eax
	movl	(KX_D(SAVE_FS_BASE) + 4)(%rbx), %edx
	wrmsr
	movl	$MSR_GS_BASE, %ecx
	movl	KX_D(SAVE_GS_BASE)(%rbx), %eax
	movl	(KX_D(SAVE_GS_BASE) + 4)(%rbx), %edx
	wrmsr
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ANNOTATE_UNRET_SAFE
	ret
	int3

/*
 * .Lmark: "kexec_x stub: " and the word in %rdi.  .Lput8: the bytes of
 * %rdi, lowest first, up to the first zero byte.  .Lputhex: %rdi as 16 hex
 * digits.  .Lputc: the byte in %al, polling the UART's transmitter-empty
 * bit (an absent UART reads 0xff: no wait).  They clobber %rax, %rcx,
 * %rdx, %rsi, %rdi and %rbp.  To objtool each is a function (calls inside
 * the stub are jumps to it, and their returns need UNWIND_HINT_FUNC).
 */
.Lmark:
	UNWIND_HINT_FUNC
	movq	%rdi, %rsi
	movabsq	$KX_W_PREFIX0, %rdi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lput8
	UNWIND_HINT_FUNC
	movabsq	$KX_W_PREFIX1, %rdi
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lput8
	UNWIND_HINT_FUNC
	movq	%rsi, %rdi
.Lput8:
	UNWIND_HINT_FUNC
	movl	$8, %ebp
.Lput8_loop:
	movl	%edi, %eax
	testb	%al, %al
	jz	.Lput8_done
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lputc
	UNWIND_HINT_FUNC
	shrq	$8, %rdi
	decl	%ebp
	jnz	.Lput8_loop
.Lput8_done:
	ANNOTATE_UNRET_SAFE
	ret
	int3

.Lputhex:
	UNWIND_HINT_FUNC
	movl	$16, %ebp
.Lputhex_loop:
	rolq	$4, %rdi
	movl	%edi, %eax
	andl	$0xf, %eax
	cmpb	$10, %al
	jb	.Ldigit
	addb	$('a' - '0' - 10), %al
.Ldigit:
	addb	$'0', %al
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lputc
	UNWIND_HINT_FUNC
	decl	%ebp
	jnz	.Lputhex_loop
	ANNOTATE_UNRET_SAFE
	ret
	int3

.Lputc:
	UNWIND_HINT_FUNC
	movl	%eax, %ecx
	movl	$(KX_UART_BASE + 5), %edx	/* line status register */
.Lputc_wait:
	inb	%dx, %al
	testb	$0x20, %al			/* transmitter holding empty */
	jz	.Lputc_wait
	movl	%ecx, %eax
	movl	$KX_UART_BASE, %edx
	outb	%al, %dx
	ANNOTATE_UNRET_SAFE
	ret
	int3
SYM_CODE_END(kx_relocate_kernel)

/*
 * The rehearsal's NMI handler: an NMI that arrives while the stub runs
 * with the rehearsal's IDT (machine.c) is dropped instead of resetting the
 * machine.
 */
SYM_CODE_START_NOALIGN(kx_stub_nmi)
	UNWIND_HINT_IRET_REGS
	ANNOTATE_NOENDBR
	iretq
SYM_CODE_END(kx_stub_nmi)
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
