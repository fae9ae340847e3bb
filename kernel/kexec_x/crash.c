// SPDX-License-Identifier: GPL-2.0
/*
 * crash.c - crash (kdump) images: loaded into the crashkernel= reservation,
 * started from the panic path.
 *
 * Load.  A crash image lives entirely inside the crash reservation, which
 * the running kernel never uses, so its segments are copied straight to
 * their destinations at load time and nothing is relocated at panic: the
 * indirection list is empty (KX_IND_DONE).  The control block and page
 * tables the jump needs come from the free part of the reservation too
 * (kx_crash_alloc), so that a corrupted kernel heap cannot take them down.
 * The in-kernel kdump owns the same memory, so a crash load is refused while
 * it holds a crash image (kexec_crash_loaded()); and the old crash image is
 * dropped before a new one is written over it, as the in-kernel kexec does.
 *
 * Take-over.  The panic notifier (priority INT_MAX) and the die notifier
 * hand over to kx_crash().  The die notifier only records the registers of
 * an oops on its CPU: every oops that the kernel's kexec_should_crash()
 * policy would turn into a crash dump (panic_on_oops, an oops in interrupt
 * context or in init) ends in panic(), and the panic notifier then uses
 * those registers, as the kernel's crash_kexec(regs) in oops_end() would.
 *
 * Other CPUs.  While a crash image is loaded, kexec_x sets
 * crash_kexec_post_notifiers, so that panic() stops the other CPUs with the
 * kernel's own crash_smp_send_stop() before it runs the notifiers: on x86
 * an NMI shootdown that saves each CPU's registers into the kernel's
 * crash_notes.  (Without it panic() stops them with smp_send_stop(), which
 * saves nothing.)  The previous value is restored when the image goes.
 * The kernel gives the other CPUs a second to answer; kexec_x then waits
 * up to two more for any whose registers are still missing (the request
 * stays pending, and a late CPU still saves them), names on the console
 * those that never answer, and leaves them out of the dump.
 *
 * Nothing on the panic path allocates, sleeps or takes a lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/dev_printk.h>
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/kdebug.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/utsname.h>
#include <linux/version.h>

#include "internal.h"
#include "ksyms.h"

/* The crash image; written under kx_mutex, read on the panic path. */
static struct kx_slot *kx_crash_image;
/* Non-zero while kx_crash_image is being replaced or freed. */
static atomic_t kx_crash_busy = ATOMIC_INIT(0);
/* The CPU that took the crash path, -1 before. */
static atomic_t kx_crash_cpu = ATOMIC_INIT(-1);
/* crash_kexec_post_notifiers before kexec_x set it. */
static bool kx_saved_post_notifiers;

/* Registers of an oops on each CPU, for the panic that follows it. */
static DEFINE_PER_CPU(struct pt_regs, kx_oops_regs);
static DEFINE_PER_CPU(bool, kx_oops_valid);

static int kx_first_range(struct resource *res, void *arg)
{
	struct kx_range *r = arg;

	r->start = res->start;
	r->end = res->end + 1;
	return 1;	/* stop at the first */
}

/*
 * crash_reserve=NAME: on a kernel without crashkernel= (no
 * CONFIG_CRASH_DUMP), the crash reservation is the region the kernel
 * command line reserved with reserve_mem=SIZE:ALIGN:NAME (Linux 6.11 and
 * later).  crashkernel= wins when both exist.
 */
static char *crash_reserve;
module_param(crash_reserve, charp, 0444);
MODULE_PARM_DESC(crash_reserve,
		 "name of a reserve_mem= region to load crash kernels into when there is no crashkernel= reservation");

typedef int (*kx_reserve_mem_find_fn)(const char *name, phys_addr_t *start,
				      phys_addr_t *size);

/* The reserve_mem= region named by crash_reserve, looked up at run time. */
static int kx_crash_reserve_mem(struct kx_range *res)
{
	kx_reserve_mem_find_fn find;
	phys_addr_t start, size;
	int found;

	if (!crash_reserve || !*crash_reserve)
		return -ENOENT;
	/* Linux 6.11 and later; symbol_get() keeps the module loadable on 6.1. */
	find = (kx_reserve_mem_find_fn)__symbol_get("reserve_mem_find_by_name");
	if (!find)
		return -ENOENT;
	found = find(crash_reserve, &start, &size);
	symbol_put_addr(find);
	if (!found || !size || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(size))
		return -ENOENT;
	res->start = start;
	res->end = start + size;
	return 0;
}

