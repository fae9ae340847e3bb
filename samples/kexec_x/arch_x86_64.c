// SPDX-License-Identifier: GPL-2.0
/*
 * arch_x86_64.c - the kexec_x loader's x86_64 image builder (-c): the
 * same kx_x86_file_build() the module runs for KEXEC_X_IOC_LOAD_FILE, fed
 * with what /proc/iomem, /sys/firmware/memmap and /sys/kernel/boot_params
 * say about the running system.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "bootparam.h"

const char *kx_arch_name(void)
{
	return "x86_64";
}

/**
 * struct kx_x86_sys - the running system, as the planner needs it
 * @ram:      top-level System RAM of /proc/iomem
 * @crash:    crashkernel= reservations
 * @e820:     the firmware memory map, sorted and merged
 * @bp:       the running kernel's boot_params
 * @have_bp:  @bp was read
 * @rsdp:     ACPI RSDP from the EFI system table, 0 if unknown
 * @la57:     5-level paging is on
 */
struct kx_x86_sys {
	struct kx_range ram[KX_MAX_RAM];
	unsigned int nr_ram;
	struct kx_range crash[KX_MAX_CRASH];
	unsigned int nr_crash;
	struct kx_e820 e820[KX_X86_E820_MAX];
	unsigned int nr_e820;
	struct boot_params bp;
	bool have_bp;
	u64 rsdp;
	bool la57;
};

