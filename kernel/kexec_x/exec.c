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
 *   8. kmsg_dump(KMSG_DUMP_SHUTDOWN), as kernel_kexec() does: pstore
 *      (ramoops, EFI) gets the last messages, where it is configured to
 *      keep SHUTDOWN dumps (ramoops.max_reason=4 or
 *      printk.always_kmsg_dump);
 *   9. the jump (kx_arch_kexec), which does not return.
 *
 * Before step 1, the checksum taken at load time (verify.h) is checked
 * over every page of the image, unless it was loaded with
 * KEXEC_X_LOAD_NO_VERIFY: a page that changed since the load (a stray
 * write, a device's DMA) makes EXEC fail with -EBADMSG while the machine
 * still runs, instead of a jump into a broken kernel.  The check is in C,
 * before the point of no return, because there a refusal can still be
 * reported and the system keeps running; a change made during the
 * shutdown itself is not caught (the stub does not check again).
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

#include <linux/kmsg_dump.h>

#include "internal.h"
#include "ksyms.h"

void kx_slot_csum_take(struct kx_slot *slot, u64 flags)
{
	slot->verify = !(flags & KEXEC_X_LOAD_NO_VERIFY);
	if (slot->verify && kx_image_csum(&slot->img, &slot->csum)) {
		/* A list kx_image_finish() closed always walks. */
		WARN_ON_ONCE(1);
		slot->verify = false;
	}
}

int kx_slot_csum_check(const struct kx_slot *slot, const char *what)
{
	struct kx_csum now;

	if (!slot->verify)
		return 0;
	if (!kx_image_csum(&slot->img, &now) && now.a == slot->csum.a &&
	    now.b == slot->csum.b)
		return 0;
	pr_err("%s refused: the image changed since it was loaded (checksum %016llx:%016llx, at load %016llx:%016llx); unload and load it again\n",
	       what, now.a, now.b, slot->csum.a, slot->csum.b);
	return -EBADMSG;
}

/* kmsg_dump(KMSG_DUMP_SHUTDOWN), whichever of the two the kernel has. */
static void kx_kmsg_dump_shutdown(void)
{
	if (kx_sym.kmsg_dump_desc)
		kx_arch_call(kx_sym.kmsg_dump_desc, KMSG_DUMP_SHUTDOWN, 0, 0);
	else if (kx_sym.kmsg_dump)
		kx_arch_call(kx_sym.kmsg_dump, KMSG_DUMP_SHUTDOWN, 0, 0);
}

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
	ret = kx_slot_csum_check(slot, "exec");
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
	kx_kmsg_dump_shutdown();
	kx_arch_kexec(slot);
}
