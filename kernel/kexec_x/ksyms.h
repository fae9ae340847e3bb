/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksyms.h - the kernel internals kexec_x has to look up at run time.
 *
 * Everything here is resolved once, at module load, by ksyms.c; a missing
 * symbol fails insmod.  See the table in ksyms.c for what and why.
 */
#ifndef _KEXEC_X_KSYMS_H
#define _KEXEC_X_KSYMS_H

#include <linux/notifier.h>
#include <linux/types.h>

struct machine_ops;
struct boot_params;
struct e820_table;

struct kx_ksyms {
	bool *kexec_in_progress;		/* optional: CONFIG_KEXEC_CORE */
	struct blocking_notifier_head *reboot_notifier_list;
	void *device_shutdown;
	void *syscore_shutdown;
	bool *crash_kexec_post_notifiers;
	void __percpu **crash_notes;		/* optional: CONFIG_CRASH_DUMP */
	void **prb;				/* optional: printk ring buffer */
	void *kernel_text;			/* _text */
	void *kernel_end;			/* _end */
	void *kmsg_dump_desc;			/* optional: 6.12 and later */
	void *kmsg_dump;			/* optional: before 6.12 */
#ifdef CONFIG_X86_64
	struct machine_ops *machine_ops;
	struct boot_params *boot_params;
	struct e820_table **e820_table_firmware;	/* a pointer variable */
	unsigned long *efi_fw_vendor;		/* optional: NULL without EFI */
	unsigned long *efi_config_table;	/* optional: NULL without EFI */
#endif
#ifdef CONFIG_ARM64
	u32 *boot_cpu_mode;			/* optional: KALLSYMS_ALL */
	void *crash_smp_send_stop;
	void *crash_save_cpu;
	void *kernel_restart_prepare;
#endif
};

extern struct kx_ksyms kx_sym;

int kx_ksyms_init(void);

/*
 * Call a resolved function that takes no argument.  Resolved functions may
 * be sealed against indirect calls (x86 IBT), so this goes through the
 * architecture's safe path: see kx_arch_call().
 */
void kx_ksym_call(void *fn);

#endif /* _KEXEC_X_KSYMS_H */
