// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms.c - run-time lookup of the few kernel internals kexec_x cannot do
 * without.
 *
 * The in-kernel kexec exports almost nothing a module could use to shut
 * the machine down the way kernel_kexec() does.  Where an exported
 * equivalent exists kexec_x uses it; where a small reimplementation is
 * honest (segment checks, page allocation, page tables, relocation) it has
 * its own.  What is left is in kx_ksym_table below, each entry with the
 * reason it cannot be avoided.  They are all looked up at module load:
 * a missing one fails insmod with -ENOENT and a message naming it, so
 * nothing can go missing halfway through a kexec.
 *
 * How: kallsyms_lookup_name() is not exported, but a kprobe on it reports
 * its address.  Calling it is an indirect call, and so is calling any
 * function found through it.  On x86 kernels built with IBT (Debian 6.12)
 * the kernel "seals" functions whose address is never taken: their ENDBR64
 * is overwritten with a 4-byte NOP (66 0f 1f 00), and an indirect call to
 * them raises #CP on CPUs with IBT.  kprobes also report such functions at
 * +4, past the (sealed) ENDBR.  So:
 *   - every address is normalised to the symbol start and checked with
 *     sprint_symbol() to be exactly "<name>+0x0";
 *   - functions are only ever entered through kx_arch_call(), which on x86
 *     reaches them with a return instead of an indirect call (returns are
 *     not subject to IBT), and which is a plain call on arm64, where
 *     functions that may be called indirectly start with a BTI landing pad;
 *   - function pointers the kernel itself stores in data (machine_ops)
 *     keep their real ENDBR64 and are called normally.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>

#include "ksyms.h"
#include "arch.h"

struct kx_ksyms kx_sym;

/*
 * DATA is read or written, FUNC is called (through kx_arch_call), ADDR is
 * only an address: a linker symbol (_text, _end) that other symbols share
 * or that lies past the last sized symbol, so kallsyms' answer is taken as
 * it is instead of being checked with sprint_symbol().
 */
enum kx_ksym_kind { KX_KSYM_DATA, KX_KSYM_FUNC, KX_KSYM_ADDR };

struct kx_ksym_desc {
	const char *name;
	void **slot;
	enum kx_ksym_kind kind;
	const char *why;
	bool optional;		/* absent on some configs: the feature is off */
};

