// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_x - /sys/kernel/kexec_x/: what is loaded, and why the last call
 * failed.
 *
 *   loaded        1 if a normal image is loaded, else 0
 *   crash_loaded  1 if a crash image is loaded, else 0
 *   crash_size    bytes of the crashkernel= reservation, 0 if none
 *   last_error    "<errno> <NAME>: <cause>" of the last ioctl that failed,
 *                 or "0" if none has: the cause is the error message that
 *                 ioctl printed (every error path prints exactly one)
 *
 * The first three are the counterparts of the in-kernel kexec's
 * /sys/kernel/kexec_loaded, kexec_crash_loaded and kexec_crash_size (which
 * keep describing the in-kernel kexec only).  All four are read-only.
 *
 * The cause of last_error comes from pr_err(), which internal.h routes
 * through kx_pr_err() here: the message is printed as before and also
 * kept.  kx_ioctl() then pairs the kept message with the errno it returns
 * (kx_note_error()).  A failing ioctl that printed nothing (a bad user
 * pointer, say) gets its name as the cause.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

#define KX_CAUSE_MAX	160

/*
 * The last message and the last error.  Writers take the lock with a
 * trylock: a panic may print while another CPU, stopped, holds it, and a
 * lost cause is better than a hung crash kernel.
 */
static DEFINE_SPINLOCK(kx_err_lock);
static char kx_last_msg[KX_CAUSE_MAX];
static unsigned long kx_msg_seq;
static char kx_last_cause[KX_CAUSE_MAX];
static int kx_last_errno;

void kx_pr_err(const char *fmt, ...)
{
	static const char prefix[] = KBUILD_MODNAME ": ";
	char msg[KX_CAUSE_MAX];
	const char *text;
	unsigned long flags;
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), printk_skip_level(fmt), ap);
	va_end(ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	text = msg;
	if (!strncmp(text, prefix, sizeof(prefix) - 1))
		text += sizeof(prefix) - 1;

	if (!spin_trylock_irqsave(&kx_err_lock, flags))
		return;
	strscpy(kx_last_msg, text, sizeof(kx_last_msg));
	kx_msg_seq++;
	spin_unlock_irqrestore(&kx_err_lock, flags);
}

unsigned long kx_err_seq(void)
{
	unsigned long flags, seq;

	spin_lock_irqsave(&kx_err_lock, flags);
	seq = kx_msg_seq;
	spin_unlock_irqrestore(&kx_err_lock, flags);
	return seq;
}

void kx_note_error(int err, unsigned long seq, const char *what)
{
	unsigned long flags;

	if (!spin_trylock_irqsave(&kx_err_lock, flags))
		return;
	kx_last_errno = -err;
	if (kx_msg_seq != seq)
		strscpy(kx_last_cause, kx_last_msg, sizeof(kx_last_cause));
	else
		snprintf(kx_last_cause, sizeof(kx_last_cause), "%s failed", what);
	spin_unlock_irqrestore(&kx_err_lock, flags);
}

static ssize_t loaded_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", kx_normal_loaded());
}

static ssize_t crash_loaded_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", !!kx_crash_slot());
}

static ssize_t crash_size_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct kx_range res;

	if (kx_crash_reservation(&res))
		return sysfs_emit(buf, "0\n");
	return sysfs_emit(buf, "%llu\n", res.end - res.start);
}

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	char cause[KX_CAUSE_MAX], name[24];
	unsigned long flags;
	int err;

	spin_lock_irqsave(&kx_err_lock, flags);
	err = kx_last_errno;
	strscpy(cause, kx_last_cause, sizeof(cause));
	spin_unlock_irqrestore(&kx_err_lock, flags);
	if (!err)
		return sysfs_emit(buf, "0\n");
	/* "%pe" gives "-EINVAL" (or "-22" without CONFIG_SYMBOLIC_ERRNAME). */
	snprintf(name, sizeof(name), "%pe", ERR_PTR(-err));
	return sysfs_emit(buf, "%d %s: %s\n", err, name + 1, cause);
}

static struct kobj_attribute kx_attr_loaded = __ATTR_RO(loaded);
static struct kobj_attribute kx_attr_crash_loaded = __ATTR_RO(crash_loaded);
static struct kobj_attribute kx_attr_crash_size = __ATTR_RO(crash_size);
static struct kobj_attribute kx_attr_last_error = __ATTR_RO(last_error);

static struct attribute *kx_attrs[] = {
	&kx_attr_loaded.attr,
	&kx_attr_crash_loaded.attr,
	&kx_attr_crash_size.attr,
	&kx_attr_last_error.attr,
	NULL,
};

static const struct attribute_group kx_attr_group = {
	.attrs = kx_attrs,
};

static struct kobject *kx_kobj;

int kx_sysfs_init(void)
{
	int ret;

	kx_kobj = kobject_create_and_add("kexec_x", kernel_kobj);
	if (!kx_kobj) {
		pr_err("cannot create /sys/kernel/kexec_x\n");
		return -ENOMEM;
	}
	ret = sysfs_create_group(kx_kobj, &kx_attr_group);
	if (ret) {
		pr_err("cannot create the attributes of /sys/kernel/kexec_x (%d)\n",
		       ret);
		kobject_put(kx_kobj);
		kx_kobj = NULL;
	}
	return ret;
}

void kx_sysfs_exit(void)
{
	kobject_put(kx_kobj);
	kx_kobj = NULL;
}
