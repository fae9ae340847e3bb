// SPDX-License-Identifier: GPL-2.0
/*
 * load_file.c - KEXEC_X_IOC_LOAD_FILE on arm64: gather what the running
 * system knows (System RAM and what is reserved inside it, the crash
 * reservation, the CPUs' page sizes), let the pure planner
 * kx_arm64_file_build() place Image, initrd and DTB, and fill the DTB's
 * placeholders in place (fdt.c): the caller built the tree itself with
 * libfdt, since the kernel's libfdt is not exported to modules.
 *
 * The loader's -c mode runs the same planner on what /proc/iomem shows.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/kexec.h>		/* note_buf_t, VMCOREINFO_NOTE_SIZE */
#include <asm/cpufeature.h>
#include <asm/memory.h>

#include "internal.h"
#include "file.h"
#include "ksyms.h"
#include "arch.h"
#include "image.h"
#include "kx_fdt.h"
#include "elfcore.h"
#include "iomem.h"

#define KX_MAX_RANGES	256

struct kx_range_list {
	struct kx_range *r;
	unsigned int nr;
	unsigned int max;
	const struct kx_range_list *within;	/* keep only what meets these */
};

/* Collect whole pages of a resource, merging with an adjacent previous. */
static int kx_add_range(struct kx_range_list *l, u64 start, u64 end)
{
	start = ALIGN(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return 0;
	if (l->nr && l->r[l->nr - 1].end == start) {
		l->r[l->nr - 1].end = end;
		return 0;
	}
	if (l->nr == l->max) {
		pr_err("more than %u memory ranges\n", l->max);
		return -E2BIG;
	}
	l->r[l->nr].start = start;
	l->r[l->nr].end = end;
	l->nr++;
	return 0;
}

static int kx_collect_ram(struct resource *res, void *arg)
{
	return kx_add_range(arg, res->start, res->end + 1);
}

/*
 * Busy memory that is not System RAM but lies inside it: the "reserved"
 * regions (memblock reservations: firmware tables, the running DTB, GIC
 * tables, ...) that arm64 registers below System RAM.  Pieces avoid them,
 * as the in-kernel kexec_file_load() avoids memblock reservations and
 * kexec-tools avoids "reserved".  Whole pages around them are avoided.
 */
static int kx_collect_reserved(struct resource *res, void *arg)
{
	struct kx_range_list *l = arg;
	u64 start = ALIGN_DOWN(res->start, PAGE_SIZE);
	u64 end = ALIGN(res->end + 1, PAGE_SIZE);
	unsigned int i;

	if (res->flags & IORESOURCE_SYSTEM_RAM ||
	    res->desc == IORES_DESC_CRASH_KERNEL)
		return 0;
	for (i = 0; i < l->within->nr; i++)
		if (kx_overlaps(start, end, l->within->r[i].start,
				l->within->r[i].end))
			break;
	if (i == l->within->nr)
		return 0;
	if (l->nr && l->r[l->nr - 1].end >= start) {
		l->r[l->nr - 1].end = max(l->r[l->nr - 1].end, end);
		return 0;
	}
	if (l->nr == l->max) {
		pr_err("more than %u reserved memory ranges\n", l->max);
		return -E2BIG;
	}
	l->r[l->nr].start = start;
	l->r[l->nr].end = end;
	l->nr++;
	return 0;
}

static int kx_walk(unsigned long desc, unsigned long flags,
		   struct kx_range_list *l,
		   int (*fn)(struct resource *, void *))
{
	int ret = walk_iomem_res_desc(desc, flags, 0, -1, l, fn);

	return ret == -EINVAL ? 0 : ret;	/* -EINVAL: none at all */
}

/* Page sizes the CPUs can run a kernel with. */
static unsigned int kx_granules(void)
{
	return (system_supports_4kb_granule() ? KX_ARM64_GRAN_4K : 0) |
	       (system_supports_16kb_granule() ? KX_ARM64_GRAN_16K : 0) |
	       (system_supports_64kb_granule() ? KX_ARM64_GRAN_64K : 0);
}

/*
 * The kernel image at its own virtual address, as the kernel's
 * crash_prepare_elf64_headers() adds it to the ELF core header: dump tools
 * find the log and the kernel's symbols through it.  From _text and _end
 * where kallsyms has them.  6.1 arm64 has no KALLSYMS_ALL, so neither: then
 * from /proc/iomem, as kexec-tools does: "Kernel code" starts at the image
 * (__pa_symbol(_text) in 6.12's setup.c) and "Kernel data" ends at
 * __pa_symbol(_end - 1); the exported kimage_voffset turns the physical
 * start into the virtual one.  Without either the dump has RAM only.
 */
#define KX_IOMEM_MAX	(64 * 1024)

static void kx_kernel_image(struct kx_elfcore_in *ein)
{
	u64 code_start, code_end, data_start, data_end;
	char *text;
	ssize_t len;
	int ret;

	if (kx_sym.kernel_text && kx_sym.kernel_end) {
		ein->text_va = (unsigned long)kx_sym.kernel_text;
		ein->text_pa = __pa_symbol(kx_sym.kernel_text);
		ein->text_size = kx_sym.kernel_end - kx_sym.kernel_text;
		return;
	}
	text = kvmalloc(KX_IOMEM_MAX, GFP_KERNEL);
	if (!text)
		return;
	len = kx_read_text_file("/proc/iomem", text, KX_IOMEM_MAX);
	ret = len < 0 ? len :
	      kx_iomem_find(text, len, "Kernel code", &code_start, &code_end);
	if (!ret)
		ret = kx_iomem_find(text, len, "Kernel data", &data_start,
				    &data_end);
	kvfree(text);
	if (!ret && (data_end < code_start || data_end - code_start >= SZ_1G))
		ret = -ERANGE;
	if (ret) {
		pr_warn("no _text/_end in kallsyms and no kernel image in /proc/iomem (%d): the crash dump will not map the kernel image\n",
			ret);
		return;
	}
	ein->text_va = code_start + kimage_voffset;
	ein->text_pa = code_start;
	ein->text_size = data_end + 1 - code_start;
}

/*
 * A crash image's ELF core header, as the kernel's kexec_file_load()
 * builds it: note buffers for every possible CPU, VMCOREINFO, the kernel
 * text and the RAM outside the reservation.  It goes at the top of the
 * reservation (*@hdr); the rest of the reservation is left in *@room.
 */
static int kx_crash_prepare(struct kx_file_src *src,
			    const struct kx_range_list *ram,
			    const struct kx_range *res, struct kx_range *room,
			    struct kexec_x_segment *hdr)
{
	struct kx_elfcore_in ein = {
		.machine = EM_AARCH64,
		.nr_notes = nr_cpu_ids,
		.note_size = sizeof(note_buf_t),
		.vmcoreinfo_phys = paddr_vmcoreinfo_note(),
		.vmcoreinfo_size = VMCOREINFO_NOTE_SIZE,
		/* __va(pa) - pa, for any pa of the linear map */
		.page_offset = (u64)(uintptr_t)phys_to_virt(ram->r[0].start) -
			       ram->r[0].start,
		.ram = ram->r,
		.nr_ram = ram->nr,
		.exclude = res,
		.nr_exclude = 1,
	};
	u64 *note_phys;
	size_t size, used;
	unsigned int i;
	int ret;

	kx_kernel_image(&ein);
	src->note_size = sizeof(note_buf_t);
	src->notes = kcalloc(nr_cpu_ids, src->note_size, GFP_KERNEL);
	note_phys = kcalloc(nr_cpu_ids, sizeof(*note_phys), GFP_KERNEL);
	if (!src->notes || !note_phys) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr_cpu_ids; i++)
		note_phys[i] = virt_to_phys(src->notes + i * src->note_size);
	ein.note_phys = note_phys;

	size = kx_elfcore_max_size(&ein);
	if (size >= res->end - res->start) {
		pr_err("the crash reservation cannot hold the ELF core header\n");
		ret = -EADDRNOTAVAIL;
		goto out;
	}
	src->extra_buf = kvzalloc(size, GFP_KERNEL);
	if (!src->extra_buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = kx_elfcore_build(&ein, src->extra_buf, size, &used);
	if (ret) {
		pr_err("cannot build the ELF core header (%d)\n", ret);
		goto out;
	}
	*hdr = (struct kexec_x_segment) {
		.buf = (u64)(uintptr_t)src->extra_buf,
		.bufsz = used,
		.mem = ALIGN_DOWN(res->end - size, PAGE_SIZE),
		.memsz = res->end - ALIGN_DOWN(res->end - size, PAGE_SIZE),
	};
	room->start = res->start;
	room->end = hdr->mem;
out:
	kfree(note_phys);
	return ret;
}

/* Fill the DTB's placeholders now that everything has its place. */
static int kx_patch_dtb(struct kx_file_src *src,
			const struct kx_arm64_file_out *out,
			const struct kx_range *res,
			const struct kexec_x_segment *hdr)
{
	static const char * const initrd_props[] = {
		"linux,initrd-start", "linux,initrd-end"
	};
	u64 initrd[2] = { out->initrd_mem, out->initrd_mem + src->initrd_len };
	const char *why = "", *name = "";
	struct kx_range r;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(initrd_props) && !ret; i++) {
		name = initrd_props[i];
		ret = kx_fdt_set_num(src->dtb, name, src->initrd ? initrd[i] : 0,
				     &why);
		if (ret == -ENOENT && !src->initrd)
			ret = 0;	/* nothing to clear */
	}
	if (!ret && src->crash) {
		name = "linux,elfcorehdr";
		r.start = hdr->mem;
		r.end = hdr->mem + hdr->bufsz;
		ret = kx_fdt_set_ranges(src->dtb, name, &r, 1, &why);
	}
	if (!ret && src->crash) {
		name = "linux,usable-memory-range";
		ret = kx_fdt_set_ranges(src->dtb, name, res, 1, &why);
	}
	if (ret) {
		pr_err("device tree: /chosen/%s: %s\n", name, why);
		return -EINVAL;
	}
	return 0;
}

