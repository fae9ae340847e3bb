// SPDX-License-Identifier: GPL-2.0
/*
 * arch_arm64.c - the kexec_x loader on arm64.
 *
 * The new kernel's device tree is the running kernel's
 * (/sys/firmware/fdt), edited with libfdt: /chosen gets bootargs,
 * kaslr-seed, rng-seed and linux,booted-from-kexec; stale initrd, crash
 * and IMA properties go.  Then:
 *
 *   -l     (LOAD_FILE) /chosen also gets placeholders of their final size
 *          (linux,initrd-start/-end; for -p linux,elfcorehdr and
 *          linux,usable-memory-range) that the module fills once it has
 *          placed the pieces; the tree travels with KEXEC_X_LOAD_DTB.
 *   -c -l  (LOAD_SEGMENTS) the loader places Image, initrd and DTB with the
 *          module's planner (arch/arm64/kexec_x/image.c) on what
 *          /proc/iomem shows and writes the real values.
 *
 * A gzip-compressed Image (Image.gz) is decompressed first (zlib); for -l
 * the module then reads it from a memfd.
 *
 * -p -c also builds the ELF core header the crash kernel's /proc/vmcore
 * comes from, as kexec-tools does: one PT_NOTE per possible CPU at the
 * kernel's crash_notes (/sys/devices/system/cpu/cpuN/crash_notes), the
 * VMCOREINFO note (/sys/kernel/vmcoreinfo), the kernel text (_text and
 * _end from /proc/kallsyms, "Kernel code" in /proc/iomem; where kallsyms
 * has no _end, the kernel text's program header in /proc/kcore) and
 * System RAM outside the reservation at its linear map address (from
 * /proc/kcore).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include <libfdt.h>
#include <zlib.h>

#include "loader.h"
#include "image.h"
#include "elfcore.h"

/* Bytes of rng-seed, as the kernel's kexec_file_load() gives. */
#define KX_RNG_SEED_SIZE	128
/* Room the edits may add to the running tree. */
#define KX_DTB_SLACK		0x10000
/* Most bytes a gzip Image may inflate to. */
#define KX_GUNZIP_MAX		KX_ARM64_IMAGE_MAX

/**
 * struct kx_arm64_state - what a load keeps until the ioctl is done
 * @dtb:   the new kernel's device tree (malloc'ed)
 * @memfd: for -l with a gzip Image: the decompressed Image, or -1
 * @hdr:   for -p -c: the ELF core header (malloc'ed)
 */
struct kx_arm64_state {
	void *dtb;
	int memfd;
	void *hdr;
};

const char *kx_arch_name(void)
{
	return "arm64";
}

/* ---- the kernel file ---- */

/* Inflate a gzip file in place of @f's bytes. */
static int kx_gunzip(struct kx_file *f)
{
	z_stream z = { 0 };
	size_t cap = f->len * 4 + (1 << 20), len = 0;
	unsigned char *out = NULL, *p;
	int zr;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		kx_err("%s: cannot start zlib", f->path);
		return -ENOMEM;
	}
	z.next_in = f->data;
	z.avail_in = f->len;
	do {
		if (len == cap || !out) {
			if (out)
				cap *= 2;
			if (cap > KX_GUNZIP_MAX + 1)
				cap = KX_GUNZIP_MAX + 1;
			p = len == cap ? NULL : realloc(out, cap);
			if (!p) {
				kx_err("%s: %s", f->path, len == cap ?
				       "inflates to more than 1 GiB" :
				       "out of memory");
				zr = Z_MEM_ERROR;
				break;
			}
			out = p;
		}
		z.next_out = out + len;
		z.avail_out = cap - len;
		zr = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
	} while (zr == Z_OK);
	inflateEnd(&z);
	if (zr != Z_STREAM_END) {
		if (zr != Z_MEM_ERROR)
			kx_err("%s: corrupt gzip data (%s)", f->path,
			       z.msg ? z.msg : "truncated");
		free(out);
		return zr == Z_MEM_ERROR ? -ENOMEM : -ENOEXEC;
	}
	kx_dbg("%s: gzip, %zu bytes inflated to %zu", f->path, f->len, len);
	free(f->data);
	f->data = out;
	f->len = len;
	return 0;
}

