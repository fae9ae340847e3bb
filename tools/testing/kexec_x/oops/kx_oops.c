// SPDX-License-Identifier: GPL-2.0
/*
 * kx_oops - a test module that oopses on request, for kexec_x's crash
 * tests: "echo 1 > /sys/module/kx_oops/parameters/trigger" dereferences a
 * NULL pointer in kx_oops_crash().  With panic_on_oops=1 the oops becomes a
 * panic, and the crash dump must show kx_oops_crash() as the faulting code.
 * Never load it on a machine you care about.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int *kx_oops_null;

static noinline void kx_oops_crash(void)
{
	pr_emerg("kx_oops: dereferencing NULL on purpose\n");
	WRITE_ONCE(*kx_oops_null, 1);
}

static int kx_oops_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "1"))
		kx_oops_crash();
	return 0;
}

static const struct kernel_param_ops kx_oops_ops = {
	.set = kx_oops_set,
};
module_param_cb(trigger, &kx_oops_ops, NULL, 0200);
MODULE_PARM_DESC(trigger, "Write 1 to oops with a NULL pointer dereference");

MODULE_DESCRIPTION("kexec_x test: oops on request");
MODULE_LICENSE("GPL");
