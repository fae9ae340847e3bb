// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_x - kexec as a loadable module: /dev/kexec_x and its ioctls.
 *
 * One normal image slot, guarded by kx_mutex.  Loads, unloads and exec take
 * it with a trylock and fail with -EBUSY on contention, as the in-kernel
 * kexec_trylock() does; STATUS waits for it.  A load builds a complete new
 * slot before it replaces the old one, so a failed load leaves the previous
 * image (or none) exactly as it was.
 *
 * Policy, checked in the order of kernel/kexec.c: CAP_SYS_BOOT for every
 * ioctl; for loads, the module's one-way load_disabled latch, the LSM hook
 * security_kernel_load_data(LOADING_KEXEC_IMAGE) and lockdown
 * (LOCKDOWN_KEXEC), then the ABI (flags, reserved fields, counts).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "ksyms.h"

#define KX_VERSION "0.1"

static DEFINE_MUTEX(kx_mutex);
static struct kx_slot *kx_image;	/* the normal image, under kx_mutex */

/* One-way latch: once set, every load is refused until rmmod. */
static bool kx_load_disabled;

static int kx_disable_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (!on && kx_load_disabled)
		return -EPERM;
	if (on)
		WRITE_ONCE(kx_load_disabled, true);
	return 0;
}

static const struct kernel_param_ops kx_disable_ops = {
	.set = kx_disable_set,
	.get = param_get_bool,
};
module_param_cb(load_disabled, &kx_disable_ops, &kx_load_disabled, 0644);
MODULE_PARM_DESC(load_disabled,
		 "Refuse every image load (one-way: can be set, never cleared)");

/* ---- pages for images: the buddy allocator ---- */

static void *kx_buddy_alloc(void *ctx, unsigned int order, u64 *phys)
{
	struct page *page;

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NORETRY |
			   __GFP_NOWARN, order);
	if (!page)
		return NULL;
	*phys = page_to_phys(page);
	return page_address(page);
}

static void kx_buddy_free(void *ctx, void *virt, unsigned int order)
{
	free_pages((unsigned long)virt, order);
}

static void *kx_buddy_phys_to_virt(void *ctx, u64 phys)
{
	return phys_to_virt(phys);
}

/*
 * Destination pages straight from the allocator: alloc_contig_range()
 * takes a range of free or movable pages (migrating what is in use), as
 * CMA does, and hands them over as single pages with a reference each,
 * which kx_buddy_free() gives back one by one.  Only within one zone.
 */
static int kx_buddy_claim(void *ctx, u64 start, u64 end)
{
	unsigned long s = PHYS_PFN(start), e = PHYS_PFN(end);

	if (s >= e || !pfn_valid(s) || !pfn_valid(e - 1) ||
	    page_zone(pfn_to_page(s)) != page_zone(pfn_to_page(e - 1)))
		return -EINVAL;
	return alloc_contig_range(s, e, MIGRATE_MOVABLE,
				  GFP_KERNEL | __GFP_NOWARN);
}

const struct kx_alloc_ops kx_page_ops = {
	.alloc = kx_buddy_alloc,
	.free = kx_buddy_free,
	.phys_to_virt = kx_buddy_phys_to_virt,
	.claim = kx_buddy_claim,
};

/* ---- loading ---- */

static bool kx_is_ram(void *ctx, u64 start, u64 end)
{
	return region_intersects(start, end - start, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_INTERSECTS;
}

static bool kx_should_stop(void)
{
	return fatal_signal_pending(current);
}

void kx_free_slot(struct kx_slot *slot)
{
	if (!slot)
		return;
	kx_image_free(&slot->img);
	kfree(slot->crash_alloc);
	kfree(slot->notes);
	kfree(slot);
}

/* Copy every segment into image pages and close the indirection list. */
static int kx_load_segments(struct kx_slot *slot, kx_read_fn read,
			    void *src_ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < slot->img.nr_segments; i++) {
		ret = kx_image_load_segment(&slot->img, i, read, src_ctx,
					    kx_should_stop);
		if (ret) {
			pr_err("copying segment %u failed (%d)\n", i, ret);
			return ret;
		}
	}
	ret = kx_image_finish(&slot->img);
	if (ret)
		pr_err("terminating the indirection list failed (%d)\n", ret);
	return ret;
}

