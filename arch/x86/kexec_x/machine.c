// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c - x86_64 half of kexec_x: what is prepared at load time, the
 * machine shutdown, and the jump.
 *
 * At load time (kx_arch_prepare) everything the jump needs is built, so
 * that exec allocates nothing:
 *   - the control block (relocate.h): a copy of the relocation stub, a flat
 *     GDT and a stack, outside every destination;
 *   - identity page tables over System RAM, the ACPI tables and ACPI NVS
 *     (and so over every segment, which must be RAM), plus a transition
 *     mapping of the stub's module address onto its copy.  MMIO holes are
 *     never mapped: the builder uses a large page only where the whole page
 *     lies inside a range (ident_map.c).
 *
 * At exec (kx_arch_shutdown, kx_arch_kexec) the machine is brought down by
 * machine_ops.shutdown, which is native_machine_shutdown on bare metal and
 * KVM, and the Hyper-V or Xen variant elsewhere: other CPUs stopped,
 * IO-APIC and local APIC back to their boot configuration, HPET off, the
 * IOMMU shut down.  Then interrupts, hardware breakpoints and CET are
 * turned off and the stub takes over.
 *
 * stub_debug=1 (module parameter, writable at run time: the loader's
 * --stub-debug) makes the stub write stage markers to COM1 (relocate.S), so
 * that a jump that dies after the point of no return leaves a trace on a
 * serial console.
 *
 * kx_arch_rehearse runs the same stub over a list whose destinations are
 * scratch pages, in KX_MODE_REHEARSE: it comes back (rehearse.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cc_platform.h>
#include <linux/efi.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irqflags.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/stop_machine.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <linux/objtool.h>
#include <asm/bootparam.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/reboot.h>
#include <asm/tsc.h>
#include <asm/unwind.h>

#include "internal.h"
#include "ksyms.h"
#include "ident_map.h"
#include "relocate.h"

static bool kx_stub_debug;
module_param_named(stub_debug, kx_stub_debug, bool, 0644);
MODULE_PARM_DESC(stub_debug,
		 "x86: the relocation stub writes stage markers to the 8250 UART at 0x3f8 (COM1)");

int kx_arch_check(void)
{
	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ||
	    cc_platform_has(CC_ATTR_HOST_MEM_ENCRYPT)) {
		pr_err("refused: memory encryption (SME/SEV/TDX) is not supported\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

u64 kx_arch_dest_limit(void)
{
	return 1ULL << boot_cpu_data.x86_phys_bits;
}

/* Page tables come from the image's control pages: never a destination. */
static void *kx_pgt_alloc(void *ctx, u64 *phys)
{
	return kx_image_alloc_control(ctx, 0, phys);
}

static void *kx_pgt_p2v(void *ctx, u64 phys)
{
	return phys_to_virt(phys);
}

static int kx_map_resource(struct resource *res, void *arg)
{
	struct kx_pgt *pgt = arg;
	u64 start = ALIGN_DOWN(res->start, PAGE_SIZE);
	u64 end = ALIGN(res->end + 1, PAGE_SIZE);

	return kx_pgt_map(pgt, start, start, end - start, KX_PTE_LEAF);
}

/* As machine_kexec_64.c's map_efi_systab(): EFI system and config table. */
static int kx_map_efi_page(struct kx_pgt *pgt, u64 addr)
{
	u64 start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!addr || addr == EFI_INVALID_TABLE_ADDR)
		return 0;
	return kx_pgt_map(pgt, start, start, 2 * PAGE_SIZE, KX_PTE_LEAF);
}

static int kx_map_efi_tables(struct kx_pgt *pgt)
{
	const struct efi_info *ei = &kx_sym.boot_params->efi_info;
	int ret;

	if (!efi_enabled(EFI_BOOT))
		return 0;
	ret = kx_map_efi_page(pgt, ei->efi_systab |
			      (u64)ei->efi_systab_hi << 32);
	if (!ret && kx_sym.efi_config_table)
		ret = kx_map_efi_page(pgt, READ_ONCE(*kx_sym.efi_config_table));
	return ret;
}

static int kx_build_pgt(struct kx_slot *slot, u64 code_va,
			unsigned int code_pages)
{
	struct kx_pgt pgt = {
		.alloc = kx_pgt_alloc,
		.p2v = kx_pgt_p2v,
		.ctx = &slot->img,
		.levels = pgtable_l5_enabled() ? 5 : 4,
		.gbpages = boot_cpu_has(X86_FEATURE_GBPAGES),
	};
	unsigned int i;
	int ret;

	ret = kx_pgt_init(&pgt);
	if (ret)
		return ret;
	ret = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				  0, -1, &pgt, kx_map_resource);
	if (ret)
		return ret;
	/* The new kernel reads the ACPI tables before it has its own maps. */
	ret = walk_iomem_res_desc(IORES_DESC_ACPI_TABLES,
				  IORESOURCE_MEM | IORESOURCE_BUSY, 0, -1,
				  &pgt, kx_map_resource);
	if (ret && ret != -EINVAL)	/* -EINVAL: there are none */
		return ret;
	ret = walk_iomem_res_desc(IORES_DESC_ACPI_NV_STORAGE,
				  IORESOURCE_MEM | IORESOURCE_BUSY, 0, -1,
				  &pgt, kx_map_resource);
	if (ret && ret != -EINVAL)
		return ret;
	for (i = 0; i < slot->img.nr_segments; i++) {
		const struct kexec_x_segment *s = &slot->img.segs[i];

		ret = kx_pgt_map(&pgt, s->mem, s->mem, s->memsz, KX_PTE_LEAF);
		if (ret)
			return ret;
	}
	ret = kx_map_efi_tables(&pgt);
	if (ret)
		return ret;
	/* Transition mapping: the stub's module pages onto their copy. */
	ret = kx_pgt_map(&pgt, code_va, slot->arch.control_phys,
			 (u64)code_pages << PAGE_SHIFT, KX_PTE_LEAF);
	if (ret)
		return ret;
	slot->arch.pgd_phys = pgt.root_phys;
	return 0;
}

static u64 *kx_ctrl_data(const struct kx_slot *slot, unsigned int off)
{
	return (u64 *)((u8 *)slot->arch.control + KX_CTRL_DATA + off);
}

/* The flat GDT of the boot protocol and the empty IDT, in the data page. */
static void kx_fill_control_data(struct kx_slot *slot)
{
	u8 *data = (u8 *)slot->arch.control + KX_CTRL_DATA;
	u64 *gdt = (u64 *)(data + KX_DATA_GDT);
	u64 gdt_base = slot->arch.control_phys + KX_CTRL_DATA + KX_DATA_GDT;
	u16 gdt_limit = 4 * sizeof(u64) - 1;

	gdt[KX_BOOT_CS / 8] = 0x00af9a000000ffffULL;	/* 64-bit code, ring 0 */
	gdt[KX_BOOT_DS / 8] = 0x00cf92000000ffffULL;	/* flat data, ring 0 */
	memcpy(data + KX_DATA_GDT_PTR, &gdt_limit, sizeof(gdt_limit));
	memcpy(data + KX_DATA_GDT_PTR + 2, &gdt_base, sizeof(gdt_base));
	memset(data + KX_DATA_IDT_PTR, 0, 10);
}

/*
 * The rehearsal's IDT: vectors 0-2, only the NMI gate present, pointing at
 * kx_stub_nmi's identity-mapped copy; any other exception still resets.
 */
static void kx_fill_rehearse_idt(struct kx_slot *slot, u64 code_va)
{
	u8 *data = (u8 *)slot->arch.control + KX_CTRL_DATA;
	u64 *gate = (u64 *)(data + KX_DATA_REH_IDT) + 2 * 2;	/* vector 2 */
	u64 nmi = slot->arch.control_phys +
		  ((unsigned long)kx_stub_nmi - code_va);
	u64 base = slot->arch.control_phys + KX_CTRL_DATA + KX_DATA_REH_IDT;
	u16 limit = KX_REH_IDT_VECTORS * 16 - 1;

	/* 64-bit interrupt gate, present, DPL 0, IST 0, __BOOT_CS. */
	gate[0] = (nmi & 0xffff) | ((u64)KX_BOOT_CS << 16) |
		  (0x8eULL << 40) | ((nmi & 0xffff0000ULL) << 32);
	gate[1] = nmi >> 32;
	memcpy(data + KX_DATA_REH_IDT_PTR, &limit, sizeof(limit));
	memcpy(data + KX_DATA_REH_IDT_PTR + 2, &base, sizeof(base));
}

int kx_arch_prepare(struct kx_slot *slot)
{
	unsigned long code_va = (unsigned long)kx_relocate_kernel & PAGE_MASK;
	unsigned long code_end = (unsigned long)kx_relocate_kernel_end;
	unsigned int code_pages;
	struct kx_arch_image *arch = &slot->arch;

	/*
	 * Rounded up at run time: folded into the relocation, the end + 4095
	 * points into some later function, which objtool's IBT check flags.
	 */
	OPTIMIZER_HIDE_VAR(code_end);
	code_end = PAGE_ALIGN(code_end);
	code_pages = (code_end - code_va) >> PAGE_SHIFT;

	if (code_pages > KX_CTRL_CODE_PAGES) {
		pr_err("relocation stub spans %u pages, the control block holds %u\n",
		       code_pages, KX_CTRL_CODE_PAGES);
		return -E2BIG;
	}
	arch->control = kx_image_alloc_control(&slot->img, KX_CTRL_ORDER,
					       &arch->control_phys);
	if (!arch->control)
		return -ENOMEM;
	memcpy(arch->control, (void *)code_va, code_pages << PAGE_SHIFT);
	kx_fill_control_data(slot);
	kx_fill_rehearse_idt(slot, code_va);
	*kx_ctrl_data(slot, KX_DATA_CODE_VA) = code_va;
	*kx_ctrl_data(slot, KX_DATA_CTRL_VA) = (unsigned long)arch->control;
	return kx_build_pgt(slot, code_va, code_pages);
}

void kx_arch_shutdown(void)
{
	kx_sym.machine_ops->shutdown();
}

/*
 * The registers the crash dump shows for this CPU: @oldregs (an oops) as
 * they are, or else this function's own, as the kernel's crash_setup_regs()
 * records them (asm/kexec.h, which exists only with CONFIG_KEXEC_CORE).
 * pushfq upsets objtool's stack tracking, hence STACK_FRAME_NON_STANDARD,
 * as the kernel does for __crash_kexec().
 */
void kx_arch_crash_regs(struct pt_regs *regs, struct pt_regs *oldregs)
{
	if (oldregs) {
		*regs = *oldregs;
		return;
	}
	asm volatile("movq %%rbx, %0" : "=m"(regs->bx));
	asm volatile("movq %%rcx, %0" : "=m"(regs->cx));
	asm volatile("movq %%rdx, %0" : "=m"(regs->dx));
	asm volatile("movq %%rsi, %0" : "=m"(regs->si));
	asm volatile("movq %%rdi, %0" : "=m"(regs->di));
	asm volatile("movq %%rbp, %0" : "=m"(regs->bp));
	asm volatile("movq %%rax, %0" : "=m"(regs->ax));
	asm volatile("movq %%rsp, %0" : "=m"(regs->sp));
	asm volatile("movq %%r8, %0" : "=m"(regs->r8));
	asm volatile("movq %%r9, %0" : "=m"(regs->r9));
	asm volatile("movq %%r10, %0" : "=m"(regs->r10));
	asm volatile("movq %%r11, %0" : "=m"(regs->r11));
	asm volatile("movq %%r12, %0" : "=m"(regs->r12));
	asm volatile("movq %%r13, %0" : "=m"(regs->r13));
	asm volatile("movq %%r14, %0" : "=m"(regs->r14));
	asm volatile("movq %%r15, %0" : "=m"(regs->r15));
	asm volatile("movl %%ss, %%eax" : "=a"(regs->ss));
	asm volatile("movl %%cs, %%eax" : "=a"(regs->cs));
	asm volatile("pushfq; popq %0" : "=m"(regs->flags));
	regs->ip = _THIS_IP_;
	regs->orig_ax = -1;
}
STACK_FRAME_NON_STANDARD(kx_arch_crash_regs);

/*
 * For a panic, make the registers describe the frame that called panic():
 * its instruction pointer, stack pointer and frame pointer, as the ORC
 * unwinder finds them, so that a dump shows the code that panicked rather
 * than kexec_x's hook (the in-kernel kdump records __crash_kexec() there).
 * The other registers stay those of the hook.  Nothing changes when
 * panic() is not found on the stack.
 */
void kx_arch_panic_frame(struct pt_regs *regs)
{
	struct unwind_state state;
	char name[KSYM_SYMBOL_LEN];
	bool in_panic = false;

	for (unwind_start(&state, current, NULL, NULL); !unwind_done(&state);
	     unwind_next_frame(&state)) {
		unsigned long ip = unwind_get_return_address(&state);

		if (!ip)
			return;
		if (in_panic) {
			regs->ip = ip;
			regs->sp = state.sp;
			regs->bp = state.bp;
			return;
		}
		sprint_symbol(name, ip);
		in_panic = !strncmp(name, "panic+", 6);
	}
}

/*
 * machine_ops.crash_shutdown is native_machine_crash_shutdown (or the
 * Hyper-V/Xen variant): the NMI shootdown of the other CPUs, saving their
 * registers into crash_notes (a no-op when panic() already did it), VMX/SVM
 * off, IO-APIC and local APIC reset, HPET off, and this CPU's registers
 * saved into crash_notes too.  A kernel without CONFIG_CRASH_DUMP has no
 * crash shutdown: panic() has stopped the other CPUs already (its
 * crash_smp_send_stop() falls back to smp_send_stop()), and the crash
 * kernel resets the interrupt controllers itself (reset_devices, irqpoll).
 */
void kx_arch_crash_shutdown(struct pt_regs *regs)
{
	if (kx_sym.machine_ops->crash_shutdown)
		kx_sym.machine_ops->crash_shutdown(regs);
}

/* As the kernel's cet_disable(): the stub jumps to code without ENDBR64. */
static void kx_cet_disable(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		wrmsrl(MSR_IA32_S_CET, 0);
}

struct kx_rehearse_call {
	struct kx_slot *slot;
	u64 head;
	struct kx_arch_rehearse_out *out;
};

/*
 * On one CPU, interrupts off, the other CPUs spinning in stop_machine():
 * enter the stub as kx_arch_kexec() does, in KX_MODE_REHEARSE, with the
 * rehearsal's IDT (an NMI is dropped instead of resetting the machine).
 * The stub restores the CPU state it changed; this restores what C
 * changed before: the debug registers and supervisor CET.
 */
static int kx_rehearse_on_cpu(void *arg)
{
	struct kx_rehearse_call *c = arg;
	struct kx_slot *slot = c->slot;
	u8 idt_ptr[10];
	u64 s_cet = 0, t0;
	unsigned long dr7;

	get_debugreg(dr7, 7);
	set_debugreg(0UL, 7);
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		rdmsrl(MSR_IA32_S_CET, s_cet);
	kx_cet_disable();
	memcpy(idt_ptr, kx_ctrl_data(slot, KX_DATA_IDT_PTR), sizeof(idt_ptr));
	memcpy(kx_ctrl_data(slot, KX_DATA_IDT_PTR),
	       kx_ctrl_data(slot, KX_DATA_REH_IDT_PTR), sizeof(idt_ptr));
	*kx_ctrl_data(slot, KX_DATA_MODE) = KX_MODE_REHEARSE |
		(READ_ONCE(kx_stub_debug) ? KX_MODE_SERIAL : 0);
	*kx_ctrl_data(slot, KX_DATA_PAGES_COPIED) = 0;

	t0 = ktime_get_ns();
	kx_relocate_kernel(c->head, slot->img.arg, slot->img.entry,
			   slot->arch.control_phys, slot->arch.pgd_phys,
			   slot->arch.control);
	c->out->stub_ns = ktime_get_ns() - t0;

	*kx_ctrl_data(slot, KX_DATA_MODE) = 0;
	memcpy(kx_ctrl_data(slot, KX_DATA_IDT_PTR), idt_ptr, sizeof(idt_ptr));
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		wrmsrl(MSR_IA32_S_CET, s_cet);
	set_debugreg(dr7, 7);

	c->out->pages_copied = *kx_ctrl_data(slot, KX_DATA_PAGES_COPIED);
	c->out->copy_tsc = *kx_ctrl_data(slot, KX_DATA_TSC_AFTER) -
			   *kx_ctrl_data(slot, KX_DATA_TSC_BEFORE);
	return 0;
}

int kx_arch_rehearse(struct kx_slot *slot, u64 head,
		     struct kx_arch_rehearse_out *out)
{
	struct kx_rehearse_call c = { .slot = slot, .head = head, .out = out };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = stop_machine(kx_rehearse_on_cpu, &c, NULL);
	if (ret) {
		pr_err("rehearsal: stop_machine() failed (%d)\n", ret);
		return ret;
	}
	out->tsc_khz = tsc_khz;
	if (tsc_khz)
		out->copy_ns = mul_u64_u32_div(out->copy_tsc, 1000000, tsc_khz);
	return 0;
}

/*
 * Last in the file: objtool takes the call into the stub (another object)
 * for one that returns, and would see a fall-through into the next
 * function; outside KX_MODE_REHEARSE the stub does not come back.
 */
void __noreturn kx_arch_kexec(struct kx_slot *slot)
{
	local_irq_disable();
	hw_breakpoint_disable();
	kx_cet_disable();
	*kx_ctrl_data(slot, KX_DATA_MODE) =
		READ_ONCE(kx_stub_debug) ? KX_MODE_SERIAL : 0;
	kx_relocate_kernel(slot->img.head, slot->img.arg, slot->img.entry,
			   slot->arch.control_phys, slot->arch.pgd_phys,
			   slot->arch.control);
	unreachable();
}
