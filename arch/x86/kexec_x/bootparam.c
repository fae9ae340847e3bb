// SPDX-License-Identifier: GPL-2.0
/*
 * bootparam.c - the x86 boot protocol for kexec_x: bzImage parsing, the
 * firmware memory map and the boot_params page of the new kernel.
 *
 * Pure code (see kx_lib.h), shared by the module and the loader.  The
 * layout of a bzImage and of boot_params follows
 * Documentation/arch/x86/boot.rst; both are little endian, as is every
 * machine this file is built for.
 */
#include "kx_lib.h"
#include "place.h"
#include "bootparam.h"

/* End of the setup header area of boot_params (edd_mbr_sig_buffer). */
#define KX_X86_HDR_AREA_END	0x290

/* ---- memory map ---- */

/* True when @e has @type and overlaps or touches [start, end). */
static bool kx_e820_joins(const struct kx_e820 *e, u64 start, u64 end,
			  u32 type)
{
	return e->type == type && e->start <= end && start <= e->end;
}

static void kx_e820_remove(struct kx_e820 *map, unsigned int *nr,
			   unsigned int i)
{
	memmove(&map[i], &map[i + 1], (*nr - i - 1) * sizeof(*map));
	(*nr)--;
}

int kx_e820_add(struct kx_e820 *map, unsigned int *nr, unsigned int max,
		u64 start, u64 end, u32 type)
{
	unsigned int i, joins = 0;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;
	for (i = 0; i < *nr; i++)
		joins += kx_e820_joins(&map[i], start, end, type);
	if (!joins && *nr >= max)
		return -E2BIG;

	/*
	 * Absorb every entry it joins; growing may join more, so rescan.
	 * Afterwards no entry of @type overlaps or touches [start, end).
	 */
	i = 0;
	while (i < *nr) {
		if (!kx_e820_joins(&map[i], start, end, type)) {
			i++;
			continue;
		}
		start = min(start, map[i].start);
		end = max(end, map[i].end);
		kx_e820_remove(map, nr, i);
		i = 0;
	}

	/* Insert after every entry that starts at or below @start. */
	for (i = 0; i < *nr && map[i].start <= start; i++)
		;
	memmove(&map[i + 1], &map[i], (*nr - i) * sizeof(*map));
	map[i].start = start;
	map[i].end = end;
	map[i].type = type;
	(*nr)++;
	return 0;
}

int kx_e820_build(struct kx_e820 *out, unsigned int max,
		  const struct kx_e820 *in, unsigned int nr_in)
{
	unsigned int i, nr = 0;
	int ret;

	for (i = 0; i < nr_in; i++) {
		ret = kx_e820_add(out, &nr, max, in[i].start, in[i].end,
				  in[i].type);
		if (ret)
			return ret;
	}
	return nr;
}

static const struct {
	const char *name;
	u32 type;
} kx_e820_names[] = {
	{ "System RAM",				KX_E820_RAM },
	{ "Reserved",				KX_E820_RESERVED },
	{ "ACPI Tables",			KX_E820_ACPI },
	{ "ACPI Non-volatile Storage",		KX_E820_NVS },
	{ "Unusable memory",			KX_E820_UNUSABLE },
	{ "Persistent Memory (legacy)",		KX_E820_PRAM },
	{ "Persistent Memory",			KX_E820_PMEM },
	{ "Soft Reserved",			KX_E820_SOFT_RESERVED },
};

