// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - bring the machine down the way kernel_kexec() does, then jump.
 *
 * The order is the in-kernel one (6.12, which 6.1 follows but for
 * syscore_shutdown(), added upstream in 6.8 and run here on both):
 *
 *   1. take system_transition_mutex (lock_system_sleep), so no suspend or
 *      hibernation races with us;
 *   2. kexec_in_progress = true;
 *   3. reboot notifiers (SYS_RESTART), system_state = SYSTEM_RESTART;
 *   4. device_shutdown();
 *   5. migrate to the reboot CPU with CPU hotplug disabled;
 *   6. syscore_shutdown();
 *   7. the architecture's machine shutdown (x86: machine_ops.shutdown:
 *      other CPUs stopped, IO-APIC and local APIC back to boot mode,
 *      HPET off);
 *   8. the jump (kx_arch_kexec), which does not return.
 *
 * Everything that can fail has been done at load time: the relocation
 * stub, its page tables and every page of the image exist already.  From
 * step 2 on there is no way back, as with the in-kernel kexec.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/suspend.h>

#include "internal.h"
#include "ksyms.h"

/*
 * Without KALLSYMS_ALL the notifier chain cannot be found: the kernel's
 * kernel_restart_prepare() runs the same steps (and usermodehelper_disable()),
 * as kernel_kexec() itself calls it.
 */
static void kx_restart_prepare(void)
{
#ifdef CONFIG_ARM64
	kx_arch_call(kx_sym.kernel_restart_prepare,
		     (unsigned long)"kexec reboot", 0, 0);
#endif
}

/* Our own migrate_to_reboot_cpu(): CPU 0 unless it is offline. */
static void kx_migrate_to_reboot_cpu(void)
{
	unsigned int cpu = 0;

	cpu_hotplug_disable();
	if (!cpu_online(cpu))
		cpu = cpumask_first(cpu_online_mask);
	current->flags |= PF_NO_SETAFFINITY;
	set_cpus_allowed_ptr(current, cpumask_of(cpu));
}

int kx_exec(struct kx_slot *slot)
{
	int ret;

	ret = kx_arch_check();
	if (ret)
		return ret;
	/* arm64: secondary CPUs offline now, while a refusal is possible. */
	ret = kx_arch_exec_prepare();
	if (ret)
		return ret;

	/* Held until the jump: there is no way back to unlock it. */
	lock_system_sleep();

	pr_notice("shutting down for kexec: reboot notifiers, devices, syscore, CPUs\n");
	/* Without KALLSYMS_ALL (Debian 6.1 arm64) there is no flag to set. */
	if (kx_sym.kexec_in_progress)
		WRITE_ONCE(*kx_sym.kexec_in_progress, true);
	if (kx_sym.reboot_notifier_list) {
		blocking_notifier_call_chain(kx_sym.reboot_notifier_list,
					     SYS_RESTART, "kexec reboot");
		system_state = SYSTEM_RESTART;
		kx_ksym_call(kx_sym.device_shutdown);
	} else {
		kx_restart_prepare();
	}

	kx_migrate_to_reboot_cpu();
	kx_ksym_call(kx_sym.syscore_shutdown);
	cpu_hotplug_enable();

	pr_notice("Starting new kernel\n");
	kx_arch_shutdown();
	kx_arch_kexec(slot);
}
