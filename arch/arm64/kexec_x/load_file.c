// SPDX-License-Identifier: GPL-2.0
/*
 * load_file.c - LOAD_FILE on arm64: placeholder until engineer B's Image
 * and DTB builder lands and replaces this file as a whole.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/printk.h>

#include "file.h"
#include "kx_arch.h"

int kx_arch_file_build(struct kx_file_src *src)
{
	pr_err("file loads are not implemented on arm64 yet: load raw segments (kexec_x -c -l)\n");
	return -ENOEXEC;
}