/* Read the kernel, inflate it if need be, and parse its header. */
static int kx_arm64_kernel(struct kx_file *f, struct kx_arm64_image *img)
{
	const char *why;
	int ret;

	ret = kx_read_file(f);
	if (!ret && kx_arm64_is_gzip(f->data, f->len))
		ret = kx_gunzip(f);
	if (ret)
		return ret;
	ret = kx_arm64_image_parse(f->data, f->len, KX_ARM64_GRAN_ALL, img,
				   &why);
	if (ret) {
		kx_err("%s: %s (not a bootable arm64 Image)", f->path, why);
		return ret;
	}
	kx_dbg("Image: text_offset 0x%llx, image_size 0x%llx, flags 0x%llx (%s page size, %s)",
	       (unsigned long long)img->text_offset,
	       (unsigned long long)img->image_size,
	       (unsigned long long)img->flags,
	       img->granule == KX_ARM64_GRAN_4K ? "4K" :
	       img->granule == KX_ARM64_GRAN_16K ? "16K" :
	       img->granule == KX_ARM64_GRAN_64K ? "64K" : "unspecified",
	       img->phys_any ? "anywhere below 2^48" : "low in RAM");
	return 0;
}

/* ---- the device tree ---- */

static int kx_fdt_err(const char *what, int err)
{
	kx_err("device tree: %s: %s", what, fdt_strerror(err));
	return -EINVAL;
}

/* Delete /chosen/@name if present. */
static int kx_fdt_drop(void *fdt, int chosen, const char *name)
{
	int ret = fdt_delprop(fdt, chosen, name);

	return ret && ret != -FDT_ERR_NOTFOUND ? kx_fdt_err(name, ret) : 0;
}

/* A number of @len 4 or 8 bytes from a property. */
static u64 kx_fdt_num(const void *p, int len)
{
	return len == 8 ? fdt64_ld(p) : len == 4 ? fdt32_ld(p) : 0;
}

/*
 * Drop the memory reservation of the running kernel's initrd, as the
 * kernel's of_kexec_alloc_and_setup_fdt() does: it is free memory for the
 * new kernel.
 */
static int kx_fdt_drop_initrd_rsv(void *fdt, int chosen)
{
	const void *s, *e;
	u64 start, end, a, sz;
	int ls, le, i, ret;

	s = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	e = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	if (!s || !e)
		return 0;
	start = kx_fdt_num(s, ls);
	end = kx_fdt_num(e, le);
	for (i = fdt_num_mem_rsv(fdt) - 1; i >= 0; i--) {
		if (fdt_get_mem_rsv(fdt, i, &a, &sz))
			continue;
		if (a == start && (sz == end - start ||
				   sz == ALIGN(end - start, KX_PAGE_SIZE))) {
			ret = fdt_del_mem_rsv(fdt, i);
			if (ret)
				return kx_fdt_err("memreserve", ret);
		}
	}
	return 0;
}

/* The root's address and size cells, as the new kernel reads /chosen. */
static void kx_fdt_root_cells(const void *fdt, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, 0);
	*sc = fdt_size_cells(fdt, 0);
	if (*ac < 1 || *ac > 2)
		*ac = 2;
	if (*sc < 1 || *sc > 2)
		*sc = 1;
}

/* /chosen/@name = <addr size> pairs of @r, in the root's cells. */
static int kx_fdt_ranges(void *fdt, int chosen, const char *name,
			 const struct kx_range *r, unsigned int nr)
{
	fdt32_t cells[KX_MAX_CRASH * 4];
	unsigned int i, n = 0;
	int ac, sc;

	kx_fdt_root_cells(fdt, &ac, &sc);
	for (i = 0; i < nr && i < KX_MAX_CRASH; i++) {
		if (ac == 2)
			cells[n++] = cpu_to_fdt32(r[i].start >> 32);
		cells[n++] = cpu_to_fdt32(r[i].start);
		if (sc == 2)
			cells[n++] = cpu_to_fdt32((r[i].end - r[i].start) >> 32);
		cells[n++] = cpu_to_fdt32(r[i].end - r[i].start);
	}
	i = fdt_setprop(fdt, chosen, name, cells, n * sizeof(cells[0]));
	return i ? kx_fdt_err(name, i) : 0;
}