#define KX_KSYM(_name, _kind, _why) \
	{ #_name, (void **)&kx_sym._name, KX_KSYM_##_kind, _why }
#define KX_KSYM_AS(_field, _name, _kind, _why) \
	{ _name, (void **)&kx_sym._field, KX_KSYM_##_kind, _why }
#define KX_KSYM_OPT(_name, _kind, _why) \
	{ #_name, (void **)&kx_sym._name, KX_KSYM_##_kind, _why, true }

static const struct kx_ksym_desc kx_ksym_table[] = {
	KX_KSYM_OPT(kexec_in_progress, DATA,
		    "set before device shutdown: PCI drivers clear bus mastering, and x86 kicks CPUs parked in MWAIT, only when it is true (a kernel without CONFIG_KEXEC_CORE has none and never looks)"),
	KX_KSYM(reboot_notifier_list, DATA,
		"the reboot notifier chain is static in kernel/reboot.c; it is called through the exported blocking_notifier_call_chain()"),
	KX_KSYM(device_shutdown, FUNC,
		"->shutdown() of every device, in driver-core order; no export and no sane reimplementation"),
	KX_KSYM(syscore_shutdown, FUNC,
		"syscore ->shutdown() (interrupt controllers, KVM on 6.12); no export"),
	KX_KSYM(crash_kexec_post_notifiers, DATA,
		"set while a crash image is loaded, so that panic() stops the other CPUs with crash_smp_send_stop(), which saves their registers, before it runs the notifiers"),
	KX_KSYM_OPT(crash_notes, DATA,
		    "per-CPU ELF notes that crash_smp_send_stop() and the arch crash shutdown fill with each CPU's registers; kexec_x copies them into the notes its ELF core header points at (CONFIG_CRASH_DUMP; without it kexec_x writes the panicking CPU's note itself)"),
	KX_KSYM_OPT(prb, DATA,
		    "the printk ring buffer pointer, for the VMCOREINFO kexec_x writes when the kernel has none (CONFIG_VMCORE_INFO off); KALLSYMS_ALL"),
	KX_KSYM_AS(kernel_text, "_text", ADDR,
		   "start of the kernel image: the ELF core header maps it at its virtual address, which vmcore-dmesg and crash need"),
	KX_KSYM_AS(kernel_end, "_end", ADDR,
		   "end of the kernel image, for the same PT_LOAD"),
	/* One of the two exists: kmsg_dump() became kmsg_dump_desc() in 6.12. */
	KX_KSYM_OPT(kmsg_dump_desc, FUNC,
		    "kmsg_dump(KMSG_DUMP_SHUTDOWN) before the jump, as kernel_kexec() does, so that pstore/ramoops keeps the last messages (6.12 and later)"),
	KX_KSYM_OPT(kmsg_dump, FUNC,
		    "the same dump on kernels before 6.12"),
#ifdef CONFIG_X86_64
	KX_KSYM(machine_ops, DATA,
		"machine_ops.shutdown is the native, Hyper-V or Xen machine shutdown (stops the other CPUs, resets APIC, IO-APIC and HPET); its targets keep ENDBR64"),
	KX_KSYM(boot_params, DATA,
		"the running kernel's boot_params: screen_info and ACPI RSDP for the new kernel"),
	KX_KSYM(e820_table_firmware, DATA,
		"the firmware memory map, handed to the new kernel as its e820 table"),
	KX_KSYM_OPT(efi_fw_vendor, DATA,
		    "EFI firmware vendor string, for the SETUP_EFI data of a kernel booted by EFI (kernels without CONFIG_EFI lack it)"),
	KX_KSYM_OPT(efi_config_table, DATA,
		    "EFI configuration table, for SETUP_EFI; the system table's own pointer is virtual after SetVirtualAddressMap()"),
#endif
#ifdef CONFIG_ARM64
	KX_KSYM_AS(boot_cpu_mode, "__boot_cpu_mode", DATA,
		   "the exception level each CPU booted at: a kernel at EL1 that was booted at EL2 (nVHE) starts the new kernel at EL2 through the hyp stub; is_hyp_mode_available() reads it inline and it is not exported"),
	KX_KSYM(crash_smp_send_stop, FUNC,
		"stops the other CPUs on a crash and saves their registers into crash_notes (a no-op when panic() ran it already); no export"),
	KX_KSYM(crash_save_cpu, FUNC,
		"writes the panicking CPU's registers into its crash_notes entry, which the ELF core header points at; no export"),
	KX_KSYM(kernel_restart_prepare, FUNC,
		"reboot notifiers, SYSTEM_RESTART and device_shutdown() in one, as kernel_kexec() calls it: used where reboot_notifier_list cannot be found (no KALLSYMS_ALL)"),
#endif
};

typedef unsigned long (*kx_lookup_fn)(const char *name);
static void *kx_lookup_addr;

/*
 * kprobes place a probe after the ENDBR64 (or its sealed NOP) of an IBT
 * kernel, so the reported address may be 4 bytes into the function.
 */
static unsigned long kx_symbol_start(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (plus && !strncmp(plus, "+0x4/", 5))
		return addr - 4;
	return addr;
}

/* True when @addr is exactly the start of the symbol @name. */
static bool kx_symbol_is(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	sprint_symbol(buf, addr);
	return !strncmp(buf, name, len) && !strncmp(buf + len, "+0x0/", 5);
}

static int kx_find_lookup(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot locate kallsyms_lookup_name through a kprobe (%d); is CONFIG_KPROBES on?\n",
		       ret);
		return -ENOENT;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	addr = kx_symbol_start(addr);
	if (!kx_symbol_is(addr, "kallsyms_lookup_name")) {
		pr_err("kprobe address of kallsyms_lookup_name does not check out\n");
		return -ENOENT;
	}
	kx_lookup_addr = (void *)addr;
	return 0;
}

static unsigned long kx_lookup(const char *name)
{
	return kx_arch_call(kx_lookup_addr, (unsigned long)name, 0, 0);
}

int kx_ksyms_init(void)
{
	unsigned int i;
	int ret;

	ret = kx_find_lookup();
	if (ret)
		return ret;

	for (i = 0; i < ARRAY_SIZE(kx_ksym_table); i++) {
		const struct kx_ksym_desc *d = &kx_ksym_table[i];
		unsigned long addr = kx_lookup(d->name);

		/*
		 * Without KALLSYMS_ALL (Debian 6.1 arm64) kallsyms lists no
		 * data: those rows are optional and their users fall back.
		 */
		if (!addr && (d->optional ||
			      (d->kind != KX_KSYM_FUNC &&
			       !IS_ENABLED(CONFIG_KALLSYMS_ALL)))) {
			pr_info("optional kernel symbol %s not found: %s is off\n",
				d->name, d->why);
			continue;
		}
		if (!addr || (d->kind != KX_KSYM_ADDR &&
			      !kx_symbol_is(addr, d->name))) {
			pr_err("kernel symbol %s not found (needed because: %s)\n",
			       d->name, d->why);
			return -ENOENT;
		}
		*d->slot = (void *)addr;
		pr_debug("%s at %pS\n", d->name, (void *)addr);
	}
	return 0;
}

void kx_ksym_call(void *fn)
{
	kx_arch_call(fn, 0, 0, 0);
}
