/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_arch.h - x86_64's own part of the interface to the kexec_x core;
 * the rest, which every architecture provides, is kernel/kexec_x/arch.h.
 */
#ifndef _KEXEC_X_ARCH_X86_H
#define _KEXEC_X_ARCH_X86_H

#include <linux/types.h>

struct kx_slot;

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

/* Right before an exec's point of no return (arm64: CPUs offline). */
static inline int kx_arch_exec_prepare(void)
{
	return 0;
}

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

#endif /* _KEXEC_X_ARCH_X86_H */