/**
 * struct kx_dtb_in - what goes into /chosen
 * @cmdline:  bootargs ("" for none)
 * @initrd:   there is an initrd: linux,initrd-start/-end
 * @crash:    crash load: linux,elfcorehdr and linux,usable-memory-range
 * @usable:   the crash reservation ranges (zeros as placeholders)
 * @nr_usable: entries at @usable
 */
struct kx_dtb_in {
	const char *cmdline;
	bool initrd;
	bool crash;
	const struct kx_range *usable;
	unsigned int nr_usable;
};

/*
 * The new kernel's device tree from the running kernel's, with /chosen
 * as the head of this file says and zero placeholders for the addresses.
 * Malloc'ed, packed; NULL on failure (cause printed).
 */
static void *kx_dtb_build(const struct kx_dtb_in *in)
{
	static const char * const stale[] = {
		"linux,elfcorehdr", "linux,usable-memory-range",
		"linux,initrd-start", "linux,initrd-end", "kaslr-seed",
		"rng-seed", "bootargs", "linux,ima-kexec-buffer",
		"linux,booted-from-kexec",
	};
	struct kx_file f = { .path = kx_sys_path("/sys/firmware/fdt") };
	u8 seed[KX_RNG_SEED_SIZE];
	struct kx_range zero[1] = { { 0, 0 } };
	unsigned int i;
	void *fdt = NULL;
	u64 kaslr;
	int chosen, ret;

	if (kx_read_file(&f))
		return NULL;
	ret = fdt_check_full(f.data, f.len);
	if (!ret) {
		fdt = malloc(f.len + KX_DTB_SLACK);
		if (!fdt) {
			kx_err("out of memory");
			goto fail;
		}
		ret = fdt_open_into(f.data, fdt, f.len + KX_DTB_SLACK);
	}
	if (ret) {
		kx_err("%s: not a usable device tree (%s)", f.path,
		       fdt_strerror(ret));
		goto fail;
	}
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0) {
		kx_fdt_err("/chosen", chosen);
		goto fail;
	}
	if (kx_fdt_drop_initrd_rsv(fdt, chosen))
		goto fail;
	for (i = 0; i < ARRAY_SIZE(stale); i++)
		if (kx_fdt_drop(fdt, chosen, stale[i]))
			goto fail;
	/* Offsets move with every edit: look /chosen up again each time. */
#define CHOSEN	fdt_path_offset(fdt, "/chosen")
	if (*in->cmdline) {
		ret = fdt_setprop_string(fdt, CHOSEN, "bootargs", in->cmdline);
		if (ret) {
			kx_fdt_err("bootargs", ret);
			goto fail;
		}
	}
	if (getrandom(&kaslr, sizeof(kaslr), 0) != sizeof(kaslr) ||
	    getrandom(seed, sizeof(seed), 0) != sizeof(seed)) {
		kx_err("getrandom: %s", strerror(errno));
		goto fail;
	}
	ret = fdt_setprop_u64(fdt, CHOSEN, "kaslr-seed", kaslr);
	if (!ret)
		ret = fdt_setprop(fdt, CHOSEN, "rng-seed", seed, sizeof(seed));
	if (!ret)
		ret = fdt_setprop(fdt, CHOSEN, "linux,booted-from-kexec", NULL,
				  0);
	if (!ret && in->initrd)
		ret = fdt_setprop_u64(fdt, CHOSEN, "linux,initrd-start", 0);
	if (!ret && in->initrd)
		ret = fdt_setprop_u64(fdt, CHOSEN, "linux,initrd-end", 0);
	if (ret) {
		kx_fdt_err("/chosen", ret);
		goto fail;
	}
	if (in->crash) {
		if (kx_fdt_ranges(fdt, CHOSEN, "linux,elfcorehdr", zero, 1))
			goto fail;
		if (kx_fdt_ranges(fdt, CHOSEN, "linux,usable-memory-range",
				  in->usable ? in->usable : zero,
				  in->usable ? in->nr_usable : 1))
			goto fail;
	}
