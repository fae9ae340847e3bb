/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_arch.h - what arm64 provides to the kexec_x core.
 *
 * Who owns what in arch/arm64/kexec_x/:
 *   machine.c, relocate.S, relocate.h, ident map   - the jump (engineer A)
 *   load_file.c (kx_arch_file_build), image.c,
 *   fdt.c and their KUnit tests                    - LOAD_FILE (engineer B)
 * Until B's LOAD_FILE lands, load_file.c holds a kx_arch_file_build() that
 * refuses with -ENOEXEC; B replaces that file as a whole.
 */
#ifndef _KEXEC_X_ARCH_ARM64_H
#define _KEXEC_X_ARCH_ARM64_H

#include <linux/types.h>
#include <linux/compiler.h>

struct kx_slot;
struct kx_image;
struct kx_range;
struct pt_regs;

/**
 * struct kx_arch_image - arm64 state prepared at load time
 * @control:      kernel address of the control block (relocate.h): a copy
 *                of the relocation stub, the EL2 vectors, the saved
 *                translation settings
 * @control_phys: its physical address
 * @ttbr0_phys:   root of the identity map (4K granule, block mappings of
 *                all System RAM and the control block) used while copying
 * @el_mode:      how the kernel was booted (machine.c: EL1, EL2 with VHE,
 *                EL2 under nVHE), decided at load time
 */
struct kx_arch_image {
	void *control;
	u64 control_phys;
	u64 ttbr0_phys;
	unsigned int el_mode;
};

/* Refuse machines kexec_x cannot handle (protected KVM). */
int kx_arch_check(void);

/*
 * Right before the point of no return of an exec: take the secondary CPUs
 * offline through CPU hotplug.  When one cannot go, the others come back
 * and this fails with -EBUSY.  (x86_64: nothing to do.)
 */
int kx_arch_exec_prepare(void);

/* First physical address a destination may not reach. */
u64 kx_arch_dest_limit(void);

/* Build the relocation stub and page tables of a fully loaded slot. */
int kx_arch_prepare(struct kx_slot *slot);

/* The architecture's machine shutdown: other CPUs, interrupts. */
void kx_arch_shutdown(void);

/* Registers of this CPU now, or @oldregs completed as the crash dump needs. */
void kx_arch_crash_regs(struct pt_regs *regs, struct pt_regs *oldregs);

/* Point @regs at the frame that called panic(), when it can be found. */
void kx_arch_panic_frame(struct pt_regs *regs);

/*
 * The machine shutdown of a crash: other CPUs stopped (their registers
 * saved by crash_smp_send_stop()), this CPU's registers saved, interrupts
 * masked.  No allocation, no lock, no sleep.
 */
void kx_arch_crash_shutdown(struct pt_regs *regs);

/* Jump to the loaded image.  Interrupts off, one CPU left.  No return. */
void __noreturn kx_arch_kexec(struct kx_slot *slot);

/*
 * Call @fn(a0, a1, a2), a function found through kallsyms, in a way that
 * works whatever its landing pad (BTI): the target is entered with
 * "ret x16", which BTI does not check, and returns to our caller.
 */
unsigned long kx_arch_call(void *fn, unsigned long a0, unsigned long a1,
			   unsigned long a2);

/*
 * Build the segments of an Image file and its DTB: load_file.c (engineer
 * B).  src->arg is the DTB's physical address (x0 of the new kernel).
 */
struct kx_file_src;
int kx_arch_file_build(struct kx_file_src *src);

#endif /* _KEXEC_X_ARCH_ARM64_H */
