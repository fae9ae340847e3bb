// SPDX-License-Identifier: GPL-2.0
/*
 * load_file.c - gather what the running x86_64 system knows (RAM, the
 * firmware memory map, the crash reservation, its own boot_params) and let
 * the pure planner kx_x86_file_build() lay out a bzImage, initrd and
 * command line.  The loader's -c mode runs the same planner on what
 * /proc/iomem, /sys/firmware/memmap and /sys/kernel/boot_params show.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/e820/types.h>
#include <asm/pgtable.h>

#include "internal.h"
#include "file.h"
#include "ksyms.h"
#include "bootparam.h"

#define KX_MAX_RANGES	256

struct kx_range_list {
	struct kx_range *r;
	unsigned int nr;
	unsigned int max;
};

/* Collect whole pages of a resource, merging with an adjacent previous. */
static int kx_collect_range(struct resource *res, void *arg)
{
	struct kx_range_list *l = arg;
	u64 start = ALIGN(res->start, PAGE_SIZE);
	u64 end = ALIGN_DOWN(res->end + 1, PAGE_SIZE);

	if (start >= end)
		return 0;
	if (l->nr && l->r[l->nr - 1].end == start) {
		l->r[l->nr - 1].end = end;
		return 0;
	}
	if (l->nr == l->max)
		return -E2BIG;
	l->r[l->nr].start = start;
	l->r[l->nr].end = end;
	l->nr++;
	return 0;
}

static int kx_collect(unsigned long desc, unsigned long flags,
		      struct kx_range_list *l)
{
	int ret = walk_iomem_res_desc(desc, flags, 0, -1, l, kx_collect_range);

	return ret == -EINVAL ? 0 : ret;	/* -EINVAL: none at all */
}

/* The firmware memory map, as the new kernel's e820 table. */
static int kx_firmware_e820(struct kx_e820 *out, unsigned int max)
{
	const struct e820_table *t = READ_ONCE(*kx_sym.e820_table_firmware);
	struct kx_e820 *raw;
	unsigned int i, nr = READ_ONCE(t->nr_entries);
	int ret;

	if (!nr || nr > E820_MAX_ENTRIES) {
		pr_err("firmware memory map has %u entries\n", nr);
		return -EINVAL;
	}
	raw = kmalloc_array(nr, sizeof(*raw), GFP_KERNEL);
	if (!raw)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		raw[i].start = t->entries[i].addr;
		raw[i].end = t->entries[i].addr + t->entries[i].size;
		raw[i].type = t->entries[i].type;
	}
	ret = kx_e820_build(out, max, raw, nr);
	kfree(raw);
	return ret;
}

int kx_arch_file_build(struct kx_file_src *src)
{
	struct kx_range_list ram = { .max = KX_MAX_RANGES };
	struct kx_range_list avoid = { .max = 4 };
	struct kx_x86_file_in in = {
		.kernel = src->kernel,
		.kernel_len = src->kernel_len,
		.initrd = src->initrd,
		.initrd_len = src->initrd_len,
		.cmdline = src->cmdline,
		.cmdline_len = src->cmdline_len,
		.running = kx_sym.boot_params,
		.la57 = pgtable_l5_enabled(),
	};
	struct kx_x86_file_out out = { };
	struct kx_e820 *e820;
	int ret;

	ram.r = kcalloc(KX_MAX_RANGES + 4, sizeof(*ram.r), GFP_KERNEL);
	e820 = kcalloc(KX_X86_E820_MAX, sizeof(*e820), GFP_KERNEL);
	src->setup_buf = kvzalloc(KX_X86_SETUP_BUF_SIZE, GFP_KERNEL);
	if (!ram.r || !e820 || !src->setup_buf) {
		ret = -ENOMEM;
		goto out;
	}
	avoid.r = ram.r + KX_MAX_RANGES;

	ret = kx_collect(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM |
			 IORESOURCE_BUSY, &ram);
	if (ret)
		goto out;
	/* A normal image must leave crashkernel= memory to the crash kernel. */
	ret = kx_collect(IORES_DESC_CRASH_KERNEL, IORESOURCE_SYSTEM_RAM |
			 IORESOURCE_BUSY, &avoid);
	if (ret)
		goto out;
	ret = kx_firmware_e820(e820, KX_X86_E820_MAX);
	if (ret < 0)
		goto out;

	in.ram = ram.r;
	in.nr_ram = ram.nr;
	in.avoid = avoid.r;
	in.nr_avoid = avoid.nr;
	in.e820 = e820;
	in.nr_e820 = ret;
	out.setup_buf = src->setup_buf;
	ret = kx_x86_file_build(&in, &out);
	if (ret) {
		pr_err("cannot load this kernel: %s (%d)\n", out.why, ret);
		goto out;
	}
	memcpy(src->segs, out.segs, out.nr_segs * sizeof(out.segs[0]));
	src->nr_segs = out.nr_segs;
	src->entry = out.entry;
	src->arg = out.arg;
out:
	kfree(e820);
	kfree(ram.r);
	return ret;
}