#undef CHOSEN
	fdt_pack(fdt);
	if (fdt_totalsize(fdt) > KEXEC_X_DTB_MAX) {
		kx_err("device tree of %u bytes: the limit is %u",
		       fdt_totalsize(fdt), KEXEC_X_DTB_MAX);
		goto fail;
	}
	kx_free_file(&f);
	return fdt;
fail:
	kx_free_file(&f);
	free(fdt);
	return NULL;
}

/* Write the real addresses into the placeholders (-c). */
static int kx_dtb_fill(void *fdt, const struct kx_arm64_file_out *out,
		       u64 initrd_len)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), ret = 0;

	if (initrd_len) {
		ret = fdt_setprop_inplace_u64(fdt, chosen, "linux,initrd-start",
					      out->initrd_mem);
		if (!ret)
			ret = fdt_setprop_inplace_u64(fdt, chosen,
						      "linux,initrd-end",
						      out->initrd_mem +
						      initrd_len);
	}
	return ret ? kx_fdt_err("linux,initrd-*", ret) : 0;
}

/* ---- -l: LOAD_FILE ---- */

int kx_arch_file_args(const struct kx_load *ld, struct kexec_x_load_file *arg,
		      struct kx_plan *plan)
{
	struct kx_dtb_in din = {
		.cmdline = ld->cmdline,
		.initrd = ld->initrd,
		.crash = ld->crash,
	};
	struct kx_arm64_state *st;
	struct kx_arm64_image img;
	const u8 *magic = NULL;
	int ret;

	st = calloc(1, sizeof(*st));
	if (!st) {
		kx_err("out of memory");
		return -ENOMEM;
	}
	st->memfd = -1;
	plan->extra = st;
	plan->kernel.path = ld->kernel;
	/* A gzip Image is inflated here: the module takes plain Images. */
	ret = kx_read_file(&plan->kernel);
	if (ret)
		return ret;
	magic = plan->kernel.data;
	if (kx_arm64_is_gzip(magic, plan->kernel.len)) {
		ret = kx_arm64_kernel(&plan->kernel, &img);
		if (ret)
			return ret;
		st->memfd = memfd_create("kexec_x-Image", MFD_CLOEXEC);
		if (st->memfd < 0 ||
		    write(st->memfd, plan->kernel.data, plan->kernel.len) !=
		    (ssize_t)plan->kernel.len) {
			kx_err("memfd for the inflated Image: %s",
			       strerror(errno));
			return -EIO;
		}
		arg->kernel_fd = st->memfd;
	}
	kx_free_file(&plan->kernel);

	st->dtb = kx_dtb_build(&din);
	if (!st->dtb)
		return -EINVAL;
	arg->flags |= KEXEC_X_LOAD_DTB;
	arg->dtb = (u64)(uintptr_t)st->dtb;
	arg->dtb_len = fdt_totalsize(st->dtb);
	kx_dbg("device tree: %u bytes from %s, /chosen placeholders for the module",
	       fdt_totalsize(st->dtb), kx_sys_path("/sys/firmware/fdt"));
	return 0;
}

/* ---- -c: LOAD_SEGMENTS ---- */

/**
 * struct kx_arm64_sys - the running system, from /proc/iomem
 * @ram:      System RAM
 * @crash:    crashkernel= reservations
 * @avoid:    "reserved" regions (memblock reservations) and, for a normal
 *            load, the crash reservations
 */
struct kx_arm64_sys {
	struct kx_range ram[KX_MAX_RAM];
	unsigned int nr_ram;
	struct kx_range crash[KX_MAX_CRASH];
	unsigned int nr_crash;
	struct kx_range avoid[KX_MAX_RAM];
	unsigned int nr_avoid;
	bool overflow;
};

