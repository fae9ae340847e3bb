/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootparam.h - the x86 boot protocol for kexec_x: bzImage parsing, the
 * firmware memory map and the boot_params page of the new kernel.
 *
 * Pure code (see kx_lib.h).  The module's KEXEC_X_IOC_LOAD_FILE and the
 * loader's -c option both call kx_x86_file_build(), so an image loaded
 * either way gets the same segments.
 *
 * The new kernel is entered at its 64-bit entry point (load address +
 * 0x200) with %rsi holding the physical address of boot_params, as
 * Documentation/arch/x86/boot.rst describes for the 64-bit boot protocol.
 *
 * EFI: when the caller describes the running kernel's EFI state
 * (struct kx_x86_efi), the new kernel gets what the kernel's own
 * kexec_file_load() gives it: efi_info pointing at the system table and at
 * a copy of the EFI runtime memory map (the descriptors with
 * EFI_MEMORY_RUNTIME, whose virtual addresses SetVirtualAddressMap() fixed
 * for good), and a SETUP_EFI node with the firmware vendor, configuration
 * table and SMBIOS addresses, so that it maps the runtime services where
 * they already are.  Without it (a BIOS machine, or a caller that cannot
 * say) efi_info stays zero and the new kernel boots without EFI runtime
 * services; it finds ACPI through acpi_rsdp_addr either way.
 */
#ifndef _KEXEC_X_X86_BOOTPARAM_H
#define _KEXEC_X_X86_BOOTPARAM_H

#include "kx_lib.h"
#include "place.h"
#include <linux/kexec_x.h>
#include <asm/bootparam.h>

/* Offset of struct setup_header in a bzImage file and in boot_params. */
#define KX_X86_HDR_OFFSET	0x1f1
/* Offset of the "HdrS" magic (struct setup_header.header). */
#define KX_X86_HDRS_OFFSET	0x202
#define KX_X86_HDRS_MAGIC	0x53726448	/* "HdrS", little endian */
#define KX_X86_BOOT_FLAG	0xaa55
/* Oldest boot protocol accepted: 2.12 brought xloadflags. */
#define KX_X86_MIN_VERSION	0x020c
/* The header must reach at least init_size, the last field read. */
#define KX_X86_HDR_MIN_END	0x264
/* The 64-bit entry point lies this far past the load address. */
#define KX_X86_ENTRY64_OFFSET	0x200
/* An unpacked kernel (vmlinux) starts at a multiple of 2 MiB. */
#define KX_X86_VMLINUX_ALIGN	0x200000ULL
/* Largest memory footprint (payload or init_size) accepted: 1 GiB. */
#define KX_X86_KERNEL_MAX	0x40000000ULL
/* Largest kernel_alignment accepted: 1 GiB. */
#define KX_X86_ALIGN_MAX	0x40000000ULL

/*
 * type_of_loader written to boot_params: 0xD0 is boot loader id 0xD,
 * "kexec-tools", version 0.  The new kernel was started by kexec, and
 * reports so in /proc/sys/kernel/bootloader_type.
 */
#define KX_X86_LOADER_TYPE	0xd0

/* Nothing is placed below 1 MiB: real-mode data and BIOS areas live there. */
#define KX_X86_LOW_LIMIT	0x100000ULL
/* Relocatable kernels go at or above max(pref_address, 16 MiB) if they can. */
#define KX_X86_KERNEL_MIN	0x1000000ULL
#define KX_X86_4G		0x100000000ULL

/*
 * Memory map types, the values of the kernel's enum e820_type (which is not
 * uapi).  Any other value is passed through unchanged.
 */
#define KX_E820_RAM		1
#define KX_E820_RESERVED	2
#define KX_E820_ACPI		3
#define KX_E820_NVS		4
#define KX_E820_UNUSABLE	5
#define KX_E820_PMEM		7
#define KX_E820_PRAM		12
#define KX_E820_SOFT_RESERVED	0xefffffff

/*
 * Most memory map entries handed to the new kernel: the first
 * E820_MAX_ENTRIES_ZEROPAGE (128) go to boot_params.e820_table, the rest to
 * one SETUP_E820_EXT setup_data node after the command line.  More than
 * this is -E2BIG.
 */
#define KX_X86_E820_MAX		512
#define KX_X86_E820_EXT_MAX	(KX_X86_E820_MAX - E820_MAX_ENTRIES_ZEROPAGE)