/**
 * kx_load_slot - check segments and copy them into a new slot
 * @kind:    KEXEC_X_KIND_*
 * @crash:   a crash image: segments inside the crash reservation, copied
 *           there at once
 * @segs:    the segments; their @buf is only interpreted by @read
 * @nr:      number of segments
 * @entry:   entry point
 * @arg:     argument register value
 * @read:    reads segment bytes (from user memory or a kernel buffer)
 * @src_ctx: passed to @read
 * @out:     the new slot, on success
 *
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int kx_load_slot(u32 kind, bool crash, const struct kexec_x_segment *segs,
		 unsigned int nr, u64 entry, u64 arg, kx_read_fn read,
		 void *src_ctx, struct kx_slot **out)
{
	struct kx_seg_limits lim = {
		.dest_limit = kx_arch_dest_limit(),
		.max_bytes = (u64)totalram_pages() << PAGE_SHIFT >> 1,
		.is_ram = kx_is_ram,
	};
	struct kx_range res;
	struct kx_slot *slot;
	int ret;

	if (crash) {
		ret = kx_crash_reservation(&res);
		if (ret)
			return ret;
		lim.crash_start = res.start;
		lim.crash_end = res.end;
	}
	ret = kx_check_segments(segs, nr, entry, &lim);
	if (ret) {
		pr_err("segment list refused (%d): see KEXEC_X_IOC_LOAD_SEGMENTS in <linux/kexec_x.h>\n",
		       ret);
		return ret;
	}

	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot)
		return -ENOMEM;
	slot->kind = kind;
	kx_image_init(&slot->img, &kx_page_ops, NULL, segs, nr, entry, arg);

	if (crash)
		ret = kx_crash_build(slot, &res, read, src_ctx);
	else
		ret = kx_load_segments(slot, read, src_ctx);
	if (ret)
		goto fail;
	ret = kx_arch_prepare(slot);
	if (ret) {
		pr_err("preparing the relocation stub failed (%d)\n", ret);
		goto fail;
	}
	*out = slot;
	return 0;
fail:
	kx_free_slot(slot);
	return ret;
}

/* Install @slot as the normal image; frees the one it replaces. */
static void kx_install_normal(struct kx_slot *slot)
{
	struct kx_slot *old = kx_image;

	kx_image = slot;
	kx_free_slot(old);
	pr_info("image loaded: %u segments, entry %#llx, %lu pages to copy, %lu in place\n",
		slot->img.nr_segments, slot->img.entry, slot->img.nr_copy,
		slot->img.nr_direct);
}

static void kx_install(struct kx_slot *slot, bool crash)
{
	if (crash)
		kx_crash_install(slot);
	else
		kx_install_normal(slot);
}

/*
 * Take the image slot for a load.  A crash load drops the current crash
 * image first: the new one is written over the same reservation.
 */
static int kx_load_begin(bool crash)
{
	if (!mutex_trylock(&kx_mutex)) {
		pr_err("load refused: another kexec_x operation is in progress\n");
		return -EBUSY;
	}
	if (crash)
		kx_crash_unload();
	return 0;
}

/* Policy checks shared by both loads, in the order of kernel/kexec.c. */
static int kx_load_permitted(u64 flags)
{
	int ret;

	if (READ_ONCE(kx_load_disabled)) {
		pr_err("load refused: loading is disabled (load_disabled latch)\n");
		return -EPERM;
	}
	ret = security_kernel_load_data(LOADING_KEXEC_IMAGE, false);
	if (ret) {
		pr_err("load refused by a security module (%d)\n", ret);
		return ret;
	}
	ret = security_locked_down(LOCKDOWN_KEXEC);
	if (ret) {
		pr_err("load refused: the kernel is locked down and kexec_x cannot verify images\n");
		return ret;
	}
	if (flags & ~KEXEC_X_LOAD_FLAGS) {
		pr_err("load refused: unknown flags %#llx\n",
		       flags & ~KEXEC_X_LOAD_FLAGS);
		return -EINVAL;
	}
	ret = kx_arch_check();
	if (ret)
		return ret;
	if (flags & KEXEC_X_LOAD_CRASH)
		return kx_crash_load_permitted();
	return 0;
}

static bool kx_reserved_zero(const u64 *r, unsigned int n)
{
	while (n--)
		if (*r++)
			return false;
	return true;
}

static int kx_read_user(void *ctx, unsigned int seg, u64 off, void *dst,
			size_t len)
{
	const struct kexec_x_segment *segs = ctx;
	const void __user *src = u64_to_user_ptr(segs[seg].buf + off);

	return copy_from_user(dst, src, len) ? -EFAULT : 0;
}

