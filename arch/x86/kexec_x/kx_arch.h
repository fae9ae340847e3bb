/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_arch.h - what x86_64 provides to the kexec_x core.
 */
#ifndef _KEXEC_X_ARCH_X86_H
#define _KEXEC_X_ARCH_X86_H

#include <linux/types.h>
#include <linux/compiler.h>

struct kx_slot;
struct kx_image;
struct kx_range;
struct pt_regs;

/**
 * struct kx_arch_image - x86_64 state prepared at load time
 * @control:      kernel address of the control block (relocate.h)
 * @control_phys: its physical address
 * @pgd_phys:     root of the identity page tables used at exec time
 */
struct kx_arch_image {
	void *control;
	u64 control_phys;
	u64 pgd_phys;
};

/* Refuse machines kexec_x cannot handle (confidential computing). */
int kx_arch_check(void);

/* Right before an exec's point of no return (arm64: CPUs offline). */
static inline int kx_arch_exec_prepare(void)
{
	return 0;
}

/* First physical address a destination may not reach. */
u64 kx_arch_dest_limit(void);

/* Build the relocation stub and page tables of a fully loaded slot. */
int kx_arch_prepare(struct kx_slot *slot);

/* The architecture's machine shutdown: other CPUs, interrupt controllers. */
void kx_arch_shutdown(void);

/* Registers of this CPU now, or @oldregs completed as the crash dump needs. */
void kx_arch_crash_regs(struct pt_regs *regs, struct pt_regs *oldregs);

/* Point @regs at the frame that called panic(), when it can be found. */
void kx_arch_panic_frame(struct pt_regs *regs);

/*
 * The machine shutdown of a crash: other CPUs stopped (their registers
 * saved), virtualization and interrupt controllers off, this CPU's
 * registers saved.  No allocation, no lock, no sleep.
 */
void kx_arch_crash_shutdown(struct pt_regs *regs);

/* Jump to the loaded image.  Interrupts off, one CPU left.  No return. */
void __noreturn kx_arch_kexec(struct kx_slot *slot);

/**
 * struct kx_arch_rehearse_out - what the stub measured in a rehearsal
 * @pages_copied: pages the stub's copy loop copied
 * @copy_tsc:     TSC cycles around that loop
 * @tsc_khz:      TSC frequency, kHz (0: unknown)
 * @copy_ns:      @copy_tsc in ns (0 when @tsc_khz is 0)
 * @stub_ns:      from the call into the stub to its return
 */
struct kx_arch_rehearse_out {
	u64 pages_copied;
	u64 copy_tsc;
	u64 tsc_khz;
	u64 copy_ns;
	u64 stub_ns;
};

/*
 * Run the relocation stub of @slot over the list at @head (whose
 * destinations are scratch pages) and come back: 0 or a negative errno
 * (stop_machine() failed).
 */
int kx_arch_rehearse(struct kx_slot *slot, u64 head,
		     struct kx_arch_rehearse_out *out);

/*
 * Call @fn(a0, a1, a2), a function found through kallsyms, in a way that
 * works even if the kernel sealed it against indirect calls (IBT): the
 * target is reached with a return, not an indirect call.
 */
unsigned long kx_arch_call(void *fn, unsigned long a0, unsigned long a1,
			   unsigned long a2);

/* Build the segments of a kernel file: see arch/x86/kexec_x/machine.c. */
struct kx_file_src;
int kx_arch_file_build(struct kx_file_src *src);

#endif /* _KEXEC_X_ARCH_X86_H */