/*
 * The crash reservation: crashk_res, which crashkernel= made at boot, or
 * else the reserve_mem= region named by the crash_reserve parameter.
 */
int kx_crash_reservation(struct kx_range *res)
{
	int ret = walk_iomem_res_desc(IORES_DESC_CRASH_KERNEL,
				      IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				      0, -1, res, kx_first_range);

	if (ret == 1)
		return 0;
	return kx_crash_reserve_mem(res);
}

/* Refusals that come before anything else in a crash load. */
int kx_crash_load_permitted(void)
{
	struct kx_range res;
	int (*crash_loaded)(void);
	int busy = 0;

	if (kx_crash_reservation(&res)) {
		pr_err("crash load refused: no crashkernel= reservation, and no reserve_mem= region named by crash_reserve=\n");
		return -ENOENT;
	}
	crash_loaded = __symbol_get("kexec_crash_loaded");
	if (crash_loaded) {
		busy = crash_loaded();
		symbol_put_addr(crash_loaded);
	}
	if (busy) {
		pr_err("crash load refused: the in-kernel kdump holds a crash image (kexec -p -u first)\n");
		return -EEXIST;
	}
	return 0;
}

/*
 * Pages for the control block and page tables of a crash image: taken
 * top-down from the reservation, skipping the segments.  They belong to the
 * reservation, so freeing them is a no-op.
 */
struct kx_crash_alloc {
	struct kx_range res;
	u64 next;			/* allocate below this */
	const struct kx_image *img;	/* its segments are skipped */
};

static void *kx_crash_page_alloc(void *ctx, unsigned int order, u64 *phys)
{
	struct kx_crash_alloc *a = ctx;
	u64 size = PAGE_SIZE << order;
	u64 start = ALIGN_DOWN(a->next - size, size);
	void *virt;

	while (start >= a->res.start && start < a->next) {
		if (!kx_image_is_destination(a->img, start, start + size)) {
			a->next = start;
			virt = phys_to_virt(start);
			memset(virt, 0, size);
			*phys = start;
			return virt;
		}
		start -= size;
	}
	return NULL;
}

static void kx_crash_page_free(void *ctx, void *virt, unsigned int order)
{
}

static void *kx_crash_phys_to_virt(void *ctx, u64 phys)
{
	return phys_to_virt(phys);
}

static const struct kx_alloc_ops kx_crash_ops = {
	.alloc = kx_crash_page_alloc,
	.free = kx_crash_page_free,
	.phys_to_virt = kx_crash_phys_to_virt,
};