/* The DTB's own checks, before anything is placed. */
static int kx_check_dtb(struct kx_file_src *src)
{
	const char *why = "";
	const void *args;
	u32 len;
	int ret;

	if (!src->dtb) {
		pr_err("arm64 needs the new kernel's device tree (KEXEC_X_LOAD_DTB)\n");
		return -EINVAL;
	}
	ret = kx_fdt_check(src->dtb, src->dtb_len, &why);
	if (ret) {
		pr_err("device tree refused: %s\n", why);
		return ret;
	}
	src->dtb_len = kx_fdt_totalsize(src->dtb);
	if (!src->cmdline_len)
		return 0;
	/* The command line travels in the DTB; a different one is a bug. */
	ret = kx_fdt_getprop(src->dtb, "/chosen", "bootargs", &args, &len);
	if (ret || len != src->cmdline_len || memcmp(args, src->cmdline, len)) {
		pr_err("device tree: /chosen/bootargs differs from the command line\n");
		return -EINVAL;
	}
	return 0;
}

int kx_arch_file_build(struct kx_file_src *src)
{
	struct kx_range_list ram = { .max = KX_MAX_RANGES };
	struct kx_range_list avoid = { .max = KX_MAX_RANGES, .within = &ram };
	struct kx_arm64_file_in in = {
		.kernel = src->kernel,
		.kernel_len = src->kernel_len,
		.initrd_len = src->initrd_len,
		.granules = kx_granules(),
	};
	struct kx_arm64_file_out out;
	struct kexec_x_segment hdr = { };
	struct kx_arm64_image img;
	struct kx_range res = { }, room;
	const char *why = "";
	int ret;

	/* A bad kernel is ENOEXEC whatever else is wrong. */
	ret = kx_arm64_image_parse(src->kernel, src->kernel_len, in.granules,
				   &img, &why);
	if (ret) {
		pr_err("cannot load this kernel: %s\n", why);
		return ret;
	}
	ret = kx_check_dtb(src);
	if (ret)
		return ret;
	in.dtb_len = src->dtb_len;

	ram.r = kcalloc(2 * KX_MAX_RANGES, sizeof(*ram.r), GFP_KERNEL);
	if (!ram.r)
		return -ENOMEM;
	avoid.r = ram.r + KX_MAX_RANGES;
	ret = kx_walk(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
		      &ram, kx_collect_ram);
	if (!ret && !ram.nr) {
		pr_err("no System RAM in /proc/iomem\n");
		ret = -EADDRNOTAVAIL;
	}
	if (ret)
		goto out;

	if (src->crash) {
		ret = kx_crash_reservation(&res);
		if (!ret)
			ret = kx_crash_prepare(src, &ram, &res, &room, &hdr);
		if (ret)
			goto out;
		in.ram = &room;
		in.nr_ram = 1;
	} else {
		/* Not the crash reservation, nor what is reserved in RAM. */
		ret = kx_walk(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
			      &avoid, kx_collect_reserved);
		if (!ret)
			ret = kx_walk(IORES_DESC_CRASH_KERNEL,
				      IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				      &avoid, kx_collect_ram);
		if (ret)
			goto out;
		in.ram = ram.r;
		in.nr_ram = ram.nr;
		in.avoid = avoid.r;
		in.nr_avoid = avoid.nr;
	}

	ret = kx_arm64_file_build(&in, &out);
	if (ret) {
		pr_err("cannot load this kernel: %s (%d)\n", out.why, ret);
		goto out;
	}
	ret = kx_patch_dtb(src, &out, &res, &hdr);
	if (ret)
		goto out;

	src->segs[src->nr_segs++] = (struct kexec_x_segment) {
		.buf = (u64)(uintptr_t)src->kernel,
		.bufsz = src->kernel_len,
		.mem = out.kernel_mem,
		.memsz = out.kernel_memsz,
	};
	if (src->initrd)
		src->segs[src->nr_segs++] = (struct kexec_x_segment) {
			.buf = (u64)(uintptr_t)src->initrd,
			.bufsz = src->initrd_len,
			.mem = out.initrd_mem,
			.memsz = out.initrd_memsz,
		};
	src->segs[src->nr_segs++] = (struct kexec_x_segment) {
		.buf = (u64)(uintptr_t)src->dtb,
		.bufsz = src->dtb_len,
		.mem = out.dtb_mem,
		.memsz = out.dtb_memsz,
	};
	if (src->crash)
		src->segs[src->nr_segs++] = hdr;
	src->entry = out.kernel_mem;
	src->arg = out.dtb_mem;
out:
	kfree(ram.r);
	return ret;
}