u32 kx_e820_type_of(const char *name)
{
	size_t len = strlen(name);
	unsigned int i;

	if (len && name[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(kx_e820_names); i++)
		if (strlen(kx_e820_names[i].name) == len &&
		    !memcmp(kx_e820_names[i].name, name, len))
			return kx_e820_names[i].type;
	return KX_E820_RESERVED;
}

/* ---- bzImage header ---- */

/*
 * Copy the setup header of @b into @h, zeroing what the image's header
 * does not reach, and check its magic numbers, version and extent.
 */
static const char *kx_bz_header(const u8 *b, size_t len,
				struct setup_header *h, struct kx_bzimage *img)
{
	size_t n = sizeof(*h);

	if (len < KX_X86_HDR_MIN_END)
		return "truncated: shorter than a setup header";
	memset(h, 0, sizeof(*h));
	memcpy(h, b + KX_X86_HDR_OFFSET,
	       min_t(size_t, n, len - KX_X86_HDR_OFFSET));
	if (h->boot_flag != KX_X86_BOOT_FLAG)
		return "no 0xAA55 boot flag";
	if (h->header != KX_X86_HDRS_MAGIC)
		return "no \"HdrS\" magic (not a bzImage)";
	if (h->version < KX_X86_MIN_VERSION)
		return "boot protocol older than 2.12";
	if ((h->jump & 0xff) != 0xeb)
		return "no jump over the setup header";

	img->version = h->version;
	img->hdr_end = KX_X86_HDRS_OFFSET + (h->jump >> 8);
	if (img->hdr_end < KX_X86_HDR_MIN_END)
		return "setup header too short for its boot protocol";
	if (img->hdr_end > len)
		return "truncated setup header";
	if (img->hdr_end - KX_X86_HDR_OFFSET < n)
		memset((u8 *)h + (img->hdr_end - KX_X86_HDR_OFFSET), 0,
		       n - (img->hdr_end - KX_X86_HDR_OFFSET));
	return NULL;
}

/* Sizes: real-mode part, protected-mode payload, memory footprint. */
static const char *kx_bz_sizes(const struct setup_header *h, size_t len,
			       struct kx_bzimage *img)
{
	u32 sects = h->setup_sects ? h->setup_sects : 4;

	img->setup_size = (sects + 1) * 512;
	if (img->setup_size < img->hdr_end)
		return "setup header larger than the setup code";
	if (img->setup_size >= len)
		return "truncated: no protected-mode kernel";
	img->payload = len - img->setup_size;
	if (!h->syssize)
		return "zero syssize";
	if ((u64)h->syssize * 16 > img->payload)
		return "kernel larger than the file (truncated?)";
	if (!h->init_size)
		return "zero init_size";
	if (img->payload > KX_X86_KERNEL_MAX ||
	    h->init_size > KX_X86_KERNEL_MAX)
		return "kernel too large";
	img->memsz = ALIGN(max_t(u64, img->payload, h->init_size),
			   KX_PAGE_SIZE);
	return NULL;
}

/* Entry point, alignment, load address, initrd and command line limits. */
static const char *kx_bz_layout(const struct setup_header *h,
				struct kx_bzimage *img)
{
	u64 a = h->kernel_alignment;

	if (!(h->loadflags & LOADED_HIGH))
		return "not loaded high (a zImage)";
	if (!(h->xloadflags & XLF_KERNEL_64))
		return "no 64-bit entry point (XLF_KERNEL_64)";
	if (a < KX_PAGE_SIZE || a > KX_X86_ALIGN_MAX || (a & (a - 1)))
		return "kernel_alignment not a power of two from 4 KiB to 1 GiB";
	if (h->min_alignment > 30)
		return "min_alignment out of range";

	img->kernel_alignment = a;
	img->min_align = h->min_alignment ? 1ULL << h->min_alignment : a;
	img->min_align = min(max(img->min_align, KX_PAGE_SIZE), a);
	img->relocatable = h->relocatable_kernel != 0;
	img->pref_address = h->pref_address;
	if (!img->relocatable &&
	    (img->pref_address < KX_X86_LOW_LIMIT ||
	     !IS_ALIGNED(img->pref_address, KX_PAGE_SIZE) ||
	     img->pref_address + img->memsz < img->pref_address))
		return "not relocatable and pref_address unusable";
	if (!h->cmdline_size)
		return "zero cmdline_size";
	img->cmdline_size = h->cmdline_size;
	/* 0 is the protocol's default for kernels that do not say. */
	img->initrd_max = h->initrd_addr_max ?
			  (u64)h->initrd_addr_max + 1 : 0x38000000;
	img->xloadflags = h->xloadflags;
	return NULL;
}

int kx_bzimage_parse(const void *buf, size_t len, struct kx_bzimage *img,
		     const char **why)
{
	struct setup_header h;
	const char *reason;

	memset(img, 0, sizeof(*img));
	reason = kx_bz_header(buf, len, &h, img);
	if (!reason)
		reason = kx_bz_sizes(&h, len, img);
	if (!reason)
		reason = kx_bz_layout(&h, img);
	if (why)
		*why = reason;
	if (!reason)
		return 0;
	memset(img, 0, sizeof(*img));	/* nothing half-parsed */
	return -ENOEXEC;
}

/* ---- building the image ---- */

/* Everything kx_x86_file_build() works out before filling boot_params. */
struct kx_x86_plan {
	size_t cmdline_len;	/* strlen() of the command line */
	u64 setup_used;		/* bytes of setup_buf in use */
	u64 kernel_addr;
	u64 kernel_align;	/* alignment the kernel was placed at */
	u64 setup_addr;
	u64 initrd_addr;
};

static int kx_fail(struct kx_x86_file_out *out, int err, const char *why)
{
	out->why = why;
	return err;
}

/* Command line, initrd and memory map, checked before placing anything. */
static int kx_x86_check_in(const struct kx_x86_file_in *in,
			   struct kx_x86_file_out *out,
			   struct kx_x86_plan *plan)
{
	unsigned int i;

	if (in->la57 && !(out->bz.xloadflags & XLF_5LEVEL))
		return kx_fail(out, -ENOEXEC,
			       "kernel cannot run with 5-level paging");
	if (in->cmdline_len) {
		if (!in->cmdline || in->cmdline_len > KEXEC_X_CMDLINE_MAX)
			return kx_fail(out, -EINVAL, "command line too long");
		if (in->cmdline[in->cmdline_len - 1])
			return kx_fail(out, -EINVAL,
				       "command line not NUL terminated");
		plan->cmdline_len = strlen(in->cmdline);
		if (plan->cmdline_len > out->bz.cmdline_size)
			return kx_fail(out, -EINVAL,
				       "command line longer than the kernel's cmdline_size");
	}
	if (in->initrd_len && !in->initrd)
		return kx_fail(out, -EINVAL, "initrd length without data");
	if (!in->nr_e820)
		return kx_fail(out, -EINVAL, "empty memory map");
	if (in->nr_e820 > KX_X86_E820_MAX)
		return kx_fail(out, -E2BIG, "too many memory map entries");
	for (i = 0; i < in->nr_e820; i++)
		if (in->e820[i].start >= in->e820[i].end)
			return kx_fail(out, -EINVAL, "empty memory map entry");

	if (in->efi && (in->efi->map_size > KX_X86_EFI_MAP_MAX ||
			(in->efi->map_size && !in->efi->map)))
		return kx_fail(out, -E2BIG, "EFI runtime memory map too large");

	plan->setup_used = KX_X86_CMDLINE_OFFSET + plan->cmdline_len + 1;
	if (in->nr_e820 > E820_MAX_ENTRIES_ZEROPAGE)
		plan->setup_used = KX_X86_E820EXT_OFFSET +
				   sizeof(struct setup_data) +
				   (in->nr_e820 - E820_MAX_ENTRIES_ZEROPAGE) *
				   sizeof(struct boot_e820_entry);
	if (in->efi)
		plan->setup_used = KX_X86_EFI_SETUP_OFFSET +
				   sizeof(struct setup_data) +
				   sizeof(struct kx_efi_setup_data);
	return 0;
}

/* Take a hole for the kernel as kx_x86_file_build() describes. */
static int kx_x86_place_kernel(struct kx_place *p, const struct kx_bzimage *bz,
			       struct kx_x86_plan *plan)
{
	u64 lo = max(bz->pref_address, KX_X86_LOW_LIMIT);
	u64 mins[2] = { max(lo, KX_X86_KERNEL_MIN), lo };
	u64 aligns[2] = { bz->kernel_alignment, bz->min_align };
	u64 maxs[2] = { KX_X86_4G, ~0ULL };
	struct kx_hole req = { .size = bz->memsz };
	int above = bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G ? 2 : 1;
	int m, a, l;

	if (!bz->relocatable) {
		req.align = KX_PAGE_SIZE;
		req.min = bz->pref_address;
		req.max = bz->pref_address + bz->memsz;
		plan->kernel_align = bz->kernel_alignment;
		return kx_place_alloc(p, &req, &plan->kernel_addr);
	}
	/* Preferred alignment first, then 16 MiB up, then below 4 GiB. */
	for (m = 0; m < above; m++) {
		for (a = 0; a < 2; a++) {
			for (l = 0; l < 2; l++) {
				req.min = mins[l];
				req.max = maxs[m];
				req.align = aligns[a];
				if (!kx_place_alloc(p, &req, &plan->kernel_addr)) {
					plan->kernel_align = aligns[a];
					return 0;
				}
			}
		}
	}
	return -EADDRNOTAVAIL;
}

/* Take a hole of @size top-down below @max, or anywhere if @anywhere. */
static int kx_x86_place_high(struct kx_place *p, u64 size, u64 max,
			     bool anywhere, u64 *addr)
{
	struct kx_hole req = {
		.size = size,
		.align = KX_PAGE_SIZE,
		.min = KX_X86_LOW_LIMIT,
		.max = max,
		.top_down = true,
	};

	if (!kx_place_alloc(p, &req, addr))
		return 0;
	if (!anywhere)
		return -EADDRNOTAVAIL;
	req.max = ~0ULL;
	return kx_place_alloc(p, &req, addr);
}

static int kx_x86_place(const struct kx_x86_file_in *in,
			struct kx_x86_file_out *out, struct kx_x86_plan *plan)
{
	bool above = out->bz.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G;
	struct kx_place p;

	kx_place_init(&p, in->ram, in->nr_ram, in->avoid, in->nr_avoid);
	if (kx_x86_place_kernel(&p, &out->bz, plan))
		return kx_fail(out, -EADDRNOTAVAIL, "no free RAM for the kernel");
	if (in->initrd_len) {
		if (in->initrd_len > ~0ULL - KX_PAGE_SIZE ||
		    kx_x86_place_high(&p, ALIGN(in->initrd_len, KX_PAGE_SIZE),
				      min(out->bz.initrd_max, KX_X86_4G), above,
				      &plan->initrd_addr))
			return kx_fail(out, -EADDRNOTAVAIL,
				       "no free RAM for the initrd");
	}
	if (kx_x86_place_high(&p, ALIGN(plan->setup_used, KX_PAGE_SIZE),
			      KX_X86_4G, above, &plan->setup_addr))
		return kx_fail(out, -EADDRNOTAVAIL,
			       "no free RAM for boot_params");
	return 0;
}

/* Setup header from the image, completed for this load. */
static void kx_bp_header(struct boot_params *bp,
			 const struct kx_x86_file_in *in,
			 const struct kx_x86_file_out *out,
			 const struct kx_x86_plan *plan)
{
	u32 end = min_t(u32, out->bz.hdr_end, KX_X86_HDR_AREA_END);
	struct setup_header *h = &bp->hdr;
	u64 cmdline = plan->setup_addr + KX_X86_CMDLINE_OFFSET;

	memcpy((u8 *)bp + KX_X86_HDR_OFFSET,
	       (const u8 *)in->kernel + KX_X86_HDR_OFFSET,
	       end - KX_X86_HDR_OFFSET);
	h->type_of_loader = KX_X86_LOADER_TYPE;
	h->ext_loader_ver = 0;
	h->ext_loader_type = 0;
	h->loadflags |= LOADED_HIGH;
	h->loadflags &= ~(CAN_USE_HEAP | KASLR_FLAG);
	if (in->vmlinux && in->kaslr)
		h->loadflags |= KASLR_FLAG;
	h->heap_end_ptr = 0;
	h->code32_start = plan->kernel_addr < KX_X86_4G ?
			  (u32)plan->kernel_addr : 0;
	h->kernel_alignment = plan->kernel_align;
	h->setup_data = 0;

	h->cmd_line_ptr = (u32)cmdline;
	bp->ext_cmd_line_ptr = (u32)(cmdline >> 32);
	if (in->initrd_len) {
		h->ramdisk_image = (u32)plan->initrd_addr;
		bp->ext_ramdisk_image = (u32)(plan->initrd_addr >> 32);
		h->ramdisk_size = (u32)in->initrd_len;
		bp->ext_ramdisk_size = (u32)(in->initrd_len >> 32);
	} else {
		h->ramdisk_image = 0;
		h->ramdisk_size = 0;
	}
}

/* What a kexec'd kernel keeps of the running one (see bootparam.h). */
static void kx_bp_inherit(struct boot_params *bp,
			  const struct kx_x86_file_in *in)
{
	const struct boot_params *run = in->running;

	if (run) {
		bp->screen_info = run->screen_info;
		bp->edid_info = run->edid_info;
		bp->acpi_rsdp_addr = run->acpi_rsdp_addr;
		bp->secure_boot = run->secure_boot;
		bp->hdr.hardware_subarch = run->hdr.hardware_subarch;
		bp->hdr.hardware_subarch_data = run->hdr.hardware_subarch_data;
		bp->eddbuf_entries = min_t(u8, run->eddbuf_entries, EDDMAXNR);
		memcpy(bp->eddbuf, run->eddbuf, sizeof(bp->eddbuf));
		bp->edd_mbr_sig_buf_entries =
			min_t(u8, run->edd_mbr_sig_buf_entries, EDD_MBR_SIG_MAX);
		memcpy(bp->edd_mbr_sig_buffer, run->edd_mbr_sig_buffer,
		       sizeof(bp->edd_mbr_sig_buffer));
	}
	if (in->acpi_rsdp)
		bp->acpi_rsdp_addr = in->acpi_rsdp;
}

static void kx_bp_e820_entry(struct boot_e820_entry *e,
			     const struct kx_e820 *src)
{
	e->addr = src->start;
	e->size = src->end - src->start;
	e->type = src->type;
}

/* The memory map: 128 entries in boot_params, the rest in setup_data. */
static void kx_bp_e820(struct boot_params *bp, u8 *buf,
		       const struct kx_x86_file_in *in,
		       const struct kx_x86_plan *plan)
{
	unsigned int n = min_t(unsigned int, in->nr_e820,
			       E820_MAX_ENTRIES_ZEROPAGE);
	struct boot_e820_entry *ext;
	struct setup_data *sd;
	unsigned int i;

	for (i = 0; i < n; i++)
		kx_bp_e820_entry(&bp->e820_table[i], &in->e820[i]);
	bp->e820_entries = n;
	if (in->nr_e820 <= n)
		return;

	sd = (struct setup_data *)(buf + KX_X86_E820EXT_OFFSET);
	ext = (struct boot_e820_entry *)sd->data;
	sd->next = 0;
	sd->type = SETUP_E820_EXT;
	sd->len = (in->nr_e820 - n) * sizeof(*ext);
	for (i = n; i < in->nr_e820; i++)
		kx_bp_e820_entry(&ext[i - n], &in->e820[i]);
	bp->hdr.setup_data = plan->setup_addr + KX_X86_E820EXT_OFFSET;
}

/*
 * EFI: efi_info, the runtime map and a SETUP_EFI node, put first in the
 * setup_data list (kexec_file_load() hands over the same).
 */
static void kx_bp_efi(struct boot_params *bp, u8 *buf,
		      const struct kx_x86_file_in *in,
		      const struct kx_x86_plan *plan)
{
	const struct kx_x86_efi *efi = in->efi;
	u64 map = plan->setup_addr + KX_X86_EFI_OFFSET;
	struct kx_efi_setup_data *esd;
	struct setup_data *sd;

	if (!efi)
		return;
	bp->efi_info.efi_loader_signature = efi->loader_signature;
	bp->efi_info.efi_systab = (u32)efi->systab;
	bp->efi_info.efi_systab_hi = (u32)(efi->systab >> 32);
	bp->efi_info.efi_memdesc_size = efi->memdesc_size;
	bp->efi_info.efi_memdesc_version = efi->memdesc_version;
	bp->efi_info.efi_memmap = (u32)map;
	bp->efi_info.efi_memmap_hi = (u32)(map >> 32);
	bp->efi_info.efi_memmap_size = efi->map_size;
	if (efi->map_size)
		memcpy(buf + KX_X86_EFI_OFFSET, efi->map, efi->map_size);

	sd = (struct setup_data *)(buf + KX_X86_EFI_SETUP_OFFSET);
	esd = (struct kx_efi_setup_data *)sd->data;
	sd->type = SETUP_EFI;
	sd->len = sizeof(*esd);
	sd->next = bp->hdr.setup_data;
	esd->fw_vendor = efi->fw_vendor;
	esd->tables = efi->tables;
	esd->smbios = efi->smbios;
	bp->hdr.setup_data = plan->setup_addr + KX_X86_EFI_SETUP_OFFSET;
}

static void kx_seg(struct kexec_x_segment *s, const void *buf, u64 bufsz,
		   u64 mem, u64 memsz)
{
	s->buf = (u64)(uintptr_t)buf;
	s->bufsz = bufsz;
	s->mem = mem;
	s->memsz = memsz;
}

static void kx_x86_fill(const struct kx_x86_file_in *in,
			struct kx_x86_file_out *out,
			const struct kx_x86_plan *plan)
{
	struct boot_params *bp = out->setup_buf;
	u8 *buf = out->setup_buf;
	const struct kx_bzimage *bz = &out->bz;

	kx_bp_header(bp, in, out, plan);
	kx_bp_inherit(bp, in);
	kx_bp_e820(bp, buf, in, plan);
	kx_bp_efi(bp, buf, in, plan);
	if (plan->cmdline_len)
		memcpy(buf + KX_X86_CMDLINE_OFFSET, in->cmdline,
		       plan->cmdline_len);

	if (in->vmlinux)
		kx_seg(&out->segs[KX_X86_SEG_KERNEL], in->vmlinux,
		       in->vmlinux_len, plan->kernel_addr, bz->memsz);
	else
		kx_seg(&out->segs[KX_X86_SEG_KERNEL],
		       (const u8 *)in->kernel + bz->setup_size, bz->payload,
		       plan->kernel_addr, bz->memsz);
	kx_seg(&out->segs[KX_X86_SEG_SETUP], buf, plan->setup_used,
	       plan->setup_addr, ALIGN(plan->setup_used, KX_PAGE_SIZE));
	out->nr_segs = 2;
	if (in->initrd_len) {
		kx_seg(&out->segs[KX_X86_SEG_INITRD], in->initrd,
		       in->initrd_len, plan->initrd_addr,
		       ALIGN(in->initrd_len, KX_PAGE_SIZE));
		out->nr_segs = 3;
	}
	out->entry = plan->kernel_addr + (in->vmlinux ? in->vmlinux_entry :
					  KX_X86_ENTRY64_OFFSET);
	out->arg = plan->setup_addr;
}

/*
 * An unpacked kernel: its own footprint, rounded to 2 MiB as the
 * decompressor rounds needed_size, at an alignment of at least 2 MiB.
 */
static int kx_x86_use_vmlinux(const struct kx_x86_file_in *in,
			      struct kx_bzimage *bz)
{
	u64 a = max_t(u64, bz->kernel_alignment, KX_X86_VMLINUX_ALIGN);

	if (in->vmlinux_len > in->vmlinux_memsz ||
	    in->vmlinux_entry >= in->vmlinux_memsz ||
	    in->vmlinux_memsz > KX_X86_KERNEL_MAX)
		return -EINVAL;
	bz->memsz = ALIGN(in->vmlinux_memsz, KX_X86_VMLINUX_ALIGN);
	bz->kernel_alignment = a;
	bz->min_align = a;
	return 0;
}

int kx_x86_file_build(const struct kx_x86_file_in *in,
		      struct kx_x86_file_out *out)
{
	struct kx_x86_plan plan = { 0 };
	void *buf = out->setup_buf;
	const char *why;
	int ret;

	memset(out, 0, sizeof(*out));
	out->setup_buf = buf;
	out->why = "";
	if (!buf)
		return kx_fail(out, -EINVAL, "no setup buffer");
	ret = kx_bzimage_parse(in->kernel, in->kernel_len, &out->bz, &why);
	if (ret)
		return kx_fail(out, ret, why);
	if (in->vmlinux) {
		ret = kx_x86_use_vmlinux(in, &out->bz);
		if (ret)
			return kx_fail(out, ret, "bad unpacked kernel");
	}
	ret = kx_x86_check_in(in, out, &plan);
	if (!ret)
		ret = kx_x86_place(in, out, &plan);
	if (ret)
		return ret;
	memset(buf, 0, KX_X86_SETUP_BUF_SIZE);
	kx_x86_fill(in, out, &plan);
	return 0;
}
