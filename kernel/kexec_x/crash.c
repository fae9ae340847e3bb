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
 * The limit: a CPU that does not answer the NMI within a second is not in
 * the dump, exactly as with the in-kernel kdump.
 *
 * Nothing on the panic path allocates, sleeps or takes a lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
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

/* crashk_res: the reservation crashkernel= made at boot. */
int kx_crash_reservation(struct kx_range *res)
{
	int ret = walk_iomem_res_desc(IORES_DESC_CRASH_KERNEL,
				      IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				      0, -1, res, kx_first_range);

	return ret == 1 ? 0 : -ENOENT;
}

/* Refusals that come before anything else in a crash load. */
int kx_crash_load_permitted(void)
{
	struct kx_range res;
	int (*crash_loaded)(void);
	int busy = 0;

	if (kx_crash_reservation(&res)) {
		pr_err("crash load refused: no crashkernel= reservation\n");
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
		struct file *f;
		loff_t pos = 0;
		ssize_t n;
		u64 phys = 0;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		f = filp_open(path, O_RDONLY, 0);
		if (!IS_ERR(f)) {
			n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
			buf[n > 0 ? n : 0] = '\0';
			if (kstrtoull(strim(buf), 16, &phys))
				phys = 0;
			filp_close(f, NULL);
		}
		per_cpu(kx_crash_note_phys, cpu) = phys;
	}
}

/* Copy the notes found by kx_crash_find_notes(); false if there are none. */
static bool kx_crash_copy_sysfs_notes(struct kx_slot *slot)
{
	unsigned int cpu;
	bool any = false;

	for_each_possible_cpu(cpu) {
		u64 phys = per_cpu(kx_crash_note_phys, cpu);

		if (!phys)
			continue;
		memcpy(slot->notes + cpu * slot->note_size, phys_to_virt(phys),
		       slot->note_size);
		any = true;
	}
	return any;
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
	struct file *f;
	loff_t pos = 0;
	char c = 'N';

	if (kx_sym.crash_kexec_post_notifiers)
		return READ_ONCE(*kx_sym.crash_kexec_post_notifiers);
	f = filp_open(KX_POST_NOTIFIERS_PARAM, O_RDONLY, 0);
	if (IS_ERR(f))
		return false;
	if (kernel_read(f, &c, 1, &pos) != 1)
		c = 'N';
	filp_close(f, NULL);
	return c == 'Y';
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
 * Copy every CPU's registers, which crash_smp_send_stop() and the arch
 * crash shutdown saved into the kernel's crash_notes, into the notes the
 * image's ELF core header points at.
 */
void kx_crash_save_notes(struct kx_slot *slot, struct pt_regs *regs)
{
	void __percpu *notes = NULL;
	unsigned int cpu;

	if (kx_sym.crash_notes)
		notes = READ_ONCE(*kx_sym.crash_notes);
	if (slot->notes && !notes && kx_crash_copy_sysfs_notes(slot))
		return;
	if (!slot->notes || !notes)
		return;
	for_each_possible_cpu(cpu)
		memcpy(slot->notes + cpu * slot->note_size,
		       per_cpu_ptr(notes, cpu), slot->note_size);
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
}
