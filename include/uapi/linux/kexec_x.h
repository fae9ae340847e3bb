/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kexec_x: kexec as a loadable module, userspace ABI.
 *
 * /dev/kexec_x (mode 0600) takes the ioctls below.  Every structure uses
 * fixed-width fields only, so the same layout serves 32- and 64-bit callers
 * and every architecture.  Pointers travel as __u64.  The ioctl number
 * encodes the structure size; a caller built against another ABI version
 * gets ENOTTY and can fall back on KEXEC_X_ABI_VERSION from STATUS.
 *
 * Errors common to every ioctl:
 *   EPERM    the caller lacks CAP_SYS_BOOT in the initial user namespace.
 *   ENOTTY   unknown ioctl, or structure size from another ABI version.
 *   EFAULT   a user pointer could not be read or written.
 *   EINVAL   an unknown flag bit is set, or a reserved field is non-zero.
 *   EBUSY    another load, unload or exec holds the image slot; retry.
 */
#ifndef _UAPI_LINUX_KEXEC_X_H
#define _UAPI_LINUX_KEXEC_X_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KEXEC_X_ABI_VERSION	1
#define KEXEC_X_DEVICE		"/dev/kexec_x"

/* At most this many segments per image, as the in-kernel kexec_load(). */
#define KEXEC_X_SEGMENT_MAX	16
/* Longest command line LOAD_FILE takes, terminating NUL included. */
#define KEXEC_X_CMDLINE_MAX	4096
/* Largest device tree LOAD_FILE takes (arm64 booting.rst: 2 MiB). */
#define KEXEC_X_DTB_MAX		(2U << 20)

/*
 * Load flags, for LOAD_SEGMENTS, LOAD_FILE and UNLOAD.
 *
 * KEXEC_X_LOAD_CRASH targets the crash (panic) image slot instead of the
 * normal one.  A crash image lies inside the crashkernel= reservation and
 * starts when the kernel panics (or oopses into a panic).  LOAD_FILE then
 * also builds the ELF core header and memory map the crash kernel needs and
 * appends "elfcorehdr=" to its command line; with LOAD_SEGMENTS userspace
 * provides all of that itself.  Loading a crash image drops the previous
 * one first, as the in-kernel kexec does.
 */
#define KEXEC_X_LOAD_CRASH	(1ULL << 0)
/*
 * KEXEC_X_LOAD_DTB (LOAD_FILE only): @dtb and @dtb_len of struct
 * kexec_x_load_file carry the flattened device tree the new kernel gets.
 * arm64 needs it; x86_64 refuses it (EINVAL).  See struct kexec_x_load_file.
 */
#define KEXEC_X_LOAD_DTB	(1ULL << 3)
/*
 * KEXEC_X_LOAD_NO_VERIFY: take no checksum.  By default a normal image's
 * pages are checksummed once loaded, and EXEC checks them again right
 * before it shuts anything down, refusing with EBADMSG if one changed.
 * The flag skips both (the check costs about one read of the image).
 * Crash images are not checksummed; the flag is accepted and changes
 * nothing for them.
 */
#define KEXEC_X_LOAD_NO_VERIFY	(1ULL << 1)
/*
 * KEXEC_X_LOAD_PLAIN (LOAD_FILE only, x86_64): boot the bzImage as it is,
 * its own decompressor unpacking it at boot.  By default LOAD_FILE unpacks
 * the payload while loading (xz, zstd, gzip or lz4, with the running
 * kernel's decompressors), lays out the vmlinux's PT_LOAD segments at a
 * 2 MiB aligned address and enters its startup_64 directly: the new kernel
 * starts seconds earlier under emulation, its virtual base is the link-time
 * one (no virtual KASLR; physical placement is kexec_x's) and the image
 * to copy is the uncompressed one.  A payload in another format is booted
 * as with this flag (the kernel log says so); one that does not
 * decompress is ENOEXEC.  LOAD_SEGMENTS refuses the flag (EINVAL).
 */
