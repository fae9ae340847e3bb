// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c - arm64 half of kexec_x: what is prepared at load time, the
 * machine shutdown, and the jump.
 *
 * At load time (kx_arch_prepare) everything the jump needs is built, so
 * that exec allocates nothing:
 *   - the control block (relocate.h): copies of the copy loop and of the
 *     EL2 vectors, and the ranges to clean to the point of coherency;
 *   - an identity map (ident_map.c) of all System RAM, every segment,
 *     the control block and the device tree's first PL011 (Device memory,
 *     for the stage markers stub_debug turns on: the loader's
 *     --stub-debug), with its own translation settings (TCR bits
 *     [15:0] for TTBR0).  The kernel's linear map and page tables are never
 *     copied, which is how this works on 52-bit VA (LPA2) kernels too,
 *     where the in-kernel kexec of 6.12 oopses in trans_pgd_create_copy.
 *
 * At exec:
 *   - kx_arch_exec_prepare, before the point of no return: the secondary
 *     CPUs go offline through CPU hotplug (PSCI CPU_OFF), so the new kernel
 *     can start them again; if one refuses, the others come back and EXEC
 *     fails with -EBUSY;
 *   - kx_arch_shutdown: whatever came online since goes offline again;
 *   - kx_arch_kexec: interrupts masked; on a kernel at EL1 that was booted
 *     at EL2 (nVHE) kexec_x's EL2 vectors replace the hyp stub's (KVM was
 *     torn down by the reboot notifiers on 6.1, by syscore_shutdown on
 *     6.12, so the hyp stub answers); then relocate.S copies, cleans, turns
 *     the MMU off and enters the new kernel, at EL2 through
 *     HVC_SOFT_RESTART when booted at EL2.  A kernel running at EL2 (VHE)
 *     jumps directly and the new kernel starts at EL2 as well.
 *
 * Crash: the other CPUs were stopped by crash_smp_send_stop(), from
 * panic() (crash_kexec_post_notifiers) or from here, which also saves
 * their registers; this CPU's registers go to crash_notes with
 * crash_save_cpu().  The crash image is in place already, and under nVHE
 * with KVM still up, KVM's hyp code handles HVC_SOFT_RESTART itself.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cacheflush.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include <asm/daifflags.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "internal.h"
#include "ksyms.h"
#include "ident_map.h"
#include "relocate.h"

#define KX_TCR_DS		BIT_ULL(59)
#define KX_BOOT_MODE_EL2	0xe12

static bool kx_stub_debug;
module_param_named(stub_debug, kx_stub_debug, bool, 0644);
MODULE_PARM_DESC(stub_debug,
		 "The relocation code writes stage markers to the PL011 at EXEC (default off)");

/* How the kernel was booted, decided at module load (kx_arch_check). */
enum kx_el_mode { KX_EL1, KX_EL2_VHE, KX_EL2_NVHE };

static const char * const kx_el_names[] = {
	[KX_EL1] = "EL1", [KX_EL2_VHE] = "EL2 (VHE)",
	[KX_EL2_NVHE] = "EL1, booted at EL2 (nVHE)",
};

/*
 * Booted at EL2?  __boot_cpu_mode says so where kallsyms has data symbols
 * (KALLSYMS_ALL: Debian 6.12).  Without (Debian 6.1 arm64), a KVM that
 * initialised proves it: KVM refuses to start when HYP mode is not
 * available, and kvm_debugfs_dir (exported) is only set once it started.
 * A kernel booted at EL2 whose KVM is off is then taken for EL1 and the
 * new kernel starts at EL1.
 */
static bool kx_booted_at_el2(void)
{
	void *dir_sym;
	bool kvm_up = false;

	if (kx_sym.boot_cpu_mode)
		return READ_ONCE(kx_sym.boot_cpu_mode[0]) == KX_BOOT_MODE_EL2 &&
		       READ_ONCE(kx_sym.boot_cpu_mode[1]) == KX_BOOT_MODE_EL2;
	dir_sym = __symbol_get("kvm_debugfs_dir");
	if (dir_sym) {
		kvm_up = !!READ_ONCE(*(void **)dir_sym);
		/* A data symbol: symbol_put_addr() takes text only. */
		__symbol_put("kvm_debugfs_dir");
	}
	return kvm_up;
}