static long kx_ioctl_load_segments(void __user *argp)
{
	struct kexec_x_load_segments req;
	struct kexec_x_segment *segs;
	struct kx_slot *slot;
	bool crash;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	crash = req.flags & KEXEC_X_LOAD_CRASH;
	ret = kx_load_permitted(req.flags);
	if (ret)
		return ret;
	if (req.reserved0 || !kx_reserved_zero(req.reserved,
					       ARRAY_SIZE(req.reserved))) {
		pr_err("load refused: reserved fields must be zero\n");
		return -EINVAL;
	}
	if (req.flags & KEXEC_X_LOAD_DTB) {
		pr_err("load refused: KEXEC_X_LOAD_DTB goes with LOAD_FILE only\n");
		return -EINVAL;
	}
	if (req.flags & KEXEC_X_LOAD_PLAIN) {
		pr_err("load refused: KEXEC_X_LOAD_PLAIN goes with LOAD_FILE only\n");
		return -EINVAL;
	}
	/* Bound the count before sizing the copy (CVE-2023-52823). */
	if (!req.nr_segments || req.nr_segments > KEXEC_X_SEGMENT_MAX) {
		pr_err("load refused: %u segments (1..%u allowed)\n",
		       req.nr_segments, KEXEC_X_SEGMENT_MAX);
		return -EINVAL;
	}
	segs = memdup_user(u64_to_user_ptr(req.segments),
			   req.nr_segments * sizeof(*segs));
	if (IS_ERR(segs))
		return PTR_ERR(segs);

	ret = kx_load_begin(crash);
	if (ret)
		goto out;
	ret = kx_load_slot(KEXEC_X_KIND_SEGMENTS, crash, segs, req.nr_segments,
			   req.entry, req.arg, kx_read_user, segs, &slot);
	if (!ret && !crash)
		kx_slot_csum_take(slot, req.flags);
	if (!ret)
		kx_install(slot, crash);
	mutex_unlock(&kx_mutex);
out:
	kfree(segs);
	return ret;
}

static long kx_ioctl_load_file(void __user *argp)
{
	struct kexec_x_load_file req;
	struct kx_slot *slot;
	char *cmdline = NULL;
	bool crash;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	crash = req.flags & KEXEC_X_LOAD_CRASH;
	ret = kx_load_permitted(req.flags);
	if (ret)
		return ret;
	if (!kx_reserved_zero(req.reserved, ARRAY_SIZE(req.reserved))) {
		pr_err("load refused: reserved fields must be zero\n");
		return -EINVAL;
	}
	if (!(req.flags & KEXEC_X_LOAD_DTB) && (req.dtb || req.dtb_len)) {
		pr_err("load refused: dtb and dtb_len need KEXEC_X_LOAD_DTB\n");
		return -EINVAL;
	}
	if ((req.flags & KEXEC_X_LOAD_DTB) &&
	    (!req.dtb_len || req.dtb_len > KEXEC_X_DTB_MAX)) {
		pr_err("load refused: DTB of %llu bytes (1..%u allowed)\n",
		       req.dtb_len, KEXEC_X_DTB_MAX);
		return -EINVAL;
	}
	if (req.cmdline_len > KEXEC_X_CMDLINE_MAX) {
		pr_err("load refused: command line of %llu bytes (at most %u)\n",
		       req.cmdline_len, KEXEC_X_CMDLINE_MAX);
		return -EINVAL;
	}
	if (req.cmdline_len) {
		cmdline = memdup_user(u64_to_user_ptr(req.cmdline),
				      req.cmdline_len);
		if (IS_ERR(cmdline))
			return PTR_ERR(cmdline);
		if (cmdline[req.cmdline_len - 1]) {
			pr_err("load refused: command line is not NUL terminated\n");
			ret = -EINVAL;
			goto out;
		}
	}

	ret = kx_load_begin(crash);
	if (ret)
		goto out;
	ret = kx_load_file(&req, cmdline, req.cmdline_len, &slot);
	if (!ret && !crash)
		kx_slot_csum_take(slot, req.flags);
	if (!ret)
		kx_install(slot, crash);
	mutex_unlock(&kx_mutex);
out:
	kfree(cmdline);
	return ret;
}

static long kx_ioctl_unload(void __user *argp)
{
	struct kexec_x_unload req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~KEXEC_X_LOAD_CRASH ||
	    !kx_reserved_zero(req.reserved, ARRAY_SIZE(req.reserved))) {
		pr_err("unload refused: unknown flags or non-zero reserved fields\n");
		return -EINVAL;
	}
	if (!mutex_trylock(&kx_mutex)) {
		pr_err("unload refused: another kexec_x operation is in progress\n");
		return -EBUSY;
	}
	if (req.flags & KEXEC_X_LOAD_CRASH) {
		kx_crash_unload();
	} else {
		kx_free_slot(kx_image);
		kx_image = NULL;
	}
	mutex_unlock(&kx_mutex);
	return 0;
}