#define KEXEC_X_LOAD_PLAIN	(1ULL << 2)
#define KEXEC_X_LOAD_FLAGS	(KEXEC_X_LOAD_CRASH | KEXEC_X_LOAD_NO_VERIFY | \
				 KEXEC_X_LOAD_PLAIN | KEXEC_X_LOAD_DTB)

/**
 * struct kexec_x_segment - one piece of the new image
 * @buf:   user address of the bytes to load
 * @bufsz: number of bytes at @buf; at most @memsz, may be 0
 * @mem:   physical destination, page aligned, inside System RAM
 * @memsz: bytes reserved at @mem, page aligned, non-zero; the part past
 *         @bufsz is zero-filled
 *
 * Same layout as the in-kernel struct kexec_segment on 64-bit kernels.
 */
struct kexec_x_segment {
	__u64 buf;
	__u64 bufsz;
	__u64 mem;
	__u64 memsz;
};

/**
 * struct kexec_x_load_segments - KEXEC_X_IOC_LOAD_SEGMENTS argument
 * @flags:       KEXEC_X_LOAD_*
 * @entry:       physical address the new kernel starts at; must lie inside
 *               one of the segments
 * @arg:         value handed to the new kernel in its argument register:
 *               x86_64 %rsi (physical address of boot_params),
 *               arm64 x0 (physical address of the DTB)
 * @segments:    user address of an array of struct kexec_x_segment
 * @nr_segments: number of entries at @segments, 1..KEXEC_X_SEGMENT_MAX
 * @reserved0:   must be 0
 * @reserved:    must be 0
 *
 * Loads the segments into kernel memory; nothing is written to the
 * destinations before EXEC.  A previous image in the same slot is replaced
 * only once the new one is completely loaded.
 *
 * Errors:
 *   EPERM          loading is disabled (KEXEC_X_IOC_DISABLE or the
 *                  load_disabled module parameter), or refused by an LSM
 *                  (security_kernel_load_data) or by lockdown
 *                  (LOCKDOWN_KEXEC: raw segments are never verified).
 *   EINVAL         nr_segments is 0 or above KEXEC_X_SEGMENT_MAX; a segment
 *                  has bufsz > memsz or memsz == 0; two segments overlap;
 *                  one segment or all of them together exceed half of RAM;
 *                  entry lies outside every segment; KEXEC_X_LOAD_DTB
 *                  (LOAD_FILE only) is set.
 *   EADDRNOTAVAIL  a segment is not page aligned, wraps around, ends above
 *                  the architecture's limit, or is not entirely System RAM;
 *                  for a crash load, lies outside the crash reservation.
 *   ENOMEM         not enough memory to hold the image.
 *   EINTR          a fatal signal arrived while loading.
 *   EOPNOTSUPP     the machine is a confidential-computing host or guest;
 *                  arm64: protected KVM (kvm-arm.mode=protected) owns EL2.
 *   ENOENT         KEXEC_X_LOAD_CRASH without a crashkernel= reservation,
 *                  or a reserve_mem= region named by the crash_reserve
 *                  module parameter (kernels without crashkernel=).
 *   EEXIST         KEXEC_X_LOAD_CRASH while the in-kernel kdump holds a
 *                  crash image.
 */
struct kexec_x_load_segments {
	__u64 flags;
	__u64 entry;
	__u64 arg;
	__u64 segments;
	__u32 nr_segments;
	__u32 reserved0;
	__u64 reserved[4];
};