static void kx_arm64_reserved_line(void *ctx, u64 start, u64 end,
				   const char *name)
{
	struct kx_arm64_sys *sys = ctx;

	if (strcmp(name, "reserved"))
		return;
	if (sys->nr_avoid == KX_MAX_RAM) {
		sys->overflow = true;
		return;
	}
	sys->avoid[sys->nr_avoid].start = ALIGN_DOWN(start, KX_PAGE_SIZE);
	sys->avoid[sys->nr_avoid].end = ALIGN(end, KX_PAGE_SIZE);
	sys->nr_avoid++;
}

static int kx_arm64_sys_read(struct kx_arm64_sys *sys, bool crash)
{
	unsigned int i;
	int ret;

	ret = kx_iomem_ram(sys->ram, &sys->nr_ram, sys->crash,
			   &sys->nr_crash);
	if (!ret)
		ret = kx_iomem_walk_all(kx_arm64_reserved_line, sys);
	if (ret)
		return ret;
	for (i = 0; i < sys->nr_crash && !crash; i++) {
		if (sys->nr_avoid == KX_MAX_RAM)
			sys->overflow = true;
		else
			sys->avoid[sys->nr_avoid++] = sys->crash[i];
	}
	if (sys->overflow) {
		kx_err("%s: more than %d reserved ranges",
		       kx_sys_path("/proc/iomem"), KX_MAX_RAM);
		return -E2BIG;
	}
	if (crash && !sys->nr_crash) {
		kx_err("-p: %s has no \"Crash kernel\" range (boot with crashkernel=256M)",
		       kx_sys_path("/proc/iomem"));
		return -ENOENT;
	}
	return 0;
}

/* ---- -p -c: the ELF core header ---- */

/* Most possible CPUs the header describes. */
#define KX_MAX_CPUS	4096

/* A hexadecimal number from a small system file, or 0 on failure. */
static u64 kx_sys_hex(const char *path, u64 *second)
{
	char buf[128], *end;
	u64 v;

	if (kx_read_text(kx_sys_path(path), buf, sizeof(buf)) <= 0)
		return 0;
	v = strtoull(buf, &end, 16);
	if (second)
		*second = strtoull(end, NULL, 16);
	return v;
}

/* Possible CPUs: the highest number in /sys/devices/system/cpu/possible. */
static unsigned int kx_possible_cpus(void)
{
	char buf[256], *p;
	unsigned long n = 0;

	if (kx_read_text(kx_sys_path("/sys/devices/system/cpu/possible"), buf,
			 sizeof(buf)) <= 0)
		return 0;
	for (p = buf; *p; ) {
		n = strtoul(p, &p, 10);
		while (*p && (*p < '0' || *p > '9'))
			p++;
	}
	return n < KX_MAX_CPUS ? n + 1 : 0;
}

/* _text and _end from /proc/kallsyms (root sees the addresses). */
static void kx_kallsyms_text(u64 *text, u64 *end)
{
	FILE *f = fopen(kx_sys_path("/proc/kallsyms"), "re");
	char line[512], name[256], type;
	unsigned long long a;

	*text = 0;
	*end = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && (!*text || !*end)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		if (!strcmp(name, "_text"))
			*text = a;
		else if (!strcmp(name, "_end"))
			*end = a;
	}
	fclose(f);
}

/**
 * struct kx_kcore - what /proc/kcore's program headers tell
 * @page_offset: the linear map offset (virtual minus physical): that of
 *               the largest PT_LOAD with a physical address (RAM)
 * @text_va:     the kernel image's PT_LOAD (KCORE_TEXT: _text to _end,
 *               physical address __pa_symbol(_text)), the one with a
 *               physical address at another offset; 0 if none
 * @text_pa:     its physical address
 * @text_size:   its size
 */
struct kx_kcore {
	u64 page_offset;
	u64 text_va;
	u64 text_pa;
	u64 text_size;
};

#define KX_KCORE_PHDRS_MAX	512