/*
 * Layout of the setup segment (setup_buf): boot_params, the command line,
 * then the SETUP_E820_EXT node if needed.  Every part starts page aligned.
 */
#define KX_X86_BP_SIZE		4096
#define KX_X86_CMDLINE_OFFSET	KX_X86_BP_SIZE
#define KX_X86_E820EXT_OFFSET	(KX_X86_CMDLINE_OFFSET + KEXEC_X_CMDLINE_MAX)
#define KX_X86_E820EXT_SIZE	(sizeof(struct setup_data) + \
				 KX_X86_E820_EXT_MAX * sizeof(struct boot_e820_entry))
/* Then the EFI runtime map and the SETUP_EFI node, when there is EFI. */
#define KX_X86_EFI_MAP_MAX	8192
#define KX_X86_EFI_OFFSET	ALIGN(KX_X86_E820EXT_OFFSET + \
				      KX_X86_E820EXT_SIZE, 4096)
#define KX_X86_EFI_SETUP_OFFSET	(KX_X86_EFI_OFFSET + KX_X86_EFI_MAP_MAX)
#define KX_X86_SETUP_BUF_SIZE	ALIGN(KX_X86_EFI_SETUP_OFFSET + \
				      sizeof(struct setup_data) + \
				      sizeof(struct kx_efi_setup_data), 4096)

/* The payload of a SETUP_EFI node, as the kernel's struct efi_setup_data. */
struct kx_efi_setup_data {
	u64 fw_vendor;
	u64 unused;
	u64 tables;
	u64 smbios;
	u64 reserved[8];
};

/**
 * struct kx_x86_efi - the running kernel's EFI state, for the new kernel
 * @loader_signature: efi_info.efi_loader_signature ("EL64")
 * @systab:           physical address of the EFI system table
 * @memdesc_size:     size of one memory descriptor
 * @memdesc_version:  their version
 * @map:              the runtime memory map: descriptors with
 *                    EFI_MEMORY_RUNTIME, as the running kernel has them
 * @map_size:         bytes at @map, at most KX_X86_EFI_MAP_MAX
 * @fw_vendor:        physical address of the firmware vendor string
 * @tables:           physical address of the configuration table
 * @smbios:           physical address of the SMBIOS table, or 0
 */
struct kx_x86_efi {
	u32 loader_signature;
	u64 systab;
	u32 memdesc_size;
	u32 memdesc_version;
	const void *map;
	u32 map_size;
	u64 fw_vendor;
	u64 tables;
	u64 smbios;
};

/**
 * struct kx_e820 - one entry of a memory map
 * @start: first byte
 * @end:   first byte past the entry
 * @type:  KX_E820_*
 */
struct kx_e820 {
	u64 start;
	u64 end;
	u32 type;
};

/*
 * Add [start, end) of @type to the map @map of *@nr entries (room for @max),
 * keeping it sorted by start and merging the new entry with every entry of
 * the same type it overlaps or touches.  Entries of different types that
 * overlap are kept as they are: the new kernel's e820 sanitizer resolves
 * those.  An empty range is ignored.  Returns 0, -EINVAL when start > end,
 * or -E2BIG, leaving the map as it was, when an entry is needed and all
 * @max are used.
 */
int kx_e820_add(struct kx_e820 *map, unsigned int *nr, unsigned int max,
		u64 start, u64 end, u32 type);

/*
 * Build a sorted, merged map in @out (room for @max) from @nr_in entries in
 * any order, as kx_e820_add() one by one.  Returns the number of entries in
 * @out or a negative errno from kx_e820_add().
 */
int kx_e820_build(struct kx_e820 *out, unsigned int max,
		  const struct kx_e820 *in, unsigned int nr_in);

/*
 * The type of a /sys/firmware/memmap/N/type string ("System RAM",
 * "Reserved", "ACPI Tables", ...; a trailing newline is ignored).  Names
 * the kernel has no number for ("Unknown E820 type", anything else) map to
 * KX_E820_RESERVED, so that such memory is never mistaken for RAM.
 */
u32 kx_e820_type_of(const char *name);