/**
 * struct kexec_x_load_file - KEXEC_X_IOC_LOAD_FILE argument
 * @flags:       KEXEC_X_LOAD_*
 * @kernel_fd:   open file descriptor of the kernel image (x86_64: bzImage
 *               with the 64-bit entry point, boot protocol 2.12 or later;
 *               arm64: an uncompressed Image)
 * @initrd_fd:   open file descriptor of the initrd, or -1 for none
 * @cmdline:     user address of the command line, NUL terminated
 * @cmdline_len: bytes at @cmdline including the NUL, 0 for an empty one;
 *               at most KEXEC_X_CMDLINE_MAX
 * @dtb:         with KEXEC_X_LOAD_DTB: user address of the flattened device
 *               tree for the new kernel; otherwise must be 0
 * @dtb_len:     with KEXEC_X_LOAD_DTB: bytes at @dtb, 1..KEXEC_X_DTB_MAX,
 *               at least the blob's totalsize; otherwise must be 0
 * @reserved:    must be 0
 *
 * The module reads both files, parses the kernel image, places kernel,
 * initrd, command line and the boot information (x86_64: boot_params with
 * the firmware memory map) in free RAM and loads them as segments.
 *
 * arm64: the kernel is an uncompressed Image (Debian's vmlinuz; the loader
 * inflates an Image.gz into a memfd first), and KEXEC_X_LOAD_DTB is
 * required.  The kernel's libfdt is not available to modules, so the
 * caller builds the whole device tree: /chosen holds bootargs (@cmdline,
 * when given, must equal them), kaslr-seed, rng-seed, and placeholders of
 * their final size, which the module fills in place once it has placed
 * the pieces, each in big-endian cells:
 *   linux,initrd-start, linux,initrd-end  4 or 8 bytes each; required
 *                      with an initrd, set to 0 without one
 *   linux,elfcorehdr   crash loads: <address size> in the root's
 *                      #address-cells/#size-cells, set to the ELF core
 *                      header the module builds
 *   linux,usable-memory-range  crash loads: one <address size>, set to
 *                      the crash reservation
 * The Image goes text_offset above the lowest 2 MiB aligned base that
 * fits, the initrd in the 1 GiB aligned 32 GiB window of the Image, the
 * DTB on the highest free 2 MiB boundary; "reserved" memory inside System
 * RAM and (for a normal load) the crash reservation are avoided.  The new
 * kernel starts at the Image with x0 = the DTB's physical address.
 *
 * Errors: as KEXEC_X_IOC_LOAD_SEGMENTS, and
 *   EBADF          a file descriptor is not open for reading.
 *   ETXTBSY        a file is open for writing somewhere (the kernel's
 *                  kernel_read_file() denies writers while it reads, as
 *                  for kexec_file_load()).
 *   ENOEXEC        the kernel is not an image this architecture can boot:
 *                  empty or not a regular file, truncated, bad magic, boot
 *                  protocol too old, no 64-bit entry point, or a header
 *                  field out of range (arm64: image_size 0 or above 1 GiB,
 *                  big endian, a page size the CPUs lack, text_offset not
 *                  page aligned, a gzip file).
 *                  x86_64 without KEXEC_X_LOAD_PLAIN also: the payload
 *                  does not decompress to the size it records, or holds no
 *                  vmlinux ELF that can be laid out.
 *   EFBIG          a file is larger than the loader accepts.
 *   EINVAL         the command line is not NUL terminated at cmdline_len;
 *                  the initrd is empty or not a regular file;
 *                  KEXEC_X_LOAD_DTB with dtb_len 0 or above
 *                  KEXEC_X_DTB_MAX, or on x86_64; dtb or dtb_len set
 *                  without it; arm64 without KEXEC_X_LOAD_DTB; a DTB that
 *                  is not a valid flattened device tree (magic, version,
 *                  totalsize above dtb_len, a block or offset out of
 *                  bounds), lacks /chosen or a placeholder the load
 *                  needs, has one of the wrong size, or whose bootargs
 *                  differ from a non-empty cmdline.
 *   EADDRNOTAVAIL  no free RAM hole fits a piece of the image.
 */
struct kexec_x_load_file {
	__u64 flags;
	__s32 kernel_fd;
	__s32 initrd_fd;
	__u64 cmdline;
	__u64 cmdline_len;
	__u64 dtb;
	__u64 dtb_len;
	__u64 reserved[2];
};

