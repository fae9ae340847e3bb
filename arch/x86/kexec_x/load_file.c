// SPDX-License-Identifier: GPL-2.0
/*
 * load_file.c - gather what the running x86_64 system knows (RAM, the
 * firmware memory map, the crash reservation, its own boot_params) and let
 * the pure planner kx_x86_file_build() lay out a bzImage, initrd and
 * command line.  The loader's -c mode runs the same planner on what
 * /proc/iomem, /sys/firmware/memmap and /sys/kernel/boot_params show.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/efi.h>
#include <linux/elf.h>
#include <linux/timekeeping.h>
#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/kexec.h>		/* note_buf_t, VMCOREINFO_NOTE_SIZE */
#include <asm/e820/types.h>
#include <asm/pgtable.h>

#include "internal.h"
#include "file.h"
#include "ksyms.h"
#include "bootparam.h"
#include "crash_e820.h"
#include "elfcore.h"
#include "kaslr.h"
#include "unpack.h"
#include "vmlinux_elf.h"

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

/*
 * The running kernel's EFI state, as kexec_file_load()'s setup_efi_state()
 * hands it over: nothing unless booted by EFI with runtime services.  The
 * runtime map is the EFI_MEMORY_RUNTIME part of efi.memmap (the kernel's
 * efi_runtime_map holds the same).  Returns the map buffer (kmalloc) to free
 * after the build, or NULL with *@out untouched.
 */
static void *kx_efi_state(struct kx_x86_efi *out)
{
	const struct boot_params *run = kx_sym.boot_params;
	efi_memory_desc_t *md;
	size_t size = 0;
	u8 *map, *p;

	if (!efi_enabled(EFI_BOOT) || !efi_enabled(EFI_RUNTIME_SERVICES) ||
	    !run->efi_info.efi_memmap_size || !kx_sym.efi_fw_vendor ||
	    !kx_sym.efi_config_table)
		return NULL;
	for_each_efi_memory_desc(md)
		if (md->attribute & EFI_MEMORY_RUNTIME)
			size += efi.memmap.desc_size;
	if (!size || size > KX_X86_EFI_MAP_MAX) {
		pr_warn("EFI runtime map of %zu bytes not handed over: the new kernel runs without EFI runtime services\n",
			size);
		return NULL;
	}
	map = kmalloc(size, GFP_KERNEL);
	if (!map)
		return NULL;
	p = map;
	for_each_efi_memory_desc(md) {
		if (!(md->attribute & EFI_MEMORY_RUNTIME))
			continue;
		memcpy(p, md, efi.memmap.desc_size);
		p += efi.memmap.desc_size;
	}
	out->loader_signature = run->efi_info.efi_loader_signature;
	out->systab = run->efi_info.efi_systab |
		      (u64)run->efi_info.efi_systab_hi << 32;
	out->memdesc_size = efi.memmap.desc_size;
	out->memdesc_version = run->efi_info.efi_memdesc_version;
	out->map = map;
	out->map_size = size;
	out->fw_vendor = READ_ONCE(*kx_sym.efi_fw_vendor);
	out->tables = READ_ONCE(*kx_sym.efi_config_table);
	out->smbios = efi.smbios;
	return map;
}

/*
 * A crash image's extra pieces, as the kernel's kexec_file_load() gives
 * them: note buffers for every possible CPU, the ELF core header (at the
 * top of the reservation) describing them, VMCOREINFO and the RAM outside
 * the reservation, a memory map with only the reservation as RAM (plus the
 * first MiB, ACPI and reserved areas), and "elfcorehdr=" on the command
 * line.  Fills @in for kx_x86_file_build(), which places the rest in
 * *@room (the reservation below the header), and returns the header
 * segment in *@hdr; @ram holds System RAM on entry.
 */