/**
 * struct kx_bzimage - what kx_bzimage_parse() learnt from a bzImage
 * @version:          boot protocol, 0x020c for 2.12
 * @hdr_end:          file offset just past the setup header
 *                    (0x202 + the byte at 0x201)
 * @setup_size:       bytes of the real-mode part, (setup_sects + 1) * 512
 * @payload:          bytes of the protected-mode part: the rest of the file
 * @memsz:            bytes the kernel needs from its load address,
 *                    max(@payload, init_size) rounded up to a page
 * @kernel_alignment: preferred alignment of the load address
 * @min_align:        smallest alignment the kernel boots at
 *                    (1 << min_alignment, at least a page and at most
 *                    @kernel_alignment)
 * @pref_address:     preferred (not relocatable: mandatory) load address
 * @initrd_max:       first address the initrd may not reach:
 *                    initrd_addr_max + 1
 * @cmdline_size:     longest command line, terminating NUL excluded
 * @xloadflags:       XLF_*
 * @relocatable:      relocatable_kernel is non-zero
 */
struct kx_bzimage {
	u16 version;
	u32 hdr_end;
	u32 setup_size;
	u64 payload;
	u64 memsz;
	u64 kernel_alignment;
	u64 min_align;
	u64 pref_address;
	u64 initrd_max;
	u32 cmdline_size;
	u16 xloadflags;
	bool relocatable;
};

/*
 * Check that @buf (@len bytes) is a bzImage the 64-bit boot protocol can
 * start, and describe it in *@img.  Returns 0, or -ENOEXEC for a file that
 * is truncated, lacks the 0xAA55 boot flag or the "HdrS" magic, speaks a
 * boot protocol older than 2.12, has no 64-bit entry point
 * (XLF_KERNEL_64), is not loaded high, claims more protected-mode code than
 * the file holds or more memory than KX_X86_KERNEL_MAX, or has a
 * kernel_alignment that is not a power of two from a page to
 * KX_X86_ALIGN_MAX, a zero init_size or cmdline_size, or (not
 * relocatable) an unusable pref_address; *@img is then all zero.  *@why,
 * when @why is non-NULL, is set to NULL on success, else to the reason in
 * a few words.
 */
int kx_bzimage_parse(const void *buf, size_t len, struct kx_bzimage *img,
		     const char **why);

/**
 * struct kx_x86_file_in - what kx_x86_file_build() builds an image from
 * @kernel:      the bzImage file
 * @kernel_len:  its size
 * @initrd:      the initrd file, or NULL
 * @initrd_len:  its size, 0 for no initrd
 * @cmdline:     the command line, NUL terminated at @cmdline_len - 1
 * @cmdline_len: bytes at @cmdline including the NUL, at most
 *               KEXEC_X_CMDLINE_MAX; 0 (and @cmdline NULL) for an empty one
 * @ram:         where pieces may go: System RAM, adjacent ranges merged
 *               (for a crash image: the crash reservation)
 * @nr_ram:      entries at @ram
 * @e820:        the firmware memory map handed to the new kernel, sorted
 *               and merged as kx_e820_build() leaves it
 * @nr_e820:     entries at @e820, at most KX_X86_E820_MAX
 * @avoid:       ranges no piece may overlap, or NULL
 * @nr_avoid:    entries at @avoid
 * @running:     the running kernel's boot_params, or NULL.  The new kernel
 *               inherits from it: screen_info, edid_info, acpi_rsdp_addr,
 *               the EDD tables, secure_boot and hardware_subarch(_data).
 *               efi_info, tboot_addr, cc_blob_address and the setup_data
 *               list are not inherited.
 * @acpi_rsdp:   physical address of the ACPI RSDP, or 0; when non-zero it
 *               replaces @running's acpi_rsdp_addr (an EFI machine leaves
 *               that 0 and publishes the RSDP in the EFI system table,
 *               which the new kernel cannot reach without EFI)
 * @la57:        the machine runs with 5-level paging, so the new kernel
 *               must advertise XLF_5LEVEL
 * @efi:         the running kernel's EFI state to hand over, or NULL
 * @vmlinux:     the kernel already unpacked and flattened (vmlinux_elf.h),
 *               or NULL to load the bzImage's protected-mode part as it is.
 *               With it the kernel segment holds @vmlinux, is aligned to
 *               at least 2 MiB (startup_64 requires it) and the entry point
 *               is its startup_64: the new kernel does not run its
 *               decompressor; the caller applied virtual KASLR (kaslr.h)
 * @vmlinux_len: bytes of file data at @vmlinux
 * @vmlinux_memsz: its memory footprint (to the end of bss and brk)
 * @vmlinux_entry: offset of startup_64 from the start of @vmlinux
 * @kaslr:       @vmlinux was relocated for KASLR: the header's KASLR_FLAG
 *               says so, as a decompressor that randomized sets it (the
 *               kernel then randomizes its memory regions too).  Without
 *               it the flag is cleared: a bzImage's own decompressor sets
 *               it again when it randomizes.
 */