/**
 * struct kexec_x_unload - KEXEC_X_IOC_UNLOAD argument
 * @flags:    KEXEC_X_LOAD_CRASH to unload the crash image, 0 for the
 *            normal one
 * @reserved: must be 0
 *
 * Unloading an empty slot succeeds.
 */
struct kexec_x_unload {
	__u64 flags;
	__u64 reserved[3];
};

/**
 * struct kexec_x_exec - KEXEC_X_IOC_EXEC argument
 * @flags:    must be 0
 * @reserved: must be 0
 *
 * Shuts the machine down as the in-kernel kexec does (reboot notifiers,
 * device shutdown, syscore shutdown, other CPUs stopped, interrupt
 * controllers reset) and jumps to the loaded image.  It does not sync or
 * unmount file systems: userspace does that first, as kexec -e does.
 * Returns only on error, before anything was shut down:
 *   ENOENT     no normal image is loaded.
 *   EBUSY      another operation holds the image slot, or the machine
 *              cannot be brought down to one CPU.
 *   EBADMSG    the image changed since it was loaded: its checksum (see
 *              KEXEC_X_LOAD_NO_VERIFY) no longer matches.  The console
 *              names both sums.  Unload and load the image again.
 */
struct kexec_x_exec {
	__u64 flags;
	__u64 reserved[3];
};

/* Image kinds, as reported by STATUS. */
#define KEXEC_X_KIND_NONE	0	/* the slot is empty */
#define KEXEC_X_KIND_SEGMENTS	1	/* loaded with LOAD_SEGMENTS */
#define KEXEC_X_KIND_FILE	2	/* loaded with LOAD_FILE */

/**
 * struct kexec_x_image_info - one image slot, as reported by STATUS
 * @kind:        KEXEC_X_KIND_*
 * @nr_segments: number of segments loaded
 * @entry:       physical entry point
 * @arg:         value of the argument register at entry
 * @total_bytes: sum of the segments' memsz
 * @pages_copy:  pages the relocation step will copy at EXEC
 * @pages_direct: pages already at their destination (not copied at EXEC)
 * @segments:    the segments' destinations (buf and bufsz are 0)
 */
struct kexec_x_image_info {
	__u32 kind;
	__u32 nr_segments;
	__u64 entry;
	__u64 arg;
	__u64 total_bytes;
	__u64 pages_copy;
	__u64 pages_direct;
	struct kexec_x_segment segments[KEXEC_X_SEGMENT_MAX];
};

/* STATUS flags */
#define KEXEC_X_STATUS_LOAD_DISABLED	(1U << 0)	/* loads are refused */
#define KEXEC_X_STATUS_CRASH_RESERVED	(1U << 1)	/* crashkernel= exists */

/**
 * struct kexec_x_status - KEXEC_X_IOC_STATUS result
 * @abi_version: KEXEC_X_ABI_VERSION of the running module
 * @flags:       KEXEC_X_STATUS_*
 * @image:       the normal image slot
 * @crash:       the crash image slot
 * @crash_base:  start of the crash reservation, 0 if none
 * @crash_size:  size of the crash reservation, 0 if none
 * @reserved:    0
 */
struct kexec_x_status {
	__u32 abi_version;
	__u32 flags;
	struct kexec_x_image_info image;
	struct kexec_x_image_info crash;
	__u64 crash_base;
	__u64 crash_size;
	__u64 reserved[6];
};