static int kx_crash_prepare(struct kx_file_src *src, struct kx_x86_file_in *in,
			    const struct kx_range_list *ram,
			    const struct kx_e820 *fw, unsigned int nr_fw,
			    struct kx_e820 *e820, struct kx_range *room,
			    struct kexec_x_segment *hdr)
{
	struct kx_elfcore_in ein = {
		.machine = EM_X86_64,
		.nr_notes = nr_cpu_ids,
		.note_size = sizeof(note_buf_t),
		.page_offset = PAGE_OFFSET,
		/*
		 * The kernel image at its own virtual address, as the kernel's
		 * crash_prepare_elf64_headers() adds it (need_kernel_map).
		 */
		.text_va = (unsigned long)kx_sym.kernel_text,
		.text_pa = __pa_symbol(kx_sym.kernel_text),
		.text_size = kx_sym.kernel_end - kx_sym.kernel_text,
		.ram = ram->r,
		.nr_ram = ram->nr,
	};
	struct kx_crash_e820_in cin = { .fw = fw, .nr_fw = nr_fw };
	struct kx_range res, hdr_range;
	u64 *note_phys;
	size_t size, used;
	char *cmdline;
	unsigned int i;
	int ret;

	ret = kx_crash_reservation(&res);
	if (ret)
		return ret;
#if defined(CONFIG_VMCORE_INFO) || defined(CONFIG_CRASH_CORE)
	ein.vmcoreinfo_phys = paddr_vmcoreinfo_note();
	ein.vmcoreinfo_size = VMCOREINFO_NOTE_SIZE;
#else
	/* No VMCOREINFO in this kernel: kexec_x's own, for the log. */
	ret = kx_crash_vmcoreinfo(&ein.vmcoreinfo_phys, &ein.vmcoreinfo_size);
	if (ret)
		return ret;
#endif
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
	ein.exclude = &res;
	ein.nr_exclude = 1;

	/* The header goes at the top of the reservation. */
	size = kx_elfcore_max_size(&ein);
	if (size >= res.end - res.start) {
		ret = -EADDRNOTAVAIL;
		goto out;
	}
	hdr_range.end = res.end;
	hdr_range.start = ALIGN_DOWN(res.end - size, PAGE_SIZE);
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
		.mem = hdr_range.start,
		.memsz = hdr_range.end - hdr_range.start,
	};

	cin.crash = &res;
	cin.nr_crash = 1;
	cin.exclude = &hdr_range;
	cin.nr_exclude = 1;
	ret = kx_crash_e820_build(&cin, e820, KX_X86_E820_MAX);
	if (ret < 0) {
		pr_err("cannot build the crash kernel's memory map (%d)\n", ret);
		goto out;
	}
	in->e820 = e820;
	in->nr_e820 = ret;

	/* The crash kernel's command line: the caller's, then elfcorehdr=. */
	cmdline = kzalloc(KEXEC_X_CMDLINE_MAX, GFP_KERNEL);
	if (!cmdline) {
		ret = -ENOMEM;
		goto out;
	}
	ret = snprintf(cmdline, KEXEC_X_CMDLINE_MAX, "%s%selfcorehdr=0x%llx",
		       src->cmdline ?: "", src->cmdline_len > 1 ? " " : "",
		       hdr->mem);
	if (ret >= KEXEC_X_CMDLINE_MAX) {
		pr_err("crash command line too long with elfcorehdr=\n");
		kfree(cmdline);
		ret = -EINVAL;
		goto out;
	}
	src->crash_cmdline = cmdline;
	in->cmdline = cmdline;
	in->cmdline_len = ret + 1;

	room->start = res.start;
	room->end = hdr_range.start;
	in->ram = room;
	in->nr_ram = 1;
	in->avoid = NULL;
	in->nr_avoid = 0;
	ret = 0;
out:
	kfree(note_phys);
	return ret;
}

/*
 * Virtual KASLR for the unpacked kernel in @buf (flattened, @vm), as its
 * decompressor would have applied it (kaslr.h): unless the new command
 * line says nokaslr, patch it for a random slot of the kernel image area
 * with the relocation table at @table, and have KASLR_FLAG tell it so (it
 * then randomizes its memory regions too, as after its decompressor).
 * The table is checked whole before anything is patched.
 */
static int kx_unpack_kaslr(const struct kx_file_src *src, u8 *buf,
			   const struct kx_vmlinux *vm, u64 align,
			   const u8 *table, u64 table_len,
			   struct kx_x86_file_in *in)
{
	struct kx_x86_relocs r;
	const char *why;
	u64 delta;

