/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kx_arch.h - arm64's own part of the interface to the kexec_x core; the
 * rest, which every architecture provides, is kernel/kexec_x/arch.h.
 */
#ifndef _KEXEC_X_ARCH_ARM64_H
#define _KEXEC_X_ARCH_ARM64_H

#include <linux/types.h>

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
 * @uart_phys:    the device tree's first PL011, identity mapped as Device
 *                memory for stub_debug's stage markers; 0 if none
 */
struct kx_arch_image {
	void *control;
	u64 control_phys;
	u64 ttbr0_phys;
	unsigned int el_mode;
	u64 uart_phys;
};

/*
 * Right before the point of no return of an exec: take the secondary CPUs
 * offline through CPU hotplug.  When one cannot go, the others come back
 * and this fails with -EBUSY.  (x86_64: nothing to do.)
 */
int kx_arch_exec_prepare(void);

#endif /* _KEXEC_X_ARCH_ARM64_H */
