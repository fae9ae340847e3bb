/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image.h - the arm64 boot protocol for kexec_x: the Image header and the
 * placement of Image, initrd and DTB (Documentation/arch/arm64/booting.rst).
 *
 * Pure code (see kx_lib.h).  The module's KEXEC_X_IOC_LOAD_FILE and the
 * loader's -c option both call kx_arm64_file_build(), so an image loaded
 * either way lands at the same addresses.
 */
#ifndef _KEXEC_X_ARM64_IMAGE_H
#define _KEXEC_X_ARM64_IMAGE_H

#include "kx_lib.h"
#include "place.h"
#include <linux/kexec_x.h>

/* The Image header: 64 bytes, little endian. */
#define KX_ARM64_HDR_SIZE		64
#define KX_ARM64_MAGIC_OFFSET		0x38
#define KX_ARM64_MAGIC			0x644d5241	/* "ARM\x64" */

/* Header flags. */
#define KX_ARM64_FLAG_BE		0x1ULL
#define KX_ARM64_FLAG_PAGE_SHIFT	1
#define KX_ARM64_FLAG_PAGE_MASK		0x6ULL
#define KX_ARM64_FLAG_PHYS_ANY		0x8ULL

/* Page sizes, as bits of a granule mask and of struct kx_arm64_image. */
#define KX_ARM64_GRAN_4K		0x1U
#define KX_ARM64_GRAN_16K		0x2U
#define KX_ARM64_GRAN_64K		0x4U
#define KX_ARM64_GRAN_ALL		(KX_ARM64_GRAN_4K | KX_ARM64_GRAN_16K | \
					 KX_ARM64_GRAN_64K)

/* The Image goes text_offset above a base with this alignment. */
#define KX_ARM64_KERNEL_ALIGN		0x200000ULL
/* The DTB goes on such a boundary, so it lies in one 2 MiB block. */
#define KX_ARM64_DTB_ALIGN		0x200000ULL
/* The initrd lies in a window of this alignment and size with the Image. */
#define KX_ARM64_INITRD_WINDOW_ALIGN	0x40000000ULL
#define KX_ARM64_INITRD_WINDOW		0x800000000ULL
/* "Within the 48-bit addressable range", with the placement flag set. */
#define KX_ARM64_PHYS_LIMIT		0x1000000000000ULL
/* Largest image_size accepted: 1 GiB. */
#define KX_ARM64_IMAGE_MAX		0x40000000ULL
/* Kernel holes tried before giving up on fitting initrd and DTB. */
#define KX_ARM64_KERNEL_TRIES		64

/**
 * struct kx_arm64_image - what the Image header says
 * @text_offset: offset of the Image from its 2 MiB aligned base
 * @image_size:  bytes the kernel needs from its start (bss included)
 * @flags:       the header flags
 * @granule:     KX_ARM64_GRAN_* of the kernel's page size, 0 unspecified
 * @phys_any:    the base may be anywhere below 2^48, not only low
 */
struct kx_arm64_image {
	u64 text_offset;
	u64 image_size;
	u64 flags;
	unsigned int granule;
	bool phys_any;
};

/*
 * Parse the Image header of @buf (@len bytes, the whole file).  A kernel
 * whose page size is not in @granules (KX_ARM64_GRAN_*) is refused.
 * Returns 0 or -ENOEXEC with *@why saying why: too short, bad magic (or
 * gzip-compressed), image_size 0 (older than Linux 3.17) or above
 * KX_ARM64_IMAGE_MAX, big endian, page size not supported, text_offset
 * not page aligned or not below 2 MiB, or a file longer than image_size.
 */
int kx_arm64_image_parse(const void *buf, size_t len, unsigned int granules,
			 struct kx_arm64_image *img, const char **why);

/* True when @buf starts with the gzip magic. */
bool kx_arm64_is_gzip(const void *buf, size_t len);

/**
 * struct kx_arm64_file_in - what kx_arm64_file_build() places
 * @kernel:     the Image file
 * @kernel_len: its size
 * @initrd_len: the initrd's size, 0 for none
 * @dtb_len:    the DTB's size (its totalsize), 1..KEXEC_X_DTB_MAX
 * @granules:   page sizes the CPUs support (KX_ARM64_GRAN_*)
 * @ram:        where pieces may go: System RAM, adjacent ranges merged
 *              (for a crash image: the crash reservation)
 * @nr_ram:     entries at @ram
 * @avoid:      ranges no piece may overlap, or NULL
 * @nr_avoid:   entries at @avoid
 */
struct kx_arm64_file_in {
	const void *kernel;
	size_t kernel_len;
	u64 initrd_len;
	u64 dtb_len;
	unsigned int granules;
	const struct kx_range *ram;
	unsigned int nr_ram;
	const struct kx_range *avoid;
	unsigned int nr_avoid;
};

/**
 * struct kx_arm64_file_out - where kx_arm64_file_build() put things
 * @img:         the parsed header
 * @kernel_mem:  physical address of the Image: its 2 MiB aligned base
 *               plus text_offset; also the entry point
 * @kernel_memsz: bytes reserved there, image_size page aligned
 * @initrd_mem:  physical address of the initrd, 0 without one
 * @initrd_memsz: bytes reserved there
 * @dtb_mem:     physical address of the DTB (x0 of the new kernel)
 * @dtb_memsz:   bytes reserved there
 * @why:         after a failure, a few words on the reason (never NULL)
 */
struct kx_arm64_file_out {
	struct kx_arm64_image img;
	u64 kernel_mem;
	u64 kernel_memsz;
	u64 initrd_mem;
	u64 initrd_memsz;
	u64 dtb_mem;
	u64 dtb_memsz;
	const char *why;
};

/*
 * Parse @in->kernel and place the pieces, every one page aligned, inside
 * one @in->ram range, overlapping neither @in->avoid nor each other:
 *   kernel  text_offset + image_size from a 2 MiB aligned base, the lowest
 *           that fits (below 2^48 with the placement flag; the initrd and
 *           DTB must fit too, else the next kernel hole is tried, at most
 *           KX_ARM64_KERNEL_TRIES);
 *   initrd  the lowest hole above the kernel, else any, inside the 1 GiB
 *           aligned 32 GiB window that starts at or below the kernel;
 *   DTB     the highest 2 MiB aligned hole.
 * Returns 0 or a negative errno, @out->why saying why: -ENOEXEC
 * (kx_arm64_image_parse()), -EINVAL (no RAM, a DTB of 0 or more than
 * KEXEC_X_DTB_MAX bytes, an initrd larger than the window) or
 * -EADDRNOTAVAIL (no hole fits).
 */
int kx_arm64_file_build(const struct kx_arm64_file_in *in,
			struct kx_arm64_file_out *out);

#endif /* _KEXEC_X_ARM64_IMAGE_H */