/* Copy segment @i straight to its destination, zeroing the tail. */
static int kx_crash_copy(const struct kexec_x_segment *s, unsigned int i,
			 kx_read_fn read, void *src_ctx)
{
	u64 off;
	int ret;

	for (off = 0; off < s->memsz; off += PAGE_SIZE) {
		void *dst = phys_to_virt(s->mem + off);
		u64 len = 0;

		if (off < s->bufsz)
			len = min_t(u64, PAGE_SIZE, s->bufsz - off);
		if (len) {
			ret = read(src_ctx, i, off, dst, len);
			if (ret)
				return ret;
		}
		memset(dst + len, 0, PAGE_SIZE - len);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/**
 * kx_crash_build - load checked segments as a crash image
 * @slot:    a new slot, its image initialised over the segments
 * @res:     the crash reservation the segments were checked against
 * @read:    reads segment bytes
 * @src_ctx: passed to @read
 *
 * The caller holds kx_mutex and has dropped the previous crash image.
 */
int kx_crash_build(struct kx_slot *slot, const struct kx_range *res,
		   kx_read_fn read, void *src_ctx)
{
	struct kx_crash_alloc *a;
	unsigned int i;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->res = *res;
	a->next = a->res.end;
	a->img = &slot->img;
	slot->crash_alloc = a;
	slot->img.ops = &kx_crash_ops;
	slot->img.ctx = a;

	for (i = 0; i < slot->img.nr_segments; i++) {
		ret = kx_crash_copy(&slot->img.segs[i], i, read, src_ctx);
		if (ret) {
			pr_err("copying crash segment %u failed (%d)\n", i, ret);
			return ret;
		}
	}
	/* Everything is in place already: nothing to relocate at panic. */
	slot->img.head = KX_IND_DONE;
	slot->img.nr_direct = 0;
	for (i = 0; i < slot->img.nr_segments; i++)
		slot->img.nr_direct += slot->img.segs[i].memsz >> PAGE_SHIFT;
	return 0;
}

/*
 * Without KALLSYMS_ALL (Debian 6.1 arm64) kallsyms does not have
 * crash_notes either, but sysfs tells where each CPU's notes are
 * (/sys/devices/system/cpu/cpuN/crash_notes, a physical address): read at
 * load time, copied from the linear map at panic.
 */
static DEFINE_PER_CPU(u64, kx_crash_note_phys);

static void kx_crash_find_notes(void)
{
	char path[64], buf[24];
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		u64 phys = 0;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		if (kx_read_text_file(path, buf, sizeof(buf)) <= 0 ||
		    kstrtoull(strim(buf), 16, &phys))
			phys = 0;
		per_cpu(kx_crash_note_phys, cpu) = phys;
	}
}

/* ---- VMCOREINFO for a kernel without one ---- */

/*
 * A kernel without CONFIG_VMCORE_INFO (6.12; CONFIG_CRASH_CORE on 6.1) has
 * no VMCOREINFO note.  kexec_x then writes one with the minimum a dump tool
 * needs to read the kernel log from the dump (vmcore-dmesg, crash's "log"):
 * OSRELEASE, PAGESIZE, KERNELOFFSET, SYMBOL(prb) and the layout of the
 * lockless printk ring buffer.  The layout is a copy of
 * kernel/printk/printk_ringbuffer.h, unchanged from 5.10 to 6.12 in every
 * field listed here, but for prb_desc_ring.last_finalized_seq (6.9), which
 * moves printk_ringbuffer.text_data_ring.  Nothing else is
 * there: makedumpfile's page filtering needs the memory model (mem_map,
 * pglist_data, ...), which only the kernel's own VMCOREINFO describes.
 */
struct kx_prb_data_blk_lpos {
	unsigned long begin;
	unsigned long next;
};

struct kx_prb_desc {
	atomic_long_t state_var;
	struct kx_prb_data_blk_lpos text_blk_lpos;
};

struct kx_printk_info {
	u64 seq;
	u64 ts_nsec;
	u16 text_len;
	u8 facility;
	u8 flags:5;
	u8 level:3;
	u32 caller_id;
	struct dev_printk_info dev_info;
};

struct kx_prb_data_ring {
	unsigned int size_bits;
	char *data;
	atomic_long_t head_lpos;
	atomic_long_t tail_lpos;
};

struct kx_prb_desc_ring {
	unsigned int count_bits;
	struct kx_prb_desc *descs;
	struct kx_printk_info *infos;
	atomic_long_t head_id;
	atomic_long_t tail_id;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	/* 6.9 added it here, which moves text_data_ring below. */
	atomic_long_t last_finalized_seq;
#endif
};

struct kx_printk_ringbuffer {
	struct kx_prb_desc_ring desc_ring;
	struct kx_prb_data_ring text_data_ring;
};

/* One page: the note header, "VMCOREINFO\0" padded to 12, the text. */
static void *kx_vmcoreinfo_page;

#define KX_VI_SIZE(t)		"SIZE(" #t ")=%zu\n", sizeof(struct kx_##t)
#define KX_VI_OFFSET(t, f)	"OFFSET(" #t "." #f ")=%zu\n", offsetof(struct kx_##t, f)

static __printf(4, 5) size_t kx_vi_add(char *buf, size_t len, size_t max, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len >= max)
		return len;
	va_start(ap, fmt);
	n = vscnprintf(buf + len, max - len, fmt, ap);
	va_end(ap);
	return len + n;
}

/*
 * The KASLR offset of the kernel image, as VMCOREINFO's KERNELOFFSET states
 * it: where _text is (ksyms.c found it; the kernels' own kaslr_offset()
 * reads the unexported _text) against where it was linked.
 */
static unsigned long kx_kernel_offset(void)
{
#ifdef CONFIG_ARM64
	return (unsigned long)kx_sym.kernel_text - KIMAGE_VADDR;
#else
	return (unsigned long)kx_sym.kernel_text - __START_KERNEL;
#endif
}

/**
 * kx_crash_vmcoreinfo - the kexec_x VMCOREINFO note
 * @phys: its physical address
 * @size: its size in bytes
 *
 * Made once, on the first crash load (the caller holds kx_mutex), and kept
 * until the module goes.  Returns -ENOMEM, or -ENOENT when the kernel
 * hides its printk ring buffer from kallsyms.
 */
