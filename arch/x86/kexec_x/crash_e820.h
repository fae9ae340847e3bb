/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crash_e820.h - the memory map an x86 crash (kdump) kernel boots with.
 *
 * Pure code (see kx_lib.h).  As the kernel's crash_setup_memmap_entries()
 * for kexec_file_load(), the crash kernel is given only:
 *
 *   - the System RAM of the first 1 MiB, as RAM: the crash kernel needs
 *     it for the real-mode trampoline and BIOS data, and the first kernel
 *     never lets the page allocator hand it out, so a crash there cannot
 *     have been caused by its contents being overwritten;
 *   - every ACPI (3), NVS (4) and RESERVED (2) entry of the firmware map,
 *     unchanged, so that it finds its ACPI tables and leaves firmware
 *     areas alone;
 *   - the crash reservations as RAM, minus the excluded ranges (the
 *     elfcorehdr segment, which /proc/vmcore reads as old memory).
 *
 * No other RAM: the crash kernel must not touch the memory of the kernel
 * that crashed, which it dumps.  Other types (unusable, persistent memory,
 * soft reserved, ...) are left out too, as the kernel does.
 */
#ifndef _KEXEC_X_X86_CRASH_E820_H
#define _KEXEC_X_X86_CRASH_E820_H

#include "kx_lib.h"
#include "place.h"
#include "bootparam.h"

/* End of the low memory the crash kernel always gets as RAM. */
#define KX_CRASH_LOW_END	0x100000ULL

/**
 * struct kx_crash_e820_in - what the crash kernel's memory map is made of
 * @fw:         the firmware memory map, in any order (as kx_e820_build()
 *              leaves it, or not); empty entries are ignored
 * @nr_fw:      entries at @fw
 * @crash:      the crash reservations (crashkernel= and crashkernel=,low):
 *              at least one, any order, each non-empty, none overlapping
 *              another
 * @nr_crash:   entries at @crash
 * @exclude:    ranges of the reservations the crash kernel must not take
 *              as RAM (the elfcorehdr segment): any order, each non-empty,
 *              may overlap each other and reach outside the reservations
 * @nr_exclude: entries at @exclude
 */
struct kx_crash_e820_in {
	const struct kx_e820 *fw;
	unsigned int nr_fw;
	const struct kx_range *crash;
	unsigned int nr_crash;
	const struct kx_range *exclude;
	unsigned int nr_exclude;
};

/*
 * Build the crash kernel's memory map in @out (room for @max entries):
 * RAM entries of @in->fw clipped to [0, KX_CRASH_LOW_END); ACPI, NVS and
 * RESERVED entries of @in->fw unchanged; every piece of the reservations
 * left after the exclusions as RAM, except pieces smaller than a page
 * (as the kernel drops them).  The map is sorted by start and entries of
 * the same type that overlap or touch are merged, as kx_e820_add() does.
 *
 * Returns the number of entries in @out, -EINVAL when @in breaks a rule of
 * struct kx_crash_e820_in or a firmware entry ends before it starts, or
 * -E2BIG when @max entries are not enough.  After an error @out holds
 * nothing useful.
 */
int kx_crash_e820_build(const struct kx_crash_e820_in *in,
			struct kx_e820 *out, unsigned int max);

#endif /* _KEXEC_X_X86_CRASH_E820_H */