static long kx_ioctl_exec(void __user *argp)
{
	struct kexec_x_exec req;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || !kx_reserved_zero(req.reserved,
					   ARRAY_SIZE(req.reserved))) {
		pr_err("exec refused: unknown flags or non-zero reserved fields\n");
		return -EINVAL;
	}
	if (!mutex_trylock(&kx_mutex)) {
		pr_err("exec refused: another kexec_x operation is in progress\n");
		return -EBUSY;
	}
	if (!kx_image) {
		pr_err("exec refused: no image is loaded\n");
		ret = -ENOENT;
	} else {
		ret = kx_exec(kx_image);
	}
	mutex_unlock(&kx_mutex);
	return ret;
}

static long kx_ioctl_rehearse(void __user *argp)
{
	struct kexec_x_rehearse req;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || !kx_reserved_zero(req.reserved,
					   ARRAY_SIZE(req.reserved))) {
		pr_err("rehearsal refused: unknown flags or non-zero reserved fields\n");
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_X86_64)) {
		pr_err("rehearsal refused: this architecture has none yet\n");
		return -EOPNOTSUPP;
	}
	if (!mutex_trylock(&kx_mutex)) {
		pr_err("rehearsal refused: another kexec_x operation is in progress\n");
		return -EBUSY;
	}
	memset(&req, 0, sizeof(req));
	if (!kx_image) {
		pr_err("rehearsal refused: no image is loaded\n");
		ret = -ENOENT;
	} else {
		ret = kx_rehearse(kx_image, &req);
	}
	mutex_unlock(&kx_mutex);
	if (!ret && copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

#ifdef KX_TEST_HOOKS
/*
 * Test builds only (make KX_TEST_HOOKS=1, as tools/testing/kexec_x/build.sh
 * does): writing anything to the test_corrupt parameter flips one bit of
 * the first source page of the normal image, which EXEC must then refuse
 * with EBADMSG.  Release builds have no such parameter.
 */
static int kx_test_flip(void *ctx, void *src, u64 src_phys, u64 dest)
{
	*(u8 *)src ^= 0x01;
	return 1;
}

static int kx_test_corrupt_set(const char *val, const struct kernel_param *kp)
{
	int ret = -ENOENT;

	mutex_lock(&kx_mutex);
	if (kx_image &&
	    kx_image_walk_sources(&kx_image->img, kx_test_flip, NULL) == 1) {
		pr_warn("test hook: flipped a bit of the loaded image\n");
		ret = 0;
	}
	mutex_unlock(&kx_mutex);
	return ret;
}

static const struct kernel_param_ops kx_test_corrupt_ops = {
	.set = kx_test_corrupt_set,
};
module_param_cb(test_corrupt, &kx_test_corrupt_ops, NULL, 0200);
MODULE_PARM_DESC(test_corrupt,
		 "Test builds only: corrupt one bit of the loaded normal image");
#endif

static void kx_fill_info(struct kexec_x_image_info *info,
			 const struct kx_slot *slot)
{
	unsigned int i;

	if (!slot)
		return;
	info->kind = slot->kind;
	info->nr_segments = slot->img.nr_segments;
	info->entry = slot->img.entry;
	info->arg = slot->img.arg;
	info->pages_copy = slot->img.nr_copy;
	info->pages_direct = slot->img.nr_direct;
	for (i = 0; i < slot->img.nr_segments; i++) {
		info->segments[i].mem = slot->img.segs[i].mem;
		info->segments[i].memsz = slot->img.segs[i].memsz;
		info->total_bytes += slot->img.segs[i].memsz;
	}
}

static long kx_ioctl_status(void __user *argp)
{
	struct kexec_x_status *st;
	struct kx_range res;
	long ret = 0;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->abi_version = KEXEC_X_ABI_VERSION;
	if (READ_ONCE(kx_load_disabled))
		st->flags |= KEXEC_X_STATUS_LOAD_DISABLED;

	if (mutex_lock_interruptible(&kx_mutex)) {
		ret = -EINTR;
		goto out;
	}
	kx_fill_info(&st->image, kx_image);
	kx_fill_info(&st->crash, kx_crash_slot());
	mutex_unlock(&kx_mutex);
	if (!kx_crash_reservation(&res)) {
		st->flags |= KEXEC_X_STATUS_CRASH_RESERVED;
		st->crash_base = res.start;
		st->crash_size = res.end - res.start;
	}

	if (copy_to_user(argp, st, sizeof(*st)))
		ret = -EFAULT;
out:
	kfree(st);
	return ret;
}

static long kx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;

	switch (cmd) {
	case KEXEC_X_IOC_LOAD_SEGMENTS:
		return kx_ioctl_load_segments(argp);
	case KEXEC_X_IOC_LOAD_FILE:
		return kx_ioctl_load_file(argp);
	case KEXEC_X_IOC_UNLOAD:
		return kx_ioctl_unload(argp);
	case KEXEC_X_IOC_EXEC:
		return kx_ioctl_exec(argp);
	case KEXEC_X_IOC_STATUS:
		return kx_ioctl_status(argp);
	case KEXEC_X_IOC_REHEARSE:
		return kx_ioctl_rehearse(argp);
	case KEXEC_X_IOC_DISABLE:
		WRITE_ONCE(kx_load_disabled, true);
		pr_info("loading disabled until the module is unloaded\n");
		return 0;
	default:
		return -ENOTTY;
	}
}