static int kx_kcore_scan(struct kx_kcore *kc)
{
	const char *path = kx_sys_path("/proc/kcore");
	Elf64_Phdr *ph = NULL;
	u64 best = 0;
	Elf64_Ehdr eh;
	FILE *f = fopen(path, "re");
	unsigned int i, n = 0;

	memset(kc, 0, sizeof(*kc));
	if (!f) {
		kx_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fread(&eh, sizeof(eh), 1, f) != 1 ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(*ph) || eh.e_phnum > KX_KCORE_PHDRS_MAX)
		goto bad;
	ph = calloc(eh.e_phnum ?: 1, sizeof(*ph));
	if (!ph) {
		fclose(f);
		return -ENOMEM;
	}
	if (fseek(f, eh.e_phoff, SEEK_SET) ||
	    fread(ph, sizeof(*ph), eh.e_phnum, f) != eh.e_phnum)
		goto bad;
	/* Only RAM and the kernel text have a physical address. */
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_paddr == ~0ULL)
			continue;
		ph[n++] = ph[i];
		if (ph[n - 1].p_memsz > best) {
			best = ph[n - 1].p_memsz;
			kc->page_offset = ph[n - 1].p_vaddr - ph[n - 1].p_paddr;
		}
	}
	for (i = 0; i < n; i++) {
		if (ph[i].p_vaddr - ph[i].p_paddr == kc->page_offset)
			continue;
		kc->text_va = ph[i].p_vaddr;
		kc->text_pa = ph[i].p_paddr;
		kc->text_size = ph[i].p_memsz;
		break;
	}
	free(ph);
	fclose(f);
	if (best)
		return 0;
	kx_err("%s: no RAM program header", path);
	return -ENOENT;
bad:
	free(ph);
	fclose(f);
	kx_err("%s: not a readable ELF core", path);
	return -EINVAL;
}

/* "Kernel code" in /proc/iomem: the physical address of _text. */
static void kx_kernel_code_line(void *ctx, u64 start, u64 end,
				const char *name)
{
	u64 *pa = ctx;

	if (!*pa && !strcmp(name, "Kernel code"))
		*pa = start;
}

/*
 * Build the ELF core header into *@hdr_buf (malloc'ed) for the crash
 * kernel, at the top of the last crash range, and shrink that range so
 * nothing else goes there.  @hdr gets its place and size.
 */
static int kx_arm64_elfcore(struct kx_arm64_sys *sys, void **hdr_buf,
			    struct kexec_x_segment *hdr)
{
	struct kx_elfcore_in ein = {
		.machine = EM_AARCH64,
		.ram = sys->ram,
		.nr_ram = sys->nr_ram,
		.exclude = sys->crash,
		.nr_exclude = sys->nr_crash,
	};
	struct kx_range *res = &sys->crash[sys->nr_crash - 1];
	struct kx_kcore kc;
	char path[128];
	u64 *notes, text_end, size2 = 0;
	unsigned int i, n = kx_possible_cpus();
	size_t size, used;
	int ret;