/**
 * struct kexec_x_rehearse - KEXEC_X_IOC_REHEARSE argument and result
 * @flags:          in: must be 0
 * @pages_copied:   pages the relocation stub copied (into scratch pages)
 * @pages_in_place: pages already at their destination: EXEC does not copy
 *                  them, the rehearsal leaves them alone too
 * @pages_differ:   scratch pages that differ from their source after the
 *                  copy: 0 unless the relocation code is broken
 * @bytes_copied:   bytes the stub copied
 * @copy_tsc:       TSC cycles between the stub's rdtsc before and after
 *                  its copy loop
 * @tsc_khz:        TSC frequency the kernel measured, in kHz (0: unknown)
 * @copy_ns:        @copy_tsc in nanoseconds (0 when @tsc_khz is 0)
 * @memcpy_ns:      the kernel's memcpy() of the same pages to the same
 *                  scratch pages, just before, for comparison
 * @stub_ns:        from the call into the stub to its return (page table
 *                  and descriptor switches included), interrupts off
 * @verify_ns:      the checksum check EXEC does, over every page of the
 *                  image; 0 when loaded with KEXEC_X_LOAD_NO_VERIFY
 * @verify_bytes:   bytes that check read
 * @total_ns:       the whole rehearsal, scratch allocation included
 * @reserved:       in: must be 0; out: 0
 *
 * Runs the real relocation code (x86_64: the stub of relocate.S, entered
 * like EXEC enters it, on one CPU with interrupts off while the others
 * wait in stop_machine()) over a copy of the normal image's indirection
 * list whose every destination is a scratch page, comes back to the
 * running kernel, compares each scratch page with its source and frees
 * them.  Nothing is shut down and the image stays loaded.  It needs about
 * as much free memory as the pages to copy.  The time with interrupts off
 * is @stub_ns.
 *
 * Errors:
 *   ENOENT      no normal image is loaded.
 *   EBUSY       another operation holds the image slot.
 *   ENOMEM      not enough memory for the scratch pages.
 *   EBADMSG     the image changed since it was loaded (as for EXEC).
 *   EOPNOTSUPP  the architecture has no rehearsal (only x86_64 has one).
 */
struct kexec_x_rehearse {
	__u64 flags;
	__u64 pages_copied;
	__u64 pages_in_place;
	__u64 pages_differ;
	__u64 bytes_copied;
	__u64 copy_tsc;
	__u64 tsc_khz;
	__u64 copy_ns;
	__u64 memcpy_ns;
	__u64 stub_ns;
	__u64 verify_ns;
	__u64 verify_bytes;
	__u64 total_ns;
	__u64 reserved[3];
};

#define KEXEC_X_IOC_MAGIC	0xE7

/* Load an image from raw segments. */
#define KEXEC_X_IOC_LOAD_SEGMENTS \
	_IOW(KEXEC_X_IOC_MAGIC, 0x01, struct kexec_x_load_segments)
/* Load a kernel file, an optional initrd and a command line. */
#define KEXEC_X_IOC_LOAD_FILE \
	_IOW(KEXEC_X_IOC_MAGIC, 0x02, struct kexec_x_load_file)
/* Free an image slot. */
#define KEXEC_X_IOC_UNLOAD \
	_IOW(KEXEC_X_IOC_MAGIC, 0x03, struct kexec_x_unload)
/* Shut down and boot the loaded image.  Does not return on success. */
#define KEXEC_X_IOC_EXEC \
	_IOW(KEXEC_X_IOC_MAGIC, 0x04, struct kexec_x_exec)
/* Report what is loaded. */
#define KEXEC_X_IOC_STATUS \
	_IOR(KEXEC_X_IOC_MAGIC, 0x05, struct kexec_x_status)
/*
 * Refuse every later load, until the module is unloaded: a one-way latch,
 * like the kernel.kexec_load_disabled sysctl.  Loaded images stay loaded
 * and can still be executed or unloaded.
 */
#define KEXEC_X_IOC_DISABLE	_IO(KEXEC_X_IOC_MAGIC, 0x06)
/* Run the relocation of the normal image into scratch pages, and return. */
#define KEXEC_X_IOC_REHEARSE \
	_IOWR(KEXEC_X_IOC_MAGIC, 0x07, struct kexec_x_rehearse)

#endif /* _UAPI_LINUX_KEXEC_X_H */