int kx_crash_vmcoreinfo(u64 *phys, u64 *size)
{
	struct elf64_note *n;
	char *text;
	size_t len = 0, max;

	if (!kx_sym.prb || !kx_sym.kernel_text) {
		pr_err("no VMCOREINFO in this kernel, and no printk ring buffer (prb) or _text in kallsyms to describe\n");
		return -ENOENT;
	}
	if (!kx_vmcoreinfo_page) {
		kx_vmcoreinfo_page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!kx_vmcoreinfo_page)
			return -ENOMEM;
	}
	n = kx_vmcoreinfo_page;
	text = (char *)(n + 1) + 12;
	max = PAGE_SIZE - sizeof(*n) - 12 - 4;	/* the empty note after it */
	memset(kx_vmcoreinfo_page, 0, PAGE_SIZE);
	len = kx_vi_add(text, len, max, "OSRELEASE=%s\n", utsname()->release);
	len = kx_vi_add(text, len, max, "PAGESIZE=%lu\n", PAGE_SIZE);
	len = kx_vi_add(text, len, max, "KERNELOFFSET=%lx\n", kx_kernel_offset());
	len = kx_vi_add(text, len, max, "SYMBOL(prb)=%lx\n",
			(unsigned long)kx_sym.prb);
	len = kx_vi_add(text, len, max, KX_VI_SIZE(printk_ringbuffer));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_ringbuffer, desc_ring));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_ringbuffer, text_data_ring));
	len = kx_vi_add(text, len, max, KX_VI_SIZE(prb_desc_ring));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc_ring, count_bits));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc_ring, descs));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc_ring, infos));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc_ring, head_id));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc_ring, tail_id));
	len = kx_vi_add(text, len, max, KX_VI_SIZE(prb_desc));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc, state_var));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_desc, text_blk_lpos));
	len = kx_vi_add(text, len, max, KX_VI_SIZE(prb_data_blk_lpos));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_data_blk_lpos, begin));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_data_blk_lpos, next));
	len = kx_vi_add(text, len, max, KX_VI_SIZE(printk_info));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_info, seq));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_info, ts_nsec));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_info, text_len));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_info, caller_id));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(printk_info, dev_info));
	len = kx_vi_add(text, len, max, "SIZE(dev_printk_info)=%zu\n",
			sizeof(struct dev_printk_info));
	len = kx_vi_add(text, len, max, "OFFSET(dev_printk_info.subsystem)=%zu\n",
			offsetof(struct dev_printk_info, subsystem));
	len = kx_vi_add(text, len, max, "LENGTH(printk_info_subsystem)=%zu\n",
			sizeof_field(struct dev_printk_info, subsystem));
	len = kx_vi_add(text, len, max, "OFFSET(dev_printk_info.device)=%zu\n",
			offsetof(struct dev_printk_info, device));
	len = kx_vi_add(text, len, max, "LENGTH(printk_info_device)=%zu\n",
			sizeof_field(struct dev_printk_info, device));
	len = kx_vi_add(text, len, max, KX_VI_SIZE(prb_data_ring));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_data_ring, size_bits));
	len = kx_vi_add(text, len, max, KX_VI_OFFSET(prb_data_ring, data));
	len = kx_vi_add(text, len, max, "OFFSET(atomic_long_t.counter)=%zu\n",
			offsetof(atomic_long_t, counter));

	n->n_namesz = sizeof("VMCOREINFO");
	n->n_descsz = len;
	n->n_type = 0;
	memcpy(n + 1, "VMCOREINFO", sizeof("VMCOREINFO"));
	*phys = virt_to_phys(kx_vmcoreinfo_page);
	*size = sizeof(*n) + 12 + ALIGN(len, 4) + sizeof(*n);
	return 0;
}

/* ---- the crash image slot ---- */

/*
 * Without KALLSYMS_ALL (Debian 6.1 arm64) kallsyms does not have the flag,
 * but it is a core parameter with a sysfs file: use that.
 */
#define KX_POST_NOTIFIERS_PARAM \
	"/sys/module/kernel/parameters/crash_kexec_post_notifiers"

static bool kx_get_post_notifiers(void)
{
	char buf[4];

	if (kx_sym.crash_kexec_post_notifiers)
		return READ_ONCE(*kx_sym.crash_kexec_post_notifiers);
	return kx_read_text_file(KX_POST_NOTIFIERS_PARAM, buf, sizeof(buf)) > 0 &&
	       buf[0] == 'Y';
}