	if (!n) {
		kx_err("%s: unreadable", kx_sys_path("/sys/devices/system/cpu/possible"));
		return -ENOENT;
	}
	notes = calloc(n, sizeof(*notes));
	if (!notes)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes", i);
		notes[i] = kx_sys_hex(path, NULL);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes_size", i);
		if (!i) {
			char buf[32];

			if (kx_read_text(kx_sys_path(path), buf, sizeof(buf)) > 0)
				ein.note_size = strtoull(buf, NULL, 10);
		}
		if (!notes[i]) {
			kx_err("%s: no crash notes (a kernel without CONFIG_CRASH_DUMP?)",
			       kx_sys_path(path));
			ret = -ENOENT;
			goto out;
		}
	}
	ein.note_phys = notes;
	ein.nr_notes = n;
	ein.vmcoreinfo_phys = kx_sys_hex("/sys/kernel/vmcoreinfo", &size2);
	ein.vmcoreinfo_size = size2;
	if (!ein.note_size || !ein.vmcoreinfo_phys || !ein.vmcoreinfo_size) {
		kx_err("no crash_notes_size or %s",
		       kx_sys_path("/sys/kernel/vmcoreinfo"));
		ret = -ENOENT;
		goto out;
	}
	ret = kx_kcore_scan(&kc);
	if (ret)
		goto out;
	ein.page_offset = kc.page_offset;
	kx_kallsyms_text(&ein.text_va, &text_end);
	kx_iomem_walk_all(kx_kernel_code_line, &ein.text_pa);
	if (ein.text_va && text_end > ein.text_va && ein.text_pa) {
		ein.text_size = text_end - ein.text_va;
	} else if (kc.text_va) {
		/* No _text/_end in kallsyms (no KALLSYMS_ALL: Debian 6.1). */
		ein.text_va = kc.text_va;
		ein.text_pa = kc.text_pa;
		ein.text_size = kc.text_size;
		kx_dbg("kernel text from /proc/kcore: 0x%llx at 0x%llx, 0x%llx bytes",
		       (unsigned long long)kc.text_va,
		       (unsigned long long)kc.text_pa,
		       (unsigned long long)kc.text_size);
	} else {
		ein.text_va = 0;
		ein.text_pa = 0;
		kx_err("warning: no _text/_end, \"Kernel code\" or kernel text in /proc/kcore: the dump has no kernel text mapping");
	}

	size = kx_elfcore_max_size(&ein);
	if (size >= res->end - res->start) {
		kx_err("the crash reservation cannot hold the ELF core header");
		ret = -EADDRNOTAVAIL;
		goto out;
	}
	*hdr_buf = calloc(1, size);
	if (!*hdr_buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = kx_elfcore_build(&ein, *hdr_buf, size, &used);
	if (ret) {
		kx_err("cannot build the ELF core header (%s)", strerror(-ret));
		goto out;
	}
	hdr->buf = (u64)(uintptr_t)*hdr_buf;
	hdr->bufsz = used;
	hdr->mem = ALIGN_DOWN(res->end - size, KX_PAGE_SIZE);
	hdr->memsz = res->end - hdr->mem;
	res->end = hdr->mem;
	kx_dbg("ELF core header: %u CPUs, %zu bytes at 0x%llx, linear map offset 0x%llx",
	       n, used, (unsigned long long)hdr->mem,
	       (unsigned long long)ein.page_offset);
out:
	free(notes);
	return ret;
}