static enum kx_el_mode kx_el_mode(void)
{
	if (is_kernel_in_hyp_mode())
		return KX_EL2_VHE;
	return kx_booted_at_el2() ? KX_EL2_NVHE : KX_EL1;
}

int kx_arch_check(void)
{
	if (is_protected_kvm_enabled()) {
		pr_err("refused: protected KVM (kvm-arm.mode=protected) owns EL2 and does not let it be handed over\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

u64 kx_arch_dest_limit(void)
{
	return 1ULL << KX_IDMAP_VA_BITS;
}

/* Page tables come from the image's control pages: never a destination. */
static void *kx_idmap_alloc(void *ctx, u64 *phys)
{
	return kx_image_alloc_control(ctx, 0, phys);
}

static void *kx_idmap_p2v(void *ctx, u64 phys)
{
	return phys_to_virt(phys);
}

static int kx_map_resource(struct resource *res, void *arg)
{
	return kx_idmap_map(arg, res->start, res->end + 1);
}

/*
 * The device tree's first PL011, for stub_debug's stage markers: its
 * physical page, or 0 (ACPI, another UART: no markers).
 */
static u64 kx_uart_phys(void)
{
	struct device_node *np;
	struct resource res;
	u64 phys = 0;

	np = of_find_compatible_node(NULL, NULL, "arm,pl011");
	if (np && !of_address_to_resource(np, 0, &res))
		phys = res.start & PAGE_MASK;
	of_node_put(np);
	return phys;
}

static int kx_build_idmap(struct kx_slot *slot)
{
	struct kx_idmap m = {
		.alloc = kx_idmap_alloc,
		.p2v = kx_idmap_p2v,
		.ctx = &slot->img,
		.attr_index = MT_NORMAL,
		.lpa2 = !!(read_sysreg(tcr_el1) & KX_TCR_DS),
	};
	unsigned int i;
	int ret;

	ret = kx_idmap_init(&m);
	if (ret)
		return ret;
	ret = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				  0, -1, &m, kx_map_resource);
	if (ret)
		return ret;
	for (i = 0; i < slot->img.nr_segments; i++) {
		const struct kexec_x_segment *s = &slot->img.segs[i];

		ret = kx_idmap_map(&m, s->mem, s->mem + s->memsz);
		if (ret)
			return ret;
	}
	ret = kx_idmap_map(&m, slot->arch.control_phys,
			   slot->arch.control_phys +
			   (PAGE_SIZE << KX_CTRL_ORDER));
	if (ret)
		return ret;
	/* The UART for stage markers, as Device memory, never executable. */
	slot->arch.uart_phys = kx_uart_phys();
	if (slot->arch.uart_phys) {
		m.attr_index = MT_DEVICE_nGnRnE;
		m.xn = true;
		ret = kx_idmap_map(&m, slot->arch.uart_phys,
				   slot->arch.uart_phys + PAGE_SIZE);
		m.attr_index = MT_NORMAL;
		m.xn = false;
		if (ret)
			return ret;
	}
	slot->arch.ttbr0_phys = m.root_phys;
	pr_debug("identity map: %u tables, LPA2 %s\n", m.tables,
		 m.lpa2 ? "on" : "off");
	return 0;
}

/* The ranges the copy loop cleans to the PoC before the MMU goes off. */
static int kx_fill_control_data(struct kx_slot *slot)
{
	u8 *data = (u8 *)slot->arch.control + KX_CTRL_DATA;
	u64 *ranges = (u64 *)(data + KX_DATA_RANGES);
	unsigned int i, n = 0;

	BUILD_BUG_ON(KEXEC_X_SEGMENT_MAX + 1 > KX_DATA_MAX_RANGES);
	for (i = 0; i < slot->img.nr_segments; i++) {
		const struct kexec_x_segment *s = &slot->img.segs[i];

		ranges[2 * n] = s->mem;
		ranges[2 * n + 1] = s->mem + s->memsz;
		n++;
	}
	ranges[2 * n] = slot->arch.control_phys;
	ranges[2 * n + 1] = slot->arch.control_phys +
			    (PAGE_SIZE << KX_CTRL_ORDER);
	n++;
	*(u64 *)(data + KX_DATA_NR_RANGES) = n;
	return 0;
}

int kx_arch_prepare(struct kx_slot *slot)
{
	size_t code = kx_reloc_copy_end - kx_reloc_copy;
	size_t vec = kx_el2_vectors_end - kx_el2_vectors;
	struct kx_arch_image *arch = &slot->arch;
	int ret;

	BUILD_BUG_ON(PAGE_SIZE != 4096);
	if (code > PAGE_SIZE || vec != SZ_2K) {
		pr_err("relocation code (%zu bytes) or EL2 vectors (%zu bytes) do not fit the control block\n",
		       code, vec);
		return -E2BIG;
	}
	arch->control = kx_image_alloc_control(&slot->img, KX_CTRL_ORDER,
					       &arch->control_phys);
	if (!arch->control)
		return -ENOMEM;
	memcpy(arch->control + KX_CTRL_CODE, kx_reloc_copy, code);
	memcpy(arch->control + KX_CTRL_VECTORS, kx_el2_vectors, vec);
	kx_fill_control_data(slot);
	/* The copy runs with the MMU on first: make the I-side see it. */
	flush_icache_range((unsigned long)arch->control,
			   (unsigned long)arch->control +
			   (PAGE_SIZE << KX_CTRL_ORDER));
	ret = kx_build_idmap(slot);
	if (ret)
		return ret;
	/* Decided now: the panic path must not look symbols up. */
	arch->el_mode = kx_el_mode();
	pr_debug("control block at %#llx, %s\n", arch->control_phys,
		 kx_el_names[arch->el_mode]);
	return 0;
}

/* ---- secondary CPUs ---- */

/* The CPU that stays: CPU 0 unless it is offline, as exec.c migrates. */
static unsigned int kx_reboot_cpu(void)
{
	return cpu_online(0) ? 0 : cpumask_first(cpu_online_mask);
}

int kx_arch_exec_prepare(void)
{
	static struct cpumask offlined;
	unsigned int cpu, keep = kx_reboot_cpu();
	int ret = 0;

	cpumask_clear(&offlined);
	for_each_online_cpu(cpu) {
		if (cpu == keep)
			continue;
		ret = remove_cpu(cpu);
		if (ret)
			break;
		cpumask_set_cpu(cpu, &offlined);
	}
	if (!ret)
		return 0;
	pr_err("exec refused: CPU %u cannot be taken offline (%d); the others are brought back\n",
	       cpu, ret);
	for_each_cpu(cpu, &offlined)
		add_cpu(cpu);
	return -EBUSY;
}

void kx_arch_shutdown(void)
{
	unsigned int cpu, this = smp_processor_id();

	/* Past the point of no return: anything onlined since goes again. */
	for_each_online_cpu(cpu) {
		if (cpu != this && remove_cpu(cpu))
			pr_crit("CPU %u is still online: the new kernel may not be able to start it\n",
				cpu);
	}
}

/* ---- crash ---- */

/* As the kernel's crash_setup_regs() (asm/kexec.h). */
void kx_arch_crash_regs(struct pt_regs *regs, struct pt_regs *oldregs)
{
	u64 tmp1, tmp2;

	if (oldregs) {
		*regs = *oldregs;
		return;
	}
	asm volatile(
		"stp	 x0,   x1, [%2, #16 *  0]\n"
		"stp	 x2,   x3, [%2, #16 *  1]\n"
		"stp	 x4,   x5, [%2, #16 *  2]\n"
		"stp	 x6,   x7, [%2, #16 *  3]\n"
		"stp	 x8,   x9, [%2, #16 *  4]\n"
		"stp	x10,  x11, [%2, #16 *  5]\n"
		"stp	x12,  x13, [%2, #16 *  6]\n"
		"stp	x14,  x15, [%2, #16 *  7]\n"
		"stp	x16,  x17, [%2, #16 *  8]\n"
		"stp	x18,  x19, [%2, #16 *  9]\n"
		"stp	x20,  x21, [%2, #16 * 10]\n"
		"stp	x22,  x23, [%2, #16 * 11]\n"
		"stp	x24,  x25, [%2, #16 * 12]\n"
		"stp	x26,  x27, [%2, #16 * 13]\n"
		"stp	x28,  x29, [%2, #16 * 14]\n"
		"mov	 %0,  sp\n"
		"stp	x30,  %0,  [%2, #16 * 15]\n"
		/* a faked PSTATE, as crash_setup_regs() */
		"mrs	 %0, CurrentEL\n"
		"mrs	 %1, SPSEL\n"
		"orr	 %0, %0, %1\n"
		"mrs	 %1, DAIF\n"
		"orr	 %0, %0, %1\n"
		"mrs	 %1, NZCV\n"
		"orr	 %0, %0, %1\n"
		"adr	 %1, 1f\n"
	"1:\n"
		"stp	 %1, %0,   [%2, #16 * 16]\n"
		: "=&r" (tmp1), "=&r" (tmp2)
		: "r" (regs)
		: "memory");
}

/* XPACLRI: strip the pointer authentication code of a return address. */
static unsigned long kx_strip_pac(unsigned long lr)
{
	register unsigned long x30 asm("x30") = lr;

	asm("hint #7" : "+r"(x30));
	return x30;
}

static bool kx_on_stack(unsigned long sp, unsigned long addr)
{
	unsigned long low = (unsigned long)task_stack_page(current);

	return addr >= low && addr + 16 <= low + THREAD_SIZE;
}

/*
 * Point @regs at the caller of panic(): walk the frame records (x29 chain)
 * from this function; the record whose return address lies in panic()
 * belongs to the notifier call, and the one after it holds panic()'s
 * return address into its caller: pc is the call instruction before it.
 */
void kx_arch_panic_frame(struct pt_regs *regs)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	bool in_panic = false;
	unsigned int depth;

	for (depth = 0; depth < 32 && kx_on_stack(regs->sp, fp); depth++) {
		unsigned long next, lr;

		if (get_kernel_nofault(next, (unsigned long *)fp) ||
		    get_kernel_nofault(lr, (unsigned long *)(fp + 8)))
			return;
		lr = kx_strip_pac(lr);
		if (in_panic) {
			/*
			 * The call site, not the return address: panic() does
			 * not return, so its caller may end with the call and
			 * lr point past it, into the next function.
			 */
			regs->pc = lr - 4;
			regs->regs[29] = next;
			regs->sp = fp + 16;
			return;
		}
		sprint_symbol(name, lr);
		in_panic = !strncmp(name, "panic+", 6);
		fp = next;
	}
}

void kx_arch_crash_shutdown(struct pt_regs *regs)
{
	local_daif_mask();
	/*
	 * A no-op when panic() ran it already (crash_kexec_post_notifiers);
	 * otherwise it stops the other CPUs now and saves their registers.
	 */
	kx_arch_call(kx_sym.crash_smp_send_stop, 0, 0, 0);
	kx_arch_call(kx_sym.crash_save_cpu, (unsigned long)regs,
		     smp_processor_id(), 0);
}

/* ---- the jump ---- */

static void kx_el2_set_vectors(u64 phys)
{
	register u64 x0 asm("x0") = KX_HVC_SET_VECTORS;
	register u64 x1 asm("x1") = phys;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "memory");
	if (x0)
		pr_crit("the hyp stub refused HVC_SET_VECTORS (%#llx)\n", x0);
}

void __noreturn kx_arch_kexec(struct kx_slot *slot)
{
	u64 enter = KX_ENTER_DIRECT;

	local_daif_mask();
	if (slot->arch.el_mode == KX_EL2_NVHE) {
		enter = KX_ENTER_HVC;
		/*
		 * A crash image relocates nothing, so the hyp code stays
		 * where it is: KVM's own, if it is up, handles the soft
		 * restart.  Otherwise KVM is down and the hyp stub answers:
		 * replace it, as the copy may overwrite it.
		 */
		if (slot != kx_crash_slot())
			kx_el2_set_vectors(slot->arch.control_phys +
					   KX_CTRL_VECTORS);
	}
	*(u64 *)((u8 *)slot->arch.control + KX_CTRL_DATA + KX_DATA_UART) =
		READ_ONCE(kx_stub_debug) ? slot->arch.uart_phys : 0;
	kx_relocate_kernel(slot->img.head, slot->img.entry, slot->img.arg,
			   slot->arch.control_phys, slot->arch.ttbr0_phys,
			   KX_TCR_T0_BITS, enter);
	unreachable();
}