/*
 * kx_ioctl(), keeping the errno of a failure and the message it printed
 * for /sys/kernel/kexec_x/last_error (sysfs.c).
 */
static long kx_ioctl_noted(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	static const char * const names[] = {
		[_IOC_NR(KEXEC_X_IOC_LOAD_SEGMENTS)] = "LOAD_SEGMENTS",
		[_IOC_NR(KEXEC_X_IOC_LOAD_FILE)] = "LOAD_FILE",
		[_IOC_NR(KEXEC_X_IOC_UNLOAD)] = "UNLOAD",
		[_IOC_NR(KEXEC_X_IOC_EXEC)] = "EXEC",
		[_IOC_NR(KEXEC_X_IOC_STATUS)] = "STATUS",
		[_IOC_NR(KEXEC_X_IOC_DISABLE)] = "DISABLE",
	};
	unsigned long seq = kx_err_seq();
	const char *name = NULL;
	long ret;

	ret = kx_ioctl(file, cmd, arg);
	if (ret < 0) {
		if (_IOC_TYPE(cmd) == KEXEC_X_IOC_MAGIC &&
		    _IOC_NR(cmd) < ARRAY_SIZE(names))
			name = names[_IOC_NR(cmd)];
		kx_note_error(ret, seq, name ? name : "ioctl");
	}
	return ret;
}

/*
 * For the few facts the kernel shows in a file and nowhere a module can
 * read them (crash.c, arch/arm64/kexec_x/load_file.c).  Files of size 0
 * in the page cache's eyes, so kernel_read_file() does not apply.
 */
ssize_t kx_read_text_file(const char *path, char *buf, size_t size)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n, got = 0;

	if (!size)
		return -EINVAL;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	while ((size_t)got < size - 1) {
		n = kernel_read(f, buf + got, size - 1 - got, &pos);
		if (n <= 0) {
			if (n < 0 && !got)
				got = n;
			break;
		}
		got += n;
	}
	filp_close(f, NULL);
	buf[got > 0 ? got : 0] = '\0';
	return got;
}

bool kx_normal_loaded(void)
{
	return READ_ONCE(kx_image);
}

static int kx_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	return 0;
}

static const struct file_operations kx_fops = {
	.owner = THIS_MODULE,
	.open = kx_open,
	.unlocked_ioctl = kx_ioctl_noted,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kx_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kexec_x",
	.fops = &kx_fops,
	.mode = 0600,
};

static int __init kx_init(void)
{
	int ret;

	ret = kx_ksyms_init();
	if (ret)
		return ret;
	ret = kx_crash_init();
	if (ret)
		return ret;
	ret = kx_sysfs_init();
	if (ret) {
		kx_crash_exit();
		return ret;
	}
	ret = misc_register(&kx_misc);
	if (ret) {
		pr_err("cannot register /dev/kexec_x (%d)\n", ret);
		kx_sysfs_exit();
		kx_crash_exit();
		return ret;
	}
	pr_info("version %s, ABI %u: /dev/kexec_x ready\n", KX_VERSION,
		KEXEC_X_ABI_VERSION);
	return 0;
}

static void __exit kx_exit(void)
{
	misc_deregister(&kx_misc);
	kx_sysfs_exit();
	/* No ioctl can run now: the device is gone and had no opener. */
	kx_crash_exit();
	kx_free_slot(kx_image);
	kx_image = NULL;
}

module_init(kx_init);
module_exit(kx_exit);

MODULE_DESCRIPTION("kexec as a loadable module: load and boot a new kernel through /dev/kexec_x");
MODULE_AUTHOR("The kexec_x developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KX_VERSION);