int kx_arch_plan(const struct kx_load *ld, struct kx_plan *plan)
{
	struct kx_arm64_file_in in = { .granules = KX_ARM64_GRAN_ALL };
	struct kx_arm64_file_out out;
	struct kx_dtb_in din = {
		.cmdline = ld->cmdline,
		.initrd = ld->initrd,
		.crash = ld->crash,
	};
	struct kx_range usable[KX_MAX_CRASH], r;
	struct kexec_x_segment hdr = { 0 };
	struct kx_arm64_state *st;
	struct kx_arm64_sys *sys;
	struct kx_arm64_image img;
	char sz[32];
	unsigned int i;
	int ret;

	plan->kernel.path = ld->kernel;
	plan->initrd.path = ld->initrd;
	st = calloc(1, sizeof(*st));
	sys = calloc(1, sizeof(*sys));
	if (!st || !sys) {
		free(st);
		free(sys);
		kx_err("out of memory");
		return -ENOMEM;
	}
	st->memfd = -1;
	plan->extra = st;
	ret = kx_arm64_kernel(&plan->kernel, &img);
	if (!ret && ld->initrd)
		ret = kx_read_file(&plan->initrd);
	if (!ret)
		ret = kx_arm64_sys_read(sys, ld->crash);
	if (ret)
		goto out;
	if (ld->crash) {
		/*
		 * Pieces go inside the reservation, which the crash kernel
		 * gets as its only memory; the ELF core header at its top.
		 */
		memcpy(usable, sys->crash, sizeof(usable));
		din.usable = usable;
		din.nr_usable = sys->nr_crash;
		ret = kx_arm64_elfcore(sys, &st->hdr, &hdr);
		if (ret)
			goto out;
	}
	st->dtb = kx_dtb_build(&din);
	if (!st->dtb) {
		ret = -EINVAL;
		goto out;
	}
	if (ld->crash) {
		r.start = hdr.mem;
		r.end = hdr.mem + hdr.bufsz;
		ret = kx_fdt_ranges(st->dtb, fdt_path_offset(st->dtb, "/chosen"),
				    "linux,elfcorehdr", &r, 1);
		if (ret)
			goto out;
	}

	in.kernel = plan->kernel.data;
	in.kernel_len = plan->kernel.len;
	in.initrd_len = plan->initrd.len;
	in.dtb_len = fdt_totalsize(st->dtb);
	in.ram = ld->crash ? sys->crash : sys->ram;
	in.nr_ram = ld->crash ? sys->nr_crash : sys->nr_ram;
	in.avoid = sys->avoid;
	in.nr_avoid = sys->nr_avoid;
	for (i = 0; i < in.nr_ram; i++)
		kx_dbg("RAM     [0x%llx, 0x%llx) %s%s",
		       (unsigned long long)in.ram[i].start,
		       (unsigned long long)in.ram[i].end,
		       kx_size_str(in.ram[i].end - in.ram[i].start, sz),
		       ld->crash ? " (crash reservation)" : "");
	kx_dbg("avoid   %u reserved ranges", in.nr_avoid);
	ret = kx_arm64_file_build(&in, &out);
	if (ret) {
		kx_err("%s: %s%s", ld->kernel, out.why,
		       ret == -EADDRNOTAVAIL ? (ld->crash ?
		       " (is crashkernel= large enough for kernel and initrd?)" :
		       " (not enough free RAM for kernel and initrd?)") : "");
		goto out;
	}
	ret = kx_dtb_fill(st->dtb, &out, plan->initrd.len);
	if (ret)
		goto out;

	plan->segs[0] = (struct kexec_x_segment) {
		.buf = (u64)(uintptr_t)plan->kernel.data,
		.bufsz = plan->kernel.len,
		.mem = out.kernel_mem, .memsz = out.kernel_memsz,
	};
	plan->names[0] = "kernel";
	plan->nr_segs = 1;
	if (plan->initrd.len) {
		plan->segs[plan->nr_segs] = (struct kexec_x_segment) {
			.buf = (u64)(uintptr_t)plan->initrd.data,
			.bufsz = plan->initrd.len,
			.mem = out.initrd_mem, .memsz = out.initrd_memsz,
		};
		plan->names[plan->nr_segs++] = "initrd";
	}
	plan->segs[plan->nr_segs] = (struct kexec_x_segment) {
		.buf = (u64)(uintptr_t)st->dtb,
		.bufsz = fdt_totalsize(st->dtb),
		.mem = out.dtb_mem, .memsz = out.dtb_memsz,
	};
	plan->names[plan->nr_segs++] = "dtb";
	if (ld->crash) {
		plan->segs[plan->nr_segs] = hdr;
		plan->names[plan->nr_segs++] = "elfcorehdr";
	}
	plan->entry = out.kernel_mem;
	plan->arg = out.dtb_mem;
out:
	free(sys);
	return ret;
}

int kx_arch_save_dtb(const struct kx_plan *plan, const char *path)
{
	const struct kx_arm64_state *st = plan->extra;
	FILE *f;
	size_t n;

	if (!st || !st->dtb) {
		kx_err("--save-dtb: no device tree was built");
		return -ENOENT;
	}
	f = fopen(path, "we");
	if (!f) {
		kx_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	n = fwrite(st->dtb, 1, fdt_totalsize(st->dtb), f);
	if (fclose(f) || n != fdt_totalsize(st->dtb)) {
		kx_err("%s: write failed", path);
		return -EIO;
	}
	return 0;
}

void kx_arch_free(struct kx_plan *plan)
{
	struct kx_arm64_state *st = plan->extra;

	kx_free_file(&plan->kernel);
	kx_free_file(&plan->initrd);
	if (st) {
		if (st->memfd >= 0)
			close(st->memfd);
		free(st->dtb);
		free(st->hdr);
		free(st);
	}
	plan->extra = NULL;
}

void kx_arch_explain(const char *path)
{
	struct kx_file f = { .path = path };
	struct kx_arm64_image img;
	const char *why;

	if (kx_read_file(&f))
		return;
	if (kx_arm64_image_parse(f.data, f.len, KX_ARM64_GRAN_ALL, &img, &why))
		kx_err("%s: %s", path, why);
	else
		kx_err("%s: see dmesg: the CPUs may not support its page size",
		       path);
	kx_free_file(&f);
}
