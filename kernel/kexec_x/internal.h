/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the parts of kexec_x.ko share.
 */
#ifndef _KEXEC_X_INTERNAL_H
#define _KEXEC_X_INTERNAL_H

#include <linux/types.h>
#include <linux/kexec_x.h>

#include "kimage.h"
#include "place.h"
#include "verify.h"
#include "arch.h"

struct pt_regs;

/**
 * struct kx_slot - a loaded image, ready to run
 * @img:  segments, indirection list and every page the image owns
 * @kind: KEXEC_X_KIND_SEGMENTS or KEXEC_X_KIND_FILE
 * @arch: what the architecture prepared at load time (relocation stub,
 *        page tables), so that nothing is allocated at exec time
 * @crash_alloc: crash images: the allocator over the reservation
 * @notes: crash images loaded from a file: one ELF note buffer per possible
 *         CPU, which the ELF core header points at
 * @note_size: bytes of each buffer
 * @verify: normal images loaded without KEXEC_X_LOAD_NO_VERIFY: @csum is
 *          checked before the jump
 * @csum:   checksum of every source page, taken when the load completed
 */
struct kx_slot {
	struct kx_image img;
	u32 kind;
	struct kx_arch_image arch;
	void *crash_alloc;
	void *notes;
	size_t note_size;
	bool verify;
	struct kx_csum csum;
};

/* Page allocator for images: real pages from the buddy allocator. */
extern const struct kx_alloc_ops kx_page_ops;

/* main.c */
int kx_load_slot(u32 kind, bool crash, const struct kexec_x_segment *segs,
		 unsigned int nr, u64 entry, u64 arg, kx_read_fn read,
		 void *src_ctx, struct kx_slot **out);
void kx_free_slot(struct kx_slot *slot);

/* file.c: build the segments of a kernel file, then load them. */
int kx_load_file(const struct kexec_x_load_file *req, const char *cmdline,
		 size_t cmdline_len, struct kx_slot **out);

/* crash.c */
int kx_crash_init(void);
void kx_crash_exit(void);
int kx_crash_reservation(struct kx_range *res);
int kx_crash_load_permitted(void);
int kx_crash_build(struct kx_slot *slot, const struct kx_range *res,
		   kx_read_fn read, void *src_ctx);
void kx_crash_install(struct kx_slot *slot);
void kx_crash_unload(void);
const struct kx_slot *kx_crash_slot(void);
void kx_crash_save_notes(struct kx_slot *slot, struct pt_regs *regs);
void kx_crash_write_note(void *buf, size_t size, struct pt_regs *regs);
int kx_crash_vmcoreinfo(u64 *phys, u64 *size);

/* main.c */
bool kx_normal_loaded(void);
/*
 * Read the start of a sysfs, procfs or parameter file into @buf (at most
 * @size - 1 bytes), NUL-terminated: the bytes read, or a negative errno.
 */
ssize_t kx_read_text_file(const char *path, char *buf, size_t size);

/*
 * sysfs.c: /sys/kernel/kexec_x/.  Every pr_err() of the files that include
 * this header also becomes the cause shown in last_error.
 */
int kx_sysfs_init(void);
void kx_sysfs_exit(void);
__printf(1, 2) void kx_pr_err(const char *fmt, ...);
unsigned long kx_err_seq(void);
void kx_note_error(int err, unsigned long seq, const char *what);
#undef pr_err
#define pr_err(fmt, ...) kx_pr_err(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)

/* exec.c: shut down and jump; returns only on failure before shutdown. */
int kx_exec(struct kx_slot *slot);
/* Take the checksum EXEC checks (not with KEXEC_X_LOAD_NO_VERIFY). */
void kx_slot_csum_take(struct kx_slot *slot, u64 flags);
/* Check it: 0, or -EBADMSG with one message naming both sums. */
int kx_slot_csum_check(const struct kx_slot *slot, const char *what);

/* rehearse.c (x86_64): KEXEC_X_IOC_REHEARSE on the normal image. */
int kx_rehearse(struct kx_slot *slot, struct kexec_x_rehearse *res);

#endif /* _KEXEC_X_INTERNAL_H */
