/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader.h - the kexec_x loader's parts: the command line front end
 * (kexec_x.c), reading the running system (sysinfo.c) and the
 * architecture's image builder (arch_*.c).
 */
#ifndef _KEXEC_X_LOADER_H
#define _KEXEC_X_LOADER_H

#include "kx_lib.h"
#include "place.h"
#include <linux/kexec_x.h>

#define KX_PROG		"kexec_x"

/* __printf() is the kernel's; the Makefile defines it for userspace. */

/* Most RAM ranges read from /proc/iomem. */
#define KX_MAX_RAM	256
/* Most crash reservation ranges (crashkernel= low and high). */
#define KX_MAX_CRASH	4

/**
 * struct kx_file - a whole file in memory
 * @path: where it was read from
 * @data: its bytes (malloc'ed), NULL when not read
 * @len:  its size
 */
struct kx_file {
	const char *path;
	void *data;
	size_t len;
};

/**
 * struct kx_load - what to load, from the command line
 * @kernel:      kernel image path
 * @initrd:      initrd path, or NULL
 * @cmdline:     command line (malloc'ed), "" for none
 * @crash:       load into the crash slot
 * @debug:       print the plan
 */
struct kx_load {
	const char *kernel;
	const char *initrd;
	char *cmdline;
	bool crash;
	bool debug;
};

/**
 * struct kx_plan - segments built by the loader (-c), ready for
 * KEXEC_X_IOC_LOAD_SEGMENTS
 * @segs:     the segments; buf points into @kernel, @initrd or @extra
 * @names:    what each segment holds, for messages
 * @nr_segs:  segments used
 * @entry:    physical entry point
 * @arg:      argument register value
 * @kernel:   the kernel file
 * @initrd:   the initrd file (data NULL if none)
 * @extra:    architecture buffer (x86_64: boot_params + command line)
 */
struct kx_plan {
	struct kexec_x_segment segs[KEXEC_X_SEGMENT_MAX];
	const char *names[KEXEC_X_SEGMENT_MAX];
	unsigned int nr_segs;
	u64 entry;
	u64 arg;
	struct kx_file kernel;
	struct kx_file initrd;
	void *extra;
};

/* ---- kexec_x.c ---- */

/* Print "kexec_x: " and the message, like printf, to stderr. */
void kx_err(const char *fmt, ...) __printf(1, 2);
/* As kx_err(), to stdout, only with --debug (or --dry-run). */
void kx_dbg(const char *fmt, ...) __printf(1, 2);
/* Human-readable size: "12.5 MiB"; @buf must hold 32 bytes. */
const char *kx_size_str(u64 bytes, char *buf);

/* ---- sysinfo.c ---- */

/* Prefix for every system file read (--sysroot, for tests); "" normally. */
extern const char *kx_sysroot;

/*
 * The path of system file @path under kx_sysroot, in one of four static
 * buffers used in turn: valid until the fourth call after.
 */
const char *kx_sys_path(const char *path);
/* Read all of @f->path; prints the cause and returns -errno on failure. */
int kx_read_file(struct kx_file *f);
/* Read a small system text file into @buf (NUL terminated): length or -errno. */
int kx_read_text(const char *path, char *buf, size_t size);
void kx_free_file(struct kx_file *f);

/*
 * Top-level "System RAM" ranges of /proc/iomem, whole pages, adjacent ones
 * merged, into @ram (room for KX_MAX_RAM), and the "Crash kernel" ranges
 * into @crash (room for KX_MAX_CRASH).  Returns 0 or -errno (message
 * printed).
 */
int kx_iomem_ram(struct kx_range *ram, unsigned int *nr_ram,
		 struct kx_range *crash, unsigned int *nr_crash);

/*
 * Walk the top-level lines of /proc/iomem: @fn gets each [start, end) and
 * its name.  Returns 0 or -errno (message printed).
 */
int kx_iomem_walk(void (*fn)(void *ctx, u64 start, u64 end,
			     const char *name),
		  void *ctx);

/* As kx_iomem_walk(), for the lines of every depth. */
int kx_iomem_walk_all(void (*fn)(void *ctx, u64 start, u64 end,
				 const char *name),
		      void *ctx);

/*
 * The running kernel's command line for --reuse-cmdline, without
 * BOOT_IMAGE= (and without crashkernel= when @crash: a crash kernel must
 * not reserve memory again).  Malloc'ed, or NULL (message printed).
 */
char *kx_reuse_cmdline(bool crash);

/* ---- arch_*.c ---- */

/* The architecture's name, for messages. */
const char *kx_arch_name(void);

/*
 * Build @plan from the kernel, initrd and command line of @ld and the
 * running system's memory map.  Prints the cause of a failure and returns
 * -errno.
 */
int kx_arch_plan(const struct kx_load *ld, struct kx_plan *plan);

/* Free what kx_arch_plan() or kx_arch_file_args() allocated in @plan. */
void kx_arch_free(struct kx_plan *plan);

/*
 * -l (LOAD_FILE): add what the architecture passes besides the files to
 * @arg (arm64: KEXEC_X_LOAD_DTB and the device tree; a memfd holding an
 * inflated Image.gz as kernel_fd), keeping it in @plan until
 * kx_arch_free().  Returns 0 or -errno (cause printed).  The default does
 * nothing.
 */
int kx_arch_file_args(const struct kx_load *ld, struct kexec_x_load_file *arg,
		      struct kx_plan *plan);

/*
 * --save-dtb: write the device tree built for @plan to @path.  Returns 0
 * or -errno (cause printed); the default says there is none.
 */
int kx_arch_save_dtb(const struct kx_plan *plan, const char *path);

/*
 * After the module refused a kernel with ENOEXEC: print why, if the
 * loader can tell, from the file at @path.
 */
void kx_arch_explain(const char *path);

#endif /* _KEXEC_X_LOADER_H */