	if (kx_x86_cmdline_nokaslr(src->cmdline, src->cmdline_len))
		return 0;
	if (!table_len) {
		pr_info("the unpacked kernel has no relocation table: it runs at its link-time address (no KASLR)\n");
		return 0;
	}
	delta = kx_x86_kaslr_delta(vm->base, ALIGN(vm->memsz, align), align,
				   get_random_u64());
	if (kx_x86_relocs_apply(buf, vm->filesz, vm->base, table, table_len,
				delta, &r, &why)) {
		pr_err("cannot relocate the unpacked kernel for KASLR: %s\n",
		       why);
		return -ENOEXEC;
	}
	in->kaslr = true;
	pr_info("unpacked kernel relocated for KASLR: %u relocations\n",
		r.nr32 + r.nr_inv + r.nr64);
	return 0;
}

/*
 * Decompress at load (no KEXEC_X_LOAD_PLAIN): unpack the payload into
 * src->unpacked, flatten its PT_LOAD segments, apply virtual KASLR and
 * describe the result in @in, so that kx_x86_file_build() loads that and
 * enters startup_64.  A payload in a format the module cannot unpack
 * leaves @in alone: the bzImage then boots as it is.
 */
static int kx_unpack_kernel(struct kx_file_src *src, struct kx_x86_file_in *in)
{
	u64 t0 = ktime_get_ns();
	const char *why, *fmt;
	struct kx_bzimage bz;
	struct kx_vmlinux vm;
	size_t len;
	void *buf;
	int ret;

	/* A file that is no bzImage: kx_x86_file_build() says why. */
	if (kx_bzimage_parse(src->kernel, src->kernel_len, &bz, &why))
		return 0;
	ret = kx_x86_unpack(src->kernel, src->kernel_len, bz.setup_size,
			    &buf, &len, &fmt);
	if (ret == -EOPNOTSUPP) {
		pr_info("kernel payload (%s) not unpacked at load: it decompresses itself at boot\n",
			fmt);
		return 0;
	}
	if (ret)
		return ret;
	ret = kx_vmlinux_parse(buf, len, EM_X86_64, KX_X86_VMLINUX_ALIGN, &vm,
			       &why);
	if (ret) {
		pr_err("cannot use the unpacked kernel: %s\n", why);
		vfree(buf);
		return ret;
	}
	/* The relocation table follows the ELF file, past what moves. */
	kx_vmlinux_flatten(buf, &vm);
	ret = kx_unpack_kaslr(src, buf, &vm,
			      max_t(u64, bz.kernel_alignment, KX_X86_KASLR_ALIGN),
			      (const u8 *)buf + vm.file_end, len - vm.file_end,
			      in);
	if (ret) {
		vfree(buf);
		return ret;
	}
	src->unpacked = buf;
	in->vmlinux = buf;
	in->vmlinux_len = vm.filesz;
	in->vmlinux_memsz = vm.memsz;
	in->vmlinux_entry = vm.entry;
	pr_info("unpacked the kernel at load: %s, %zu -> %zu bytes, %llu ms\n",
		fmt, src->kernel_len, len, (ktime_get_ns() - t0) / NSEC_PER_MSEC);
	return 0;
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
	struct kx_e820 *e820, *crash_e820 = NULL;
	struct kexec_x_segment hdr;
	struct kx_x86_efi efi;
	struct kx_range room;
	void *efi_map = NULL;
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
	if (src->crash) {
		crash_e820 = kcalloc(KX_X86_E820_MAX, sizeof(*crash_e820),
				     GFP_KERNEL);
		ret = crash_e820 ? kx_crash_prepare(src, &in, &ram, e820,
						    in.nr_e820, crash_e820,
						    &room, &hdr) : -ENOMEM;
		if (ret)
			goto out;
	}
	if (!src->plain) {
		ret = kx_unpack_kernel(src, &in);
		if (ret)
			goto out;
	}
	/* A crash kernel works without EFI, as with kexec_file_load(). */
	if (!src->crash) {
		efi_map = kx_efi_state(&efi);
		if (efi_map)
			in.efi = &efi;
	}
	out.setup_buf = src->setup_buf;
	ret = kx_x86_file_build(&in, &out);
	if (ret) {
		pr_err("cannot load this kernel: %s (%d)\n", out.why, ret);
		goto out;
	}
	memcpy(src->segs, out.segs, out.nr_segs * sizeof(out.segs[0]));
	src->nr_segs = out.nr_segs;
	if (src->crash)
		src->segs[src->nr_segs++] = hdr;
	src->entry = out.entry;
	src->arg = out.arg;
out:
	kfree(efi_map);
	kfree(crash_e820);
	kfree(e820);
	kfree(ram.r);
	return ret;
}
