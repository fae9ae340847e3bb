/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch.h - what every architecture provides to the kexec_x core.
 *
 * arch/<arch>/kexec_x/kx_arch.h adds what is the architecture's own:
 * struct kx_arch_image, kx_arch_exec_prepare() and any extras.
 */
#ifndef _KEXEC_X_ARCH_H
#define _KEXEC_X_ARCH_H

#include <linux/types.h>
#include <linux/compiler.h>

#include "kx_arch.h"

struct kx_slot;
struct kx_file_src;
struct pt_regs;

/* Refuse machines kexec_x cannot handle. */
int kx_arch_check(void);

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
 * saved), interrupts masked and, where the architecture needs it,
 * virtualization and interrupt controllers off; this CPU's registers
 * saved.  No allocation, no lock, no sleep.
 */
void kx_arch_crash_shutdown(struct pt_regs *regs);

/* Jump to the loaded image.  Interrupts off, one CPU left.  No return. */
void __noreturn kx_arch_kexec(struct kx_slot *slot);

/*
 * Call @fn(a0, a1, a2), a function found through kallsyms, in a way that
 * works whatever landing pad the kernel gave it: the target is entered
 * with a return, which neither x86 IBT (sealed ENDBR) nor arm64 BTI
 * checks, and returns to our caller.
 */
unsigned long kx_arch_call(void *fn, unsigned long a0, unsigned long a1,
			   unsigned long a2);

/*
 * Build the segments of a kernel file (x86_64: bzImage and boot_params;
 * arm64: Image and its device tree): arch/<arch>/kexec_x/load_file.c.
 */
int kx_arch_file_build(struct kx_file_src *src);

#endif /* _KEXEC_X_ARCH_H */