static void kx_set_post_notifiers(bool on)
{
	struct file *f;
	loff_t pos = 0;

	if (kx_sym.crash_kexec_post_notifiers) {
		WRITE_ONCE(*kx_sym.crash_kexec_post_notifiers, on);
		return;
	}
	f = filp_open(KX_POST_NOTIFIERS_PARAM, O_WRONLY, 0);
	if (IS_ERR(f) || kernel_write(f, on ? "Y" : "N", 1, &pos) != 1)
		pr_warn("cannot set crash_kexec_post_notifiers: other CPUs' registers will be missing from a dump\n");
	if (!IS_ERR(f))
		filp_close(f, NULL);
}

/* Drop the crash image; the caller holds kx_mutex. */
void kx_crash_unload(void)
{
	struct kx_slot *old = kx_crash_image;

	if (!old)
		return;
	atomic_inc(&kx_crash_busy);
	WRITE_ONCE(kx_crash_image, NULL);
	atomic_dec(&kx_crash_busy);
	kx_set_post_notifiers(kx_saved_post_notifiers);
	kx_free_slot(old);
	pr_info("crash image unloaded\n");
}

/* Install a new crash image; the caller holds kx_mutex. */
void kx_crash_install(struct kx_slot *slot)
{
	kx_crash_unload();
	kx_saved_post_notifiers = kx_get_post_notifiers();
	if (!kx_sym.crash_notes)
		kx_crash_find_notes();
	kx_set_post_notifiers(true);
	atomic_inc(&kx_crash_busy);
	WRITE_ONCE(kx_crash_image, slot);
	atomic_dec(&kx_crash_busy);
	pr_info("crash image loaded: %u segments, entry %#llx\n",
		slot->img.nr_segments, slot->img.entry);
}

const struct kx_slot *kx_crash_slot(void)
{
	return kx_crash_image;
}

/*
 * The NT_PRSTATUS note of one CPU, as the kernel's crash_save_cpu() writes
 * it into crash_notes, followed by the empty note that ends the list; for a
 * kernel without CONFIG_CRASH_DUMP, which has no crash_notes.
 */
void kx_crash_write_note(void *buf, size_t size, struct pt_regs *regs)
{
	struct elf_prstatus prstatus = {};
	struct elf64_note *n = buf;
	size_t desc = ALIGN(sizeof(prstatus), 4);

	if (size < 2 * sizeof(*n) + 8 + desc)
		return;
	prstatus.common.pr_pid = current->pid;
	/*
	 * elf_core_copy_regs() on x86_64 reads the GS base through a helper
	 * modules cannot link against.  pt_regs starts with the ELF register
	 * set on x86_64 (r15 ... ss; fs_base and the segments stay 0) and on
	 * arm64 (user_pt_regs), as the kernel's own copies rely on.
	 */
	memcpy(&prstatus.pr_reg, regs,
	       min(sizeof(prstatus.pr_reg), sizeof(*regs)));
	memset(buf, 0, size);
	n->n_namesz = 5;		/* "CORE" and its NUL */
	n->n_descsz = sizeof(prstatus);
	n->n_type = NT_PRSTATUS;
	memcpy(n + 1, "CORE", 5);
	memcpy((char *)(n + 1) + 8, &prstatus, sizeof(prstatus));
	/* The final note is all zeros: memset did it. */
}

/*
 * Where the kernel saved @cpu's registers at panic: its crash_notes, or the
 * copy sysfs located (kx_crash_find_notes); NULL when it has neither.
 */
static const struct elf64_note *kx_crash_note_src(void __percpu *notes,
						  unsigned int cpu)
{
	u64 phys;

	if (notes)
		return per_cpu_ptr(notes, cpu);
	phys = per_cpu(kx_crash_note_phys, cpu);
	return phys ? phys_to_virt(phys) : NULL;
}

/*
 * How long to wait, beyond the second crash_smp_send_stop() gave them, for
 * CPUs whose registers are not saved yet.  The stop request (an NMI on x86,
 * IPI_CPU_CRASH_STOP on arm64) stays pending after the kernel gives up on
 * it; a CPU that takes it late still saves its registers, and is only
 * missing from the dump because the copy below was made too soon.  A
 * starved virtual CPU is the usual case.
 */
#define KX_LATE_NOTE_MS		2000
#define KX_LATE_NOTE_SETTLE_MS	100

/* Another CPU with a note to fill, which it has not saved yet? */
static bool kx_crash_note_missing(void __percpu *notes, unsigned int cpu)
{
	const struct elf64_note *n = kx_crash_note_src(notes, cpu);

	return cpu != raw_smp_processor_id() && n &&
	       READ_ONCE(n->n_type) != NT_PRSTATUS;
}