struct kx_x86_file_in {
	const void *kernel;
	size_t kernel_len;
	const void *initrd;
	u64 initrd_len;
	const char *cmdline;
	size_t cmdline_len;
	const struct kx_range *ram;
	unsigned int nr_ram;
	const struct kx_e820 *e820;
	unsigned int nr_e820;
	const struct kx_range *avoid;
	unsigned int nr_avoid;
	const struct boot_params *running;
	u64 acpi_rsdp;
	bool la57;
	const struct kx_x86_efi *efi;
	const void *vmlinux;
	u64 vmlinux_len;
	u64 vmlinux_memsz;
	u64 vmlinux_entry;
	bool kaslr;
};

/* Indices of the segments kx_x86_file_build() makes, in this order. */
enum {
	KX_X86_SEG_KERNEL,
	KX_X86_SEG_SETUP,
	KX_X86_SEG_INITRD,	/* only when there is an initrd */
	KX_X86_SEG_MAX,
};

/**
 * struct kx_x86_file_out - the image kx_x86_file_build() planned
 * @setup_buf: caller's buffer of KX_X86_SETUP_BUF_SIZE bytes, suitably
 *             aligned for a u64; the build overwrites all of it
 * @bz:        the parsed kernel header (zero if parsing failed); with
 *             in->vmlinux, memsz and the alignments describe the vmlinux
 * @segs:      the segments: @buf holds (u64)(uintptr_t) pointers into
 *             in->kernel (past the real-mode part), @setup_buf and
 *             in->initrd, so that they can be loaded as they are
 * @nr_segs:   2, or 3 with an initrd
 * @entry:     physical address of the 64-bit entry point
 * @arg:       physical address of boot_params (%rsi at entry)
 * @why:       after a failure, a few words on the reason (never NULL)
 */
struct kx_x86_file_out {
	void *setup_buf;
	struct kx_bzimage bz;
	struct kexec_x_segment segs[KX_X86_SEG_MAX];
	unsigned int nr_segs;
	u64 entry;
	u64 arg;
	const char *why;
};

/*
 * Parse @in->kernel, place kernel, boot_params (with command line and
 * memory map) and initrd, and fill @out->setup_buf and the segments.
 *
 * Placement, every piece page aligned, inside one @in->ram range, above
 * 1 MiB, overlapping neither @in->avoid nor another piece:
 *   kernel     memsz bytes, bottom-up.  Relocatable: the first of these
 *              that fits, below 4 GiB: aligned to kernel_alignment at or
 *              above max(pref_address, 16 MiB), then at or above
 *              max(pref_address, 1 MiB); the same aligned to min_alignment
 *              (boot_params.hdr.kernel_alignment then says so); then all
 *              of that above 4 GiB too with XLF_CAN_BE_LOADED_ABOVE_4G.
 *              Never below pref_address, where a relocatable kernel would
 *              move itself up to pref_address.  Not relocatable: at
 *              pref_address.
 *   initrd     top-down below min(initrd_addr_max + 1, 4 GiB); with
 *              XLF_CAN_BE_LOADED_ABOVE_4G, anywhere when that fails.
 *   setup      boot_params, command line, SETUP_E820_EXT: top-down below
 *              4 GiB; with XLF_CAN_BE_LOADED_ABOVE_4G, anywhere when that
 *              fails.
 *
 * Returns 0 or a negative errno, @out->why saying why:
 *   -ENOEXEC        kx_bzimage_parse() refused the kernel, or the machine
 *                   uses 5-level paging and the kernel cannot.
 *   -EINVAL         @vmlinux with a length past its footprint, an entry
 *                   point outside it or a footprint over
 *                   KX_X86_KERNEL_MAX; the command line is not NUL terminated at
 *                   cmdline_len - 1, is longer than KEXEC_X_CMDLINE_MAX or
 *                   than the kernel's cmdline_size; an initrd length
 *                   without data; no setup_buf; an empty memory map or
 *                   an empty entry in it.
 *   -E2BIG          more than KX_X86_E820_MAX memory map entries, or an
 *                   EFI runtime map larger than KX_X86_EFI_MAP_MAX.
 *   -EADDRNOTAVAIL  no hole fits a piece.
 */
int kx_x86_file_build(const struct kx_x86_file_in *in,
		      struct kx_x86_file_out *out);

#endif /* _KEXEC_X_X86_BOOTPARAM_H */