/* Read "0x..." from /sys/firmware/memmap/@entry/@field. */
static int kx_memmap_u64(const char *dir, const char *entry,
			 const char *field, u64 *val)
{
	char path[1024], buf[64], *end;
	int n;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, entry, field);
	n = kx_read_text(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	*val = strtoull(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

/* One /sys/firmware/memmap/N directory into the map. */
static int kx_memmap_entry(struct kx_x86_sys *sys, const char *dir,
			   const char *entry)
{
	char path[1024], type[64];
	u64 start, last;
	int ret;

	ret = kx_memmap_u64(dir, entry, "start", &start);
	if (!ret)
		ret = kx_memmap_u64(dir, entry, "end", &last);
	snprintf(path, sizeof(path), "%s/%s/type", dir, entry);
	if (!ret)
		ret = kx_read_text(path, type, sizeof(type));
	if (ret < 0) {
		kx_err("%s/%s: unreadable (%s)", dir, entry, strerror(-ret));
		return ret;
	}
	if (last < start || last == ~0ULL)
		return 0;
	ret = kx_e820_add(sys->e820, &sys->nr_e820, KX_X86_E820_MAX,
			  start, last + 1, kx_e820_type_of(type));
	if (ret == -E2BIG)
		kx_err("%s: more than %d entries, more than the new kernel can take",
		       dir, KX_X86_E820_MAX);
	return ret;
}

/* Returns -ENOENT without a message when there is no memmap directory. */
static int kx_memmap_read(struct kx_x86_sys *sys)
{
	char dir[512];
	struct dirent *d;
	DIR *dp;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s", kx_sys_path("/sys/firmware/memmap"));
	dp = opendir(dir);
	if (!dp)
		return -ENOENT;
	while (!ret && (d = readdir(dp)))
		if (d->d_name[0] >= '0' && d->d_name[0] <= '9')
			ret = kx_memmap_entry(sys, dir, d->d_name);
	closedir(dp);
	if (!ret && !sys->nr_e820) {
		kx_err("%s: empty", dir);
		ret = -ENOENT;
	}
	return ret;
}

/* /proc/iomem fallback: top-level lines whose name is an e820 type. */
static void kx_iomem_e820_line(void *ctx, u64 start, u64 end,
			       const char *name)
{
	struct kx_x86_sys *sys = ctx;
	u32 type = kx_e820_type_of(name);

	if (type == KX_E820_RESERVED && strcmp(name, "Reserved"))
		return;		/* PCI windows, device memory, ... */
	if (kx_e820_add(sys->e820, &sys->nr_e820, KX_X86_E820_MAX,
			start, end, type))
		sys->nr_e820 = KX_X86_E820_MAX + 1;	/* overflow */
}

static int kx_x86_e820(struct kx_x86_sys *sys)
{
	int ret = kx_memmap_read(sys);

	if (ret != -ENOENT || sys->nr_e820)
		return ret;
	kx_err("warning: no %s (CONFIG_FIRMWARE_MEMMAP?)",
	       kx_sys_path("/sys/firmware/memmap"));
	kx_err("warning: taking the memory map from %s",
	       kx_sys_path("/proc/iomem"));
	ret = kx_iomem_walk(kx_iomem_e820_line, sys);
	if (ret)
		return ret;
	if (sys->nr_e820 > KX_X86_E820_MAX) {
		kx_err("memory map too large");
		return -E2BIG;
	}
	return sys->nr_e820 ? 0 : -ENOENT;
}

/* The running kernel's boot_params; without it nothing is inherited. */
static void kx_x86_running(struct kx_x86_sys *sys)
{
	const char *path = kx_sys_path("/sys/kernel/boot_params/data");
	FILE *fp = fopen(path, "re");
	size_t n;

	if (!fp) {
		kx_err("warning: %s: %s; the new kernel inherits no console or ACPI pointer",
		       path, strerror(errno));
		return;
	}
	n = fread(&sys->bp, 1, sizeof(sys->bp), fp);
	fclose(fp);
	if (n != sizeof(sys->bp)) {
		kx_err("warning: %s: short read; not used", path);
		return;
	}
	sys->have_bp = true;
}

/* ACPI RSDP from the EFI system table, "ACPI20=0x..." before "ACPI=". */
static void kx_x86_rsdp(struct kx_x86_sys *sys)
{
	char buf[2048], *p;
	int n;

	n = kx_read_text(kx_sys_path("/sys/firmware/efi/systab"), buf,
			 sizeof(buf));
	if (n <= 0)
		return;
	p = strstr(buf, "ACPI20=");
	if (p)
		sys->rsdp = strtoull(p + 7, NULL, 0);
	p = strstr(buf, "\nACPI=");
	if (!sys->rsdp && (p || !strncmp(buf, "ACPI=", 5)))
		sys->rsdp = strtoull(p ? p + 6 : buf + 5, NULL, 0);
}

/* 5-level paging: the kernel clears the la57 flag when it is off. */
static void kx_x86_la57(struct kx_x86_sys *sys)
{
	char line[4096];
	FILE *f = fopen(kx_sys_path("/proc/cpuinfo"), "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		sys->la57 = strstr(line, " la57 ") || strstr(line, " la57\n");
		break;
	}
	fclose(f);
}

static int kx_x86_sys_read(struct kx_x86_sys *sys)
{
	int ret;

	ret = kx_iomem_ram(sys->ram, &sys->nr_ram, sys->crash,
			   &sys->nr_crash);
	if (!ret)
		ret = kx_x86_e820(sys);
	if (ret)
		return ret;
	kx_x86_running(sys);
	if (!sys->have_bp || !sys->bp.acpi_rsdp_addr)
		kx_x86_rsdp(sys);
	kx_x86_la57(sys);
	return 0;
}

static void kx_x86_print_bz(const struct kx_bzimage *bz)
{
	char sz[32];

	kx_dbg("bzImage: boot protocol %u.%02u, setup %u bytes, payload %llu bytes",
	       bz->version >> 8, bz->version & 0xff, bz->setup_size,
	       (unsigned long long)bz->payload);
	kx_dbg("bzImage: needs %s from its load address, alignment 0x%llx (at least 0x%llx)",
	       kx_size_str(bz->memsz, sz),
	       (unsigned long long)bz->kernel_alignment,
	       (unsigned long long)bz->min_align);
	kx_dbg("bzImage: %s, pref_address 0x%llx, initrd below 0x%llx, command line up to %u bytes",
	       bz->relocatable ? "relocatable" : "not relocatable",
	       (unsigned long long)bz->pref_address,
	       (unsigned long long)bz->initrd_max, bz->cmdline_size);
	kx_dbg("bzImage: xloadflags 0x%x%s%s%s", bz->xloadflags,
	       bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G ? " above-4G" : "",
	       bz->xloadflags & XLF_5LEVEL ? " 5-level" : "",
	       bz->xloadflags & XLF_EFI_KEXEC ? " efi-kexec" : "");
}

static void kx_x86_print_sys(const struct kx_x86_sys *sys,
			     const struct kx_x86_file_in *in)
{
	char sz[32];
	unsigned int i;

	for (i = 0; i < in->nr_ram; i++)
		kx_dbg("RAM     [0x%llx, 0x%llx) %s",
		       (unsigned long long)in->ram[i].start,
		       (unsigned long long)in->ram[i].end,
		       kx_size_str(in->ram[i].end - in->ram[i].start, sz));
	for (i = 0; i < in->nr_avoid; i++)
		kx_dbg("avoid   [0x%llx, 0x%llx) (crash reservation)",
		       (unsigned long long)in->avoid[i].start,
		       (unsigned long long)in->avoid[i].end);
	kx_dbg("e820    %u entries for the new kernel%s", sys->nr_e820,
	       sys->nr_e820 > E820_MAX_ENTRIES_ZEROPAGE ?
	       " (the rest in SETUP_E820_EXT)" : "");
	kx_dbg("running boot_params: %s; ACPI RSDP 0x%llx; %s paging",
	       sys->have_bp ? "inherited" : "none",
	       (unsigned long long)(in->acpi_rsdp ? in->acpi_rsdp :
				    sys->have_bp ? sys->bp.acpi_rsdp_addr : 0),
	       sys->la57 ? "5-level" : "4-level");
}

/* Fill @in from the files of @plan and what @sys says. */
static int kx_x86_in(const struct kx_load *ld, struct kx_x86_sys *sys,
		     struct kx_plan *plan, struct kx_x86_file_in *in)
{
	size_t len = strlen(ld->cmdline);

	in->kernel = plan->kernel.data;
	in->kernel_len = plan->kernel.len;
	in->initrd = plan->initrd.data;
	in->initrd_len = plan->initrd.len;
	in->cmdline = ld->cmdline;
	in->cmdline_len = len ? len + 1 : 0;
	in->e820 = sys->e820;
	in->nr_e820 = sys->nr_e820;
	in->running = sys->have_bp ? &sys->bp : NULL;
	in->acpi_rsdp = sys->rsdp;
	in->la57 = sys->la57;
	if (!ld->crash) {
		/* A normal image leaves crashkernel= memory alone. */
		in->ram = sys->ram;
		in->nr_ram = sys->nr_ram;
		in->avoid = sys->crash;
		in->nr_avoid = sys->nr_crash;
		return 0;
	}
	if (!sys->nr_crash) {
		kx_err("-p: %s has no \"Crash kernel\" range (boot with crashkernel=256M)",
		       kx_sys_path("/proc/iomem"));
		return -ENOENT;
	}
	/*
	 * Pieces go inside the reservation.  The memory map is still the
	 * whole machine's and there is no elfcorehdr: the crash kernel boots,
	 * but may reuse the crashed kernel's memory and has no /proc/vmcore.
	 */
	kx_err("warning: -c -p: the crash kernel gets the whole memory map and no elfcorehdr (no /proc/vmcore)");
	in->ram = sys->crash;
	in->nr_ram = sys->nr_crash;
	return 0;
}

/* An error of kx_x86_file_build(), with what to check. */
static void kx_x86_build_error(const struct kx_load *ld, int err,
			       const char *why)
{
	const char *hint = NULL;

	switch (err) {
	case -ENOEXEC:
		hint = "not a bootable x86_64 bzImage";
		break;
	case -EADDRNOTAVAIL:
		hint = ld->crash ?
		       "is crashkernel= large enough for kernel and initrd?" :
		       "not enough free RAM for kernel and initrd?";
		break;
	case -EINVAL:
		hint = "check --append, --command-line, --reuse-cmdline";
		break;
	case -E2BIG:
		hint = "the firmware memory map is too large";
		break;
	}
	if (hint)
		kx_err("%s: %s (%s)", ld->kernel, why, hint);
	else
		kx_err("%s: %s", ld->kernel, why);
}

int kx_arch_plan(const struct kx_load *ld, struct kx_plan *plan)
{
	struct kx_x86_file_in in = { 0 };
	struct kx_x86_file_out out = { 0 };
	struct kx_x86_sys *sys;
	unsigned int i;
	int ret;

	plan->kernel.path = ld->kernel;
	plan->initrd.path = ld->initrd;
	sys = calloc(1, sizeof(*sys));
	plan->extra = calloc(1, KX_X86_SETUP_BUF_SIZE);
	if (!sys || !plan->extra) {
		kx_err("out of memory");
		ret = -ENOMEM;
		goto out;
	}
	ret = kx_read_file(&plan->kernel);
	if (!ret && ld->initrd)
		ret = kx_read_file(&plan->initrd);
	if (!ret)
		ret = kx_x86_sys_read(sys);
	if (!ret)
		ret = kx_x86_in(ld, sys, plan, &in);
	if (ret)
		goto out;

	out.setup_buf = plan->extra;
	ret = kx_x86_file_build(&in, &out);
	if (ld->debug && out.bz.version)
		kx_x86_print_bz(&out.bz);
	if (ld->debug)
		kx_x86_print_sys(sys, &in);
	if (ret) {
		kx_x86_build_error(ld, ret, out.why);
		goto out;
	}
	for (i = 0; i < out.nr_segs; i++)
		plan->segs[i] = out.segs[i];
	plan->names[KX_X86_SEG_KERNEL] = "kernel";
	plan->names[KX_X86_SEG_SETUP] = "boot_params";
	plan->names[KX_X86_SEG_INITRD] = "initrd";
	plan->nr_segs = out.nr_segs;
	plan->entry = out.entry;
	plan->arg = out.arg;
out:
	free(sys);
	return ret;
}

void kx_arch_free(struct kx_plan *plan)
{
	kx_free_file(&plan->kernel);
	kx_free_file(&plan->initrd);
	free(plan->extra);
	plan->extra = NULL;
}

void kx_arch_explain(const char *path)
{
	struct kx_file f = { .path = path };
	struct kx_bzimage bz;
	const char *why;

	if (kx_read_file(&f))
		return;
	if (kx_bzimage_parse(f.data, f.len, &bz, &why))
		kx_err("%s: %s", path, why);
	kx_free_file(&f);
}