/* Wait for the late CPUs; name those that never answered. */
static void kx_crash_wait_notes(void __percpu *notes)
{
	unsigned int self = raw_smp_processor_id(), cpu, ms;
	bool late = false, missing;

	for (ms = 0; ; ms++) {
		missing = false;
		for_each_online_cpu(cpu)
			missing |= kx_crash_note_missing(notes, cpu);
		if (!missing || ms == KX_LATE_NOTE_MS)
			break;
		late = true;
		mdelay(1);
	}
	/* A late CPU may still be writing the rest of its note. */
	if (late)
		mdelay(KX_LATE_NOTE_SETTLE_MS);
	for_each_online_cpu(cpu) {
		if (kx_crash_note_missing(notes, cpu))
			pr_emerg("CPU %u did not stop: its registers are not in the dump\n",
				 cpu);
		else if (late && cpu != self && kx_crash_note_src(notes, cpu))
			pr_emerg("CPU %u stopped late: waited %u ms more\n", cpu, ms);
	}
}

/*
 * Copy every CPU's registers, which crash_smp_send_stop() and the arch
 * crash shutdown saved into the kernel's crash_notes (or the notes sysfs
 * located), into the notes the image's ELF core header points at.  Without
 * either (no CONFIG_CRASH_DUMP), this CPU's registers only, written by us.
 */
void kx_crash_save_notes(struct kx_slot *slot, struct pt_regs *regs)
{
	void __percpu *notes = NULL;
	const struct elf64_note *n;
	unsigned int cpu;
	bool any = false;

	if (!slot->notes)
		return;
	if (kx_sym.crash_notes)
		notes = READ_ONCE(*kx_sym.crash_notes);
	for_each_possible_cpu(cpu)
		any |= !!kx_crash_note_src(notes, cpu);
	if (!any) {
		kx_crash_write_note(slot->notes + raw_smp_processor_id() * slot->note_size,
				    slot->note_size, regs);
		return;
	}
	kx_crash_wait_notes(notes);
	for_each_possible_cpu(cpu) {
		n = kx_crash_note_src(notes, cpu);
		if (n)
			memcpy(slot->notes + cpu * slot->note_size, n,
			       slot->note_size);
	}
}

/* ---- take-over ---- */

/*
 * Start the crash image, if there is one.  Called from the panic notifier
 * with interrupts off; returns only when there is nothing to do.
 */
static void kx_crash(void)
{
	struct kx_slot *slot = READ_ONCE(kx_crash_image);
	struct pt_regs regs;
	int cpu = raw_smp_processor_id();

	if (!slot || atomic_read(&kx_crash_busy))
		return;
	if (atomic_cmpxchg(&kx_crash_cpu, -1, cpu) != -1)
		return;

	if (this_cpu_read(kx_oops_valid)) {
		kx_arch_crash_regs(&regs, this_cpu_ptr(&kx_oops_regs));
	} else {
		kx_arch_crash_regs(&regs, NULL);
		kx_arch_panic_frame(&regs);
	}
	kx_arch_crash_shutdown(&regs);
	kx_crash_save_notes(slot, &regs);
	kx_arch_kexec(slot);
}

static int kx_panic_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	kx_crash();
	return NOTIFY_DONE;
}

static int kx_die_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct die_args *args = data;

	if (action == DIE_OOPS && args->regs && READ_ONCE(kx_crash_image)) {
		*this_cpu_ptr(&kx_oops_regs) = *args->regs;
		this_cpu_write(kx_oops_valid, true);
	}
	return NOTIFY_DONE;
}

static struct notifier_block kx_panic_nb = {
	.notifier_call = kx_panic_notify,
	.priority = INT_MAX,
};

static struct notifier_block kx_die_nb = {
	.notifier_call = kx_die_notify,
	.priority = INT_MAX,
};

int kx_crash_init(void)
{
	int ret = register_die_notifier(&kx_die_nb);

	if (ret) {
		pr_err("cannot register the die notifier (%d)\n", ret);
		return ret;
	}
	atomic_notifier_chain_register(&panic_notifier_list, &kx_panic_nb);
	return 0;
}

/* The caller holds kx_mutex, or is module exit. */
void kx_crash_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &kx_panic_nb);
	unregister_die_notifier(&kx_die_nb);
	kx_crash_unload();
	free_page((unsigned long)kx_vmcoreinfo_page);
	kx_vmcoreinfo_page = NULL;
}
